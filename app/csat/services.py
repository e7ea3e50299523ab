"""Satisfaction: invite the citizen once a case is decided, take one rating per case, tell the audit trail."""

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record_event
from app.cases.models import Case
from app.channels.services import citizen_addresses
from app.common.i18n import t
from app.csat.models import Feedback
from app.errors import Conflict
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import OutboxMessage

#: a case may be rated once the unit has given its decision (DOMAIN.md: ยุติ / ไม่ยุติ), or once it is closed
RATEABLE = frozenset({"concluded", "not_concluded", "closed"})
#: the invitation goes out on one channel, the first the citizen can be reached on
INVITE_CHANNELS = ("email", "line", "sms")


def rating_state(case: Case) -> str:
    """``open`` (not yet decided), ``rateable`` or ``rated``: what the tracking page shows."""
    if db.session.scalar(select(Feedback.id).where(Feedback.case_id == case.id)) is not None:
        return "rated"
    return "rateable" if case.status in RATEABLE else "open"


def submit(case: Case, score: int, comment: str | None, *, source: str = "web", actor=None) -> Feedback:
    """Record the case's one rating and its event (flushed, not committed).

    :raises Conflict: ``csat_not_ready`` before the decision, ``csat_already_rated`` for a second rating (409).
    """
    if case.status not in RATEABLE:
        raise Conflict("csat_not_ready")
    if db.session.scalar(select(Feedback.id).where(Feedback.case_id == case.id)) is not None:
        raise Conflict("csat_already_rated")
    fb = Feedback(case_id=case.id, score=score, comment=(comment or "").strip() or None, source=source,
                  recorded_by=getattr(actor, "id", None))
    try:
        with db.session.begin_nested():  # the unique case_id settles a race between two first ratings
            db.session.add(fb)
    except IntegrityError:
        raise Conflict("csat_already_rated") from None
    # the comment stays out of the event: events are append-only, and a comment may need erasing (PDPA)
    record_event(case, "csat_rated", actor=actor, public=True, score=score, source=source, feedback_id=fb.id)
    return fb


def invite(case: Case) -> OutboxMessage | None:
    """Invite the complainant to rate the case (one outbox row per case; a second call does nothing).

    The workflow calls this when a case is concluded; anonymous cases are invited on the tracking page only.
    """
    key = f"csat-invite:{case.id}"
    if case.anonymous or case.complainant_id is None:
        return None
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
        return None
    return outbox.add("invite_feedback", {"case_id": case.id}, dedupe_key=key)


@outbox.handler("invite_feedback")
def invite_feedback(msg: OutboxMessage) -> None:
    """Send the invitation, unless the case was rated or reopened meanwhile or the person was erased."""
    from app.outbox.notify import _deliver  # the shared claim-send-record rule of the notification log

    case = db.session.get(Case, msg.payload["case_id"])
    if case is None or rating_state(case) != "rateable":
        return
    addresses = citizen_addresses(case)
    channel = next((c for c in INVITE_CHANNELS if addresses.get(c)), None)
    if channel is None:
        return  # no way to reach them (or erased): the tracking page still offers the form
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    link = f"{base}/track/{case.tracking_code}#csat"
    subject = t("csat.invite.subject", "th", code=case.tracking_code)
    if channel == "email":
        body = render_template("csat/invite.txt", case=case, link=link)
    else:
        body = t("csat.invite.short", "th", code=case.tracking_code, link=link)
    _deliver(msg, channel, addresses[channel], subject, body, case.id)
