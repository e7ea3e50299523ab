"""Outbox handlers for what the sweep queued: a digest to each unit, an escalation to supervisors, the periodic
notices to citizens (and the copy of a licence's s.10 notice to OPDC). Each is idempotent on its outbox row."""

from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import select, update

from app.accounts.models import User
from app.audit.services import record_event
from app.cases.models import Case
from app.common.i18n import t
from app.common.models import utcnow
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import OutboxMessage
from app.outbox.notify import _deliver
from app.routing.models import Division
from app.sla.models import Deadline, SlaAlert
from app.sla.services import next_notice


def _alerts(msg: OutboxMessage, kinds: tuple[str, ...]) -> list[tuple[SlaAlert, Case]]:
    sweep_at = datetime.fromisoformat(msg.payload["sweep_at"])
    return db.session.execute(
        select(SlaAlert, Case).join(Case, Case.id == SlaAlert.case_id)
        .where(SlaAlert.sweep_at == sweep_at, SlaAlert.division_code == msg.payload["division"],
               SlaAlert.kind.in_(kinds)).order_by(SlaAlert.due_at)).all()


@outbox.handler("sla_unit_alerts")
def unit_alerts(msg: OutboxMessage) -> None:
    """One e-mail to the unit listing its clocks that turned at risk or overdue in one sweep."""
    rows = _alerts(msg, ("at_risk", "overdue"))
    if not rows:
        return
    division = db.session.get(Division, msg.payload["division"])
    to = (division.email if division else None) or current_app.config["TRIAGE_NOTIFY_EMAIL"]
    subject = t("sla.mail.unit.subject", "th", count=len(rows))
    body = render_template("sla/mail_alerts.txt", division=division, rows=rows, escalation=False)
    _deliver(msg, "email", to, subject, body, None)
    _mark_sent([a.id for a, _ in rows])


@outbox.handler("sla_escalate")
def escalate(msg: OutboxMessage) -> None:
    """Overdue clocks of a unit go to its supervisors; each case records the escalation (one chained event)."""
    rows = _alerts(msg, ("overdue",))
    if not rows:
        return
    division = db.session.get(Division, msg.payload["division"])
    to = ", ".join(supervisor_emails(msg.payload["division"]))
    subject = t("sla.mail.escalate.subject", "th", count=len(rows))
    body = render_template("sla/mail_alerts.txt", division=division, rows=rows, escalation=True)
    _deliver(msg, "email", to, subject, body, None)
    for alert, case in rows:
        record_event(case, "sla_escalated", public=False, clock=alert.clock, due_at=alert.due_at.isoformat(),
                     division=alert.division_code)
    _mark_sent([a.id for a, _ in rows])


def supervisor_emails(division_code: str) -> list[str]:
    """The unit's own supervisors, else the ministry-wide ones (no unit), else ``SLA_ESCALATION_EMAIL``."""
    sups = db.session.scalars(select(User).where(User.role == "supervisor", User.active.is_(True),
                                                 User.email.is_not(None))).all()
    own = [u.email for u in sups if division_code in u.division_codes]
    wide = [u.email for u in sups if not u.division_codes]
    return own or wide or [current_app.config["SLA_ESCALATION_EMAIL"]]


def _mark_sent(ids: list[int]) -> None:
    db.session.execute(update(SlaAlert).where(SlaAlert.id.in_(ids), SlaAlert.sent_at.is_(None))
                       .values(sent_at=utcnow()))


@outbox.handler("sla_citizen_notice")
def citizen_notice(msg: OutboxMessage) -> None:
    """The periodic notice to the complainant (progress, or a late licence's s.10 notice), shown on the tracking
    page too (an anonymous complainant reads it only there); then the next notice's clock starts."""
    d = db.session.get(Deadline, msg.payload["deadline_id"])
    if d is None or d.met_at is not None:
        return
    case, now = d.case, utcnow()
    if not case.is_open:
        d.met_at, d.state = now, "met"
        return
    kind = "sla_delay_notice" if d.kind == "delay_notice" else "sla_progress_notice"
    record_event(case, kind, public=True, seq=d.seq, status=str(case.status))
    person = None if case.anonymous else case.complainant
    subject = t(f"sla.mail.{d.kind}.subject", "th", code=case.tracking_code)
    body = render_template("sla/mail_notice.txt", case=case, deadline=d)
    if person is not None and person.email:
        _deliver(msg, "email", person.email, subject, body, case.id)
    elif person is not None and person.phone:
        _deliver(msg, "sms", person.phone, subject, body, case.id)
    if d.kind == "delay_notice":  # s.10: every notice is copied to OPDC
        outbox.add("sla_opdc_copy", {"deadline_id": d.id}, dedupe_key=f"sla-opdc:{d.id}")
    next_notice(d, case, now)


@outbox.handler("sla_opdc_copy")
def opdc_copy(msg: OutboxMessage) -> None:
    """The copy of a s.10 delay notice for สำนักงาน ก.พ.ร. (no personal data in it)."""
    d = db.session.get(Deadline, msg.payload["deadline_id"])
    subject = t("sla.mail.opdc.subject", "th", code=d.case.tracking_code)
    body = render_template("sla/mail_opdc.txt", case=d.case, deadline=d)
    _deliver(msg, "email", current_app.config["SLA_OPDC_EMAIL"], subject, body, d.case_id)
