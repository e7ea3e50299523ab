"""Recompute stored deadlines in batches when a shared input changes: a calendar day, a unit's hours, a manual
version. Keyset pages of plain rows, one bulk UPDATE per page: no query per case."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select, update

from app.cases.models import Case
from app.common.models import UTCDateTime, utcnow
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import JobRun
from app.sla import rules
from app.sla.calendar import BANGKOK
from app.sla.models import CaseSla, Deadline
from app.sla.policy import CASE_CLOCKS, policy_version
from app.sla.services import plan

BATCH = 2000


def recompute(*where, now: datetime | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Recompute every unmet deadline matching ``where`` (SQL conditions on Deadline/Case/CaseSla).

    Returns how many rows changed. Flushes each page; the caller commits.
    """
    now, cal, changed, last_id = now or utcnow(), rules.calendar(), 0, 0
    start = func.coalesce(Deadline.started_at, Case.received_at, type_=UTCDateTime)
    base = (select(Deadline.id, Deadline.case_id, Deadline.seq, Deadline.kind, Deadline.basis, start.label("start"),
                   Deadline.paused_seconds,
                   Deadline.state, Deadline.due_at, Deadline.risk_at, Case.division_code,
                   CaseSla.paused_at)
            .join(Case, Case.id == Deadline.case_id).outerjoin(CaseSla, CaseSla.case_id == Deadline.case_id)
            .where(Deadline.met_at.is_(None), *where).order_by(Deadline.id).limit(BATCH))
    while True:
        rows = db.session.execute(base.where(Deadline.id > last_id)).all()
        if not rows:
            return changed
        updates, facts = [], {}
        for r in rows:
            due, risk, state = plan(r.kind, r.basis, r.start, r.paused_seconds or 0, r.state, cal,
                                    rules.hours_for(r.division_code), now, r.paused_at is not None)
            if (due, risk, state) != (r.due_at, r.risk_at, r.state):
                updates.append({"id": r.id, "due_at": due, "risk_at": risk, "state": state})
                if r.seq == 0 and r.kind == "resolve":
                    facts.setdefault(r.case_id, {"case_id": r.case_id}).update(resolve_due_at=due, resolve_risk_at=risk)
                elif r.seq == 0 and r.kind == "first_report":
                    facts.setdefault(r.case_id, {"case_id": r.case_id}).update(first_report_due_at=due)
        if updates:
            db.session.execute(update(Deadline), updates)
        if facts:  # the summary's copy of the two main clocks; bulk UPDATE by primary key, grouped by shape
            for keys in {tuple(sorted(f)) for f in facts.values()}:
                db.session.execute(update(CaseSla), [f for f in facts.values() if tuple(sorted(f)) == keys])
        changed += len(updates)
        last_id = rows[-1].id
        if progress:
            progress(len(rows))
        db.session.flush()


def day_window(day: date) -> tuple:
    """Conditions for the clocks whose span contains ``day`` (only those can move when it opens or closes)."""
    lo = datetime.combine(day, time(0), tzinfo=BANGKOK)
    hi = lo + timedelta(days=1)
    return (func.coalesce(Deadline.started_at, Case.received_at) < hi, Deadline.due_at >= lo)


def recompute_for_day(day: date, now: datetime | None = None) -> int:
    return recompute(*day_window(day), now=now)


def recompute_for_unit(division_code: str, now: datetime | None = None) -> int:
    """A unit's hours changed (``*``: the default, so every unit without its own row)."""
    if division_code == "*":
        from app.sla.models import UnitHours

        own = select(UnitHours.division_code).where(UnitHours.division_code != "*")
        return recompute(Case.division_code.not_in(own), now=now)
    return recompute(Case.division_code == division_code, now=now)


def recompute_for_version(slug: str, version: int, now: datetime | None = None) -> int:
    """A manual version's times were corrected: re-basis its open cases' clocks (set-based), then recompute."""
    pol = policy_version(slug, version)
    pinned = select(CaseSla.case_id).where(CaseSla.service_slug == slug, CaseSla.manual_version == version)
    for kind in CASE_CLOCKS:
        db.session.execute(update(Deadline).where(Deadline.kind == kind, Deadline.met_at.is_(None),
                                                  Deadline.case_id.in_(pinned))
                           .values(basis=pol.clocks[kind].basis), execution_options={"synchronize_session": False})
    db.session.execute(update(CaseSla).where(CaseSla.service_slug == slug, CaseSla.manual_version == version)
                       .values(notice_basis=pol.every.basis, licence=pol.licence))
    return recompute(and_(CaseSla.service_slug == slug, CaseSla.manual_version == version), now=now)


def queue_recompute(reason: str, **params) -> JobRun:
    """Recompute after commit (inline without Redis, else a worker), tracked by a JobRun row."""
    run = JobRun(kind="sla_recompute", message=reason)
    db.session.add(run)
    db.session.flush()
    outbox.add("sla_recompute", {"job_run_id": run.id, **params}, dedupe_key=f"sla-recompute:{run.id}")
    return run


@outbox.handler("sla_recompute")
def _run(msg) -> None:
    run = db.session.get(JobRun, msg.payload["job_run_id"])
    if run.status == "done":
        return
    rules.invalidate()  # this process may hold the calendar from before the edit
    run.status, run.started_at = "running", utcnow()
    p = msg.payload
    if "day" in p:
        n = recompute_for_day(date.fromisoformat(p["day"]))
    elif "division" in p:
        n = recompute_for_unit(p["division"])
    elif "slug" in p:
        n = recompute_for_version(p["slug"], int(p["version"]))
    else:
        n = recompute()
    run.status, run.progress, run.finished_at, run.result = "done", 100, utcnow(), {"changed": n}
