"""The clocks of a case, driven by the citizen manual: started at intake, met, paused, resumed and recomputed by
the workflow hook :func:`on_case_change`; recomputed in batches when the calendar, hours or a manual change.

Deadlines are stored (``deadlines``), so the sweep (:mod:`app.sla.sweep`) works in set-based SQL. A stored due is
always ``rule(start) + paused time``, so recomputing is idempotent and any input may change at any time.
"""

from datetime import datetime

from flask import current_app

from app.cases.models import Case, Status
from app.common.models import utcnow
from app.extensions import db
from app.sla import rules
from app.sla.calendar import BusinessCalendar, BusinessHours
from app.sla.models import CaseSla, Deadline
from app.sla.policy import CASE_CLOCKS, Policy, Rule, policy_for, service_for

#: clock → setting that gives its length in days when no manual knows the process
CLOCKS = {
    "acknowledge": "SLA_ACKNOWLEDGE_DAYS",
    "first_report": "SLA_FIRST_REPORT_DAYS",
    "resolve": "SLA_RESOLVE_DAYS",
}
#: statuses that stop the clocks (the decision has been made)
DECIDED = {"concluded", "not_concluded", "referred_out", "merged", "closed"}
#: recurring notices to the citizen: progress every N days, and s.10 delay notices of a late licence
NOTICE_CLOCKS = ("progress", "delay_notice")


def calendar() -> BusinessCalendar:
    """The business calendar in force (cached per process, see :mod:`app.sla.rules`)."""
    return rules.calendar()


def _pausable() -> tuple[str, ...]:
    return tuple(current_app.config["SLA_PAUSED_CLOCKS"])


def plan(kind: str, basis: str, start: datetime, paused_seconds: int, state: str, cal: BusinessCalendar,
         hours: BusinessHours, now: datetime, case_paused: bool) -> tuple[datetime, datetime, str]:
    """(due, at-risk moment, state) of an unmet clock. The sweep alone turns a clock overdue or at risk (so it
    raises the alert); a recomputation keeps those states only while they still hold."""
    rule = Rule.parse(basis)
    due = cal.extend(cal.deadline(start, rule.value, rule.unit, hours), paused_seconds, rule.unit, hours)
    risk_at = due - (due - start) * float(current_app.config["SLA_AT_RISK_SHARE"])
    if case_paused and kind in _pausable():
        new = "paused"
    elif state == "queued":
        new = "queued"
    elif due <= now:
        new = "overdue" if state == "overdue" else "ok"
    elif risk_at <= now and state in ("at_risk", "overdue"):
        new = "at_risk"
    else:
        new = "ok"
    return due, risk_at, new


def _new(case: Case, cs: CaseSla | None, now: datetime, add: bool = True, **kw) -> Deadline:
    """A new clock on ``case``, scheduled before it joins the session (an autoflush never sees it half-built)."""
    with db.session.no_autoflush:
        d = Deadline(case=case, paused_seconds=0, state="ok", **kw)
        _schedule(d, case, cs, now)
    if add:
        db.session.add(d)
    return d


def _schedule(d: Deadline, case: Case, cs: CaseSla | None, now: datetime) -> None:
    if d.met_at is not None:
        d.state = "met"
        return
    d.due_at, d.risk_at, d.state = plan(d.kind, d.basis, d.started_at or case.received_at, d.paused_seconds or 0,
                                        d.state or "ok", calendar(), rules.hours_for(case.division_code), now,
                                        cs is not None and cs.paused_at is not None)


def new_clocks(case: Case, service: str | None = None) -> tuple[CaseSla, list[Deadline]]:
    """A new case's SLA row and clocks from its ``received_at`` under the manual version then in force; not yet in
    the session: intake writes them with the case (no query beyond the cached calendar and manual)."""
    pol = policy_for(service or service_for(case), case.received_at)
    now = utcnow()
    rows = [_new(case, None, now, add=False, kind=kind, seq=0, basis=pol.clocks[kind].basis,
                 started_at=case.received_at) for kind in CASE_CLOCKS]
    cs = CaseSla(case=case, service_slug=pol.slug, manual_version=pol.version, licence=pol.licence,
                 notice_basis=pol.every.basis, paused_total_seconds=0)
    sync_facts(cs, case, rows)
    return cs, rows


def sync_facts(cs: CaseSla, case: Case, deadlines=None) -> None:
    """Copy what the summary counts onto the case's SLA row (unit, category, the two main clocks)."""
    cs.received_at, cs.channel = case.received_at, case.channel or "web"
    cs.division_code, cs.category_code = case.division_code, case.category_code
    for d in deadlines if deadlines is not None else case.deadlines:
        if d.seq == 0 and d.kind == "first_report":
            cs.first_report_due_at, cs.first_reported_at = d.due_at, d.met_at
        elif d.seq == 0 and d.kind == "resolve":
            cs.resolve_due_at, cs.resolve_risk_at, cs.resolved_at = d.due_at, d.risk_at, d.met_at


def due_map(case: Case) -> dict:
    """``{clock: due_at}`` for the API (the latest of a recurring clock)."""
    return {d.kind: d.due_at for d in sorted(case.deadlines, key=lambda d: d.seq)}


