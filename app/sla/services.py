"""Deadlines of a case. The clocks and their lengths are settings today; the citizen manual drives them later."""

from flask import current_app

from app.cases.models import Case
from app.common.models import utcnow
from app.extensions import db
from app.sla.calendar import BusinessCalendar
from app.sla.models import Deadline

#: clock → setting that gives its length in days
CLOCKS = {
    "acknowledge": "SLA_ACKNOWLEDGE_DAYS",
    "first_report": "SLA_FIRST_REPORT_DAYS",
    "resolve": "SLA_RESOLVE_DAYS",
}


_CALENDAR = BusinessCalendar()


def calendar() -> BusinessCalendar:
    """The business calendar in force (one shared instance, so its working-day cache is shared)."""
    return _CALENDAR


def start_clocks(case: Case) -> list[Deadline]:
    """Create the case's deadlines from its ``received_at`` (in the current transaction)."""
    cal, kind = calendar(), current_app.config["SLA_DAY_KIND"]
    rows = []
    for clock, setting in CLOCKS.items():
        days = current_app.config[setting]
        rows.append(Deadline(case=case, kind=clock, due_at=cal.due(case.received_at, days, kind),
                             basis=f"{kind}:{days}"))
    db.session.add_all(rows)
    return rows


def due_map(case: Case) -> dict:
    """``{clock: due_at}`` for the API."""
    return {d.kind: d.due_at for d in case.deadlines}


#: statuses that stop the resolution clock (the decision has been made)
DECIDED = {"concluded", "not_concluded", "referred_out", "merged", "closed"}


def on_case_change(case: Case, kind: str, old_status: str | None = None) -> None:
    """React to a workflow step (called by ``app.cases.workflow`` in the step's transaction).

    ``kind`` is the event kind (``acknowledged``, ``status_changed``, ``rerouted`` …). Marks the clocks the step
    meets; pausing and recomputation build on this hook.
    """
    now = utcnow()
    for d in case.deadlines:
        if d.met_at is not None:
            continue
        if d.kind == "acknowledge" and case.acknowledged_at is not None:
            d.met_at = case.acknowledged_at
        elif d.kind == "first_report" and case.first_reported_at is not None:
            d.met_at = case.first_reported_at
        elif d.kind == "resolve" and case.status in DECIDED:
            d.met_at = case.concluded_at or now
