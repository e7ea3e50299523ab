"""Deadlines of a case. The clocks and their lengths are settings today; the citizen manual drives them later."""

from flask import current_app

from app.cases.models import Case, Deadline
from app.extensions import db
from app.sla.calendar import BusinessCalendar

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
