"""The SLA sweep: set-based SQL only (no per-case Python loop), idempotent at a given moment.

1. one ``sla_alerts`` row per clock about to turn ``overdue`` (past due) or ``at_risk`` (past its at-risk moment),
   INSERT … SELECT, unique per clock and due; then one UPDATE each moves those clocks;
3. a licence-type case whose resolution just went overdue starts its s.10 delay notices (every 7 days);
4. recurring notices to citizens that fell due → one outbox row each (dedupe key per clock);
5. one digest outbox row per unit (at risk and overdue) and one escalation per unit to the supervisors.

Running it again at the same moment changes nothing and adds nothing: every step selects only transitions
and every insert is guarded by a unique key.
"""

from datetime import datetime, timedelta

from sqlalchemy import String, and_, cast, exists, func, literal, select, text, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from app.cases.models import Case
from app.common.models import UTCDateTime, utcnow
from app.extensions import db
from app.outbox.models import JobRun, OutboxMessage
from app.sla.models import CaseSla, Deadline, SlaAlert
from app.sla.policy import CASE_CLOCKS
from app.sla.services import NOTICE_CLOCKS


def _insert(table):
    """INSERT … ON CONFLICT DO NOTHING on either backend, reporting how many rows it wrote."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).execution_options(preserve_rowcount=True)


def _json(**pairs):
    """A JSON object built in SQL (keys typed, since PostgreSQL cannot infer a variadic argument's type)."""
    fn = func.json_build_object if db.engine.dialect.name == "postgresql" else func.json_object
    args = []
    for key, value in pairs.items():
        args += [cast(literal(key), String), value]
    return fn(*args)


def _outbox_rows(job: str, payload, dedupe, source):
    """INSERT INTO outbox (…) SELECT … from ``source`` (a select producing payload and dedupe columns)."""
    cols = ("job", "payload", "dedupe_key", "status", "attempts", "created_at")
    # "WHERE true": SQLite would otherwise read ON CONFLICT as a join condition
    written = literal(utcnow(), UTCDateTime)  # wall-clock time, even for a sweep "as of" another moment
    sel = select(cast(literal(job), String), payload, dedupe, cast(literal("pending"), String), literal(0), written) \
        .select_from(source).where(true())
    return _insert(OutboxMessage.__table__).from_select(cols, sel).on_conflict_do_nothing()


def sweep(now: datetime | None = None) -> dict:
    """Run the sweep at ``now`` (flushes; the caller commits). Returns counts per step."""
    now = now or utcnow()
    at = literal(now, UTCDateTime)
    d = Deadline.__table__
    out = {"at": now.isoformat()}
    staff = d.c.kind.in_(CASE_CLOCKS)

    # literal predicates, so PostgreSQL matches the partial indexes of live clocks
    live, fresh = text("deadlines.state IN ('ok', 'at_risk')"), text("deadlines.state = 'ok'")
    becomes = {"overdue": and_(live, staff, d.c.due_at <= now),
               "at_risk": and_(fresh, staff, d.c.risk_at <= now, d.c.due_at > now)}
    c = Case.__table__
    out["alerts"] = 0
    for kind, cond in becomes.items():  # the alerts first: they name exactly the clocks the UPDATE moves next
        changed = select(d.c.id, d.c.case_id, c.c.division_code, cast(literal(kind), String), d.c.kind, d.c.due_at,
                         at).select_from(d.join(c, c.c.id == d.c.case_id)).where(cond)
        out["alerts"] += db.session.execute(
            _insert(SlaAlert.__table__).from_select(
                ("deadline_id", "case_id", "division_code", "kind", "clock", "due_at", "sweep_at"), changed)
            .on_conflict_do_nothing()).rowcount
    out["overdue"] = db.session.execute(update(d).where(becomes["overdue"]).values(
        state="overdue", state_changed_at=now, escalated_at=now)).rowcount
    out["at_risk"] = db.session.execute(update(d).where(becomes["at_risk"]).values(
        state="at_risk", state_changed_at=now, notified_at=now)).rowcount

    # Licensing Facilitation Act s.10: once late, tell the applicant the reason every 7 days until done.
    cs, x, a = CaseSla.__table__, aliased(Deadline), SlaAlert.__table__
    txt = lambda v: cast(literal(v), String)  # noqa: E731
    late = (select(d.c.case_id, txt("delay_notice"), literal(1), d.c.due_at, cs.c.notice_basis, d.c.due_at,
                   literal(0), txt("ok"), d.c.due_at)
            .select_from(a.join(d, d.c.id == a.c.deadline_id).join(cs, cs.c.case_id == d.c.case_id))
            .where(a.c.sweep_at == now, a.c.kind == "overdue", a.c.clock == "resolve", cs.c.licence.is_(True),
                   ~exists().where(x.case_id == d.c.case_id, x.kind == "delay_notice")))
    out["delay_chains"] = db.session.execute(
        _insert(d).from_select(("case_id", "kind", "seq", "due_at", "basis", "started_at", "paused_seconds",
                                "state", "risk_at"), late).on_conflict_do_nothing()).rowcount

    due_notice = and_(d.c.kind.in_(NOTICE_CLOCKS), live, d.c.due_at <= now)
    notices = select(d.c.id).where(due_notice).subquery()
    out["citizen_notices"] = db.session.execute(_outbox_rows(
        "sla_citizen_notice", _json(deadline_id=notices.c.id),
        cast(literal("sla-notice:"), String) + cast(notices.c.id, String), notices)).rowcount
    db.session.execute(update(d).where(due_notice).values(state="queued", state_changed_at=now))

    for job, kinds in (("sla_unit_alerts", ("at_risk", "overdue")), ("sla_escalate", ("overdue",))):
        units = select(a.c.division_code).where(a.c.sweep_at == now, a.c.kind.in_(kinds)) \
            .group_by(a.c.division_code).subquery()
        key = cast(literal(f"{job}:{now.isoformat()}:"), String) + units.c.division_code
        out[job] = db.session.execute(_outbox_rows(
            job, _json(division=units.c.division_code, sweep_at=cast(literal(now.isoformat()), String)),
            key, units)).rowcount
    db.session.flush()
    return out


def run_sweep(now: datetime | None = None) -> dict:
    """The scheduled job and ``flask sla sweep``: sweep, record a JobRun, commit, hand the outbox rows on."""
    from app.outbox.services import relay

    run = JobRun(kind="sla_sweep", status="running", started_at=utcnow())
    db.session.add(run)
    db.session.flush()
    result = sweep(now)
    run.status, run.progress, run.finished_at, run.result = "done", 100, utcnow(), result
    db.session.commit()
    result["relayed"] = relay(grace=timedelta(0))
    return result