def case_sla(case: Case) -> CaseSla:
    """The case's SLA row; a case older than this engine gets one (and its missing clocks) now."""
    cs = db.session.get(CaseSla, case.id)
    if cs is None:
        pol = policy_for(service_for(case), case.received_at)
        cs = CaseSla(case_id=case.id, service_slug=pol.slug, manual_version=pol.version, licence=pol.licence,
                     notice_basis=pol.every.basis, paused_total_seconds=0)
        sync_facts(cs, case)
        db.session.add(cs)
        have = {d.kind for d in case.deadlines}
        for kind in CASE_CLOCKS:
            if kind not in have:
                _new(case, cs, utcnow(), kind=kind, seq=0, basis=pol.clocks[kind].basis,
                     started_at=case.received_at)
    return cs


def on_case_change(case: Case, kind: str, old_status: str | None = None, now: datetime | None = None) -> None:
    """React to a workflow step (called by ``app.cases.workflow`` in the step's transaction, status updated).

    Pauses or resumes the clocks, switches the manual process on a re-route, restarts resolution on a
    reopening, marks the clocks the step meets, keeps the progress notices going, and recomputes every due.
    """
    now, cs = now or utcnow(), case_sla(case)
    _pause_or_resume(case, cs, now)
    if kind == "rerouted":
        _switch_process(case, cs)
    if kind == "reopened":
        for d in case.deadlines:
            if d.kind == "resolve" and d.met_at is not None:
                d.met_at, d.state, d.started_at, d.paused_seconds = None, "ok", now, 0
    _meet(case, now)
    if case.status not in DECIDED:
        _progress_chain(case, cs, kind, now)
    for d in case.deadlines:
        _schedule(d, case, cs, now)
    sync_facts(cs, case)


def _pause_or_resume(case: Case, cs: CaseSla, now: datetime) -> None:
    waiting = case.status == Status.awaiting_info
    if waiting and cs.paused_at is None:
        cs.paused_at = now
    elif not waiting and cs.paused_at is not None:
        cal, hours = calendar(), rules.hours_for(case.division_code)
        for d in case.deadlines:
            if d.met_at is None and d.kind in _pausable():
                since = max(cs.paused_at, d.started_at or case.received_at)
                d.paused_seconds = int((d.paused_seconds or 0)
                                       + cal.pause_length(since, now, Rule.parse(d.basis).unit, hours))
                d.state = "ok"
        cs.paused_total_seconds = int((cs.paused_total_seconds or 0) + (now - cs.paused_at).total_seconds())
        cs.paused_at = None


def _switch_process(case: Case, cs: CaseSla) -> None:
    """A new category may fall under another manual process: take the version in force at receipt."""
    slug = service_for(case)
    if slug == cs.service_slug:
        return
    apply_policy(case, cs, policy_for(slug, case.received_at))


def apply_policy(case: Case, cs: CaseSla, pol: Policy) -> None:
    """Put the case under ``pol`` (another process or manual version); the next schedule recomputes the dues."""
    cs.service_slug, cs.manual_version, cs.licence, cs.notice_basis = pol.slug, pol.version, pol.licence, \
        pol.every.basis
    for d in case.deadlines:
        if d.kind in CASE_CLOCKS:
            d.basis = pol.clocks[d.kind].basis
        elif d.kind in NOTICE_CLOCKS and d.met_at is None:
            d.basis = pol.every.basis


def _meet(case: Case, now: datetime) -> None:
    decided = case.status in DECIDED
    for d in case.deadlines:
        if d.met_at is not None:
            continue
        if d.kind == "acknowledge" and case.acknowledged_at is not None:
            d.met_at = case.acknowledged_at
        elif d.kind == "first_report" and case.first_reported_at is not None:
            d.met_at = case.first_reported_at
        elif decided:  # the decision ends resolution and every notice; nothing is left to count
            d.met_at = case.concluded_at or now


def _progress_chain(case: Case, cs: CaseSla, kind: str, now: datetime) -> None:
    """After the first report, one open ``progress`` clock at a time (not for licences: theirs are s.10 notices).
    A public step tells the citizen where the case stands, so it restarts the open progress clock."""
    if cs.licence or case.first_reported_at is None:
        return
    progress = [d for d in case.deadlines if d.kind == "progress"]
    open_ = [d for d in progress if d.met_at is None]
    if open_:
        if kind in _public_kinds() and open_[0].state != "queued":
            open_[0].started_at = now
            open_[0].paused_seconds = 0
        return
    last = max((d.met_at for d in progress), default=None)
    start = max(filter(None, [case.first_reported_at, last, *([now] if kind == "reopened" else [])]))
    _new(case, cs, now, kind="progress", seq=max((d.seq for d in progress), default=0) + 1, basis=cs.notice_basis,
         started_at=start)


def _public_kinds() -> set[str]:
    from app.cases.states import TRANSITIONS

    return {t.event for t in TRANSITIONS.values() if t.public}


def next_notice(d: Deadline, case: Case, now: datetime) -> Deadline | None:
    """After a notice went out: mark its clock met and start the next one while the case is open.

    Progress counts from the notice (or its due moment, if the job ran early); s.10 delay notices keep their
    7-day rhythm from the first one.
    """
    cs = db.session.get(CaseSla, case.id)
    d.met_at, d.state = now, "met"
    if case.status in DECIDED:
        return None
    start = max(now, d.due_at) if d.kind == "progress" else d.due_at
    return _new(case, cs, now, kind=d.kind, seq=d.seq + 1, basis=d.basis, started_at=start)


def set_service(case: Case, slug: str, now: datetime | None = None) -> CaseSla:
    """Put a case under another manual process (the version in force at its receipt) and recompute its clocks."""
    cs = case_sla(case)
    apply_policy(case, cs, policy_for(slug, case.received_at))
    now = now or utcnow()
    for d in case.deadlines:
        _schedule(d, case, cs, now)
    sync_facts(cs, case)
    return cs
