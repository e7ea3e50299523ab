"""Outbox handlers that tell people about cases, and the delivery rule they share.

One outbox row gives at most one Notification (unique ``outbox_id``), delivered in this order:

1. **claim**: write the Notification as ``sending`` and COMMIT, before anything leaves the service;
2. **send** through the channel's transport with a key stable for the row (the e-mail's Message-ID, LINE's
   ``X-Line-Retry-Key``, the SMS gateway's reference);
3. **record** ``sent`` or ``recorded``, committed with the outbox row's ``done``.

A later run of the same row (RQ retry, a second relay, the periodic sweep) reads the Notification first:
``sent``/``recorded`` → nothing to do; ``sending`` younger than ``NOTIFY_SENDING_LEASE`` → another worker is on
it, raise so the job is tried later; ``sending`` older (its worker died between 2 and 3) or ``failed`` → send again
with the same key. That resend is the one at-least-once window left: LINE answers a repeated retry key with 409
(counted as sent, no second message) and a gateway that honours the reference drops it, but an SMTP server does
not: an e-mail whose worker died after the server accepted it, or whose acceptance was lost to a timeout, goes
out twice (with the same Message-ID, which most mail clients show once).

A transport error marks the Notification ``failed`` with the error, commits that, and raises: the outbox counts
the attempt and RQ retries; after ``MAX_ATTEMPTS`` the outbox row is ``failed`` too. A refusal of the message
itself (invalid recipient: SMTP 5xx on RCPT, HTTP 400/404) is final at once: ``failed``, and the row is done.
"""

import smtplib
import ssl
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import unquote, urlparse

from flask import current_app, render_template
from sqlalchemy import select

from app.accounts.models import Role, User, user_divisions
from app.cases.models import Case, CaseEvent
from app.channels.backends import PermanentError, TransientError, backend_for
from app.channels.render import LOCALE, citizen_message, resolve_due, unit_name
from app.channels.services import citizen_addresses, existing_keys
from app.common.i18n import t
from app.common.models import utcnow
from app.common.templating import format_date
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import Notification, OutboxMessage
from app.outbox.services import handler
from app.routing.models import Division

#: a notification in one of these states is never sent again
FINAL = frozenset({"sent", "recorded"})
#: transport keys are uuid5(this, outbox row): the same on every retry of a row, unique across rows
_KEY_NAMESPACE = uuid.UUID("5b0c1f1e-7d4a-4f53-9a53-6e1d2c1f0a77")


class DeliveryBusy(TransientError):
    """Another worker claimed this notification moments ago."""


def send_email(to: str, subject: str, body: str, message_id: str | None = None) -> str:
    """Send through ``SMTP_URL``; answer ``sent``, or ``recorded`` when no SMTP server is configured.

    :raises PermanentError: the server refused the recipient for good (5xx).
    :raises TransientError: anything else (connection, timeout, 4xx, a refused sender or login).
    """
    url = current_app.config.get("SMTP_URL")
    if not url:
        return "recorded"
    parsed = urlparse(url)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = current_app.config["MAIL_FROM"], to, subject
    msg["Date"] = formatdate()
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(body, charset="utf-8")
    timeout = current_app.config["CHANNEL_HTTP_TIMEOUT"]
    try:
        if parsed.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(parsed.hostname, parsed.port or 465, timeout=timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(parsed.hostname, parsed.port or 25, timeout=timeout)
        with smtp:
            smtp.ehlo()
            if parsed.scheme != "smtps" and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())  # port 587 submission: never log in in clear
                smtp.ehlo()
            if parsed.username:
                smtp.login(unquote(parsed.username), unquote(parsed.password or ""))
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted(code for code, _ in exc.recipients.values())
        cls = PermanentError if all(code >= 500 for code in codes) else TransientError
        raise cls(f"SMTP refused the recipient ({codes})") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientError(f"SMTP: {type(exc).__name__}: {exc}") from None
    return "sent"


@handler("notify_citizen")
def notify_citizen(msg: OutboxMessage) -> None:
    """Tell the complainant of one public step on one channel (rows written by ``channels.notify_citizen``)."""
    case = db.session.get(Case, msg.payload["case_id"])
    event = db.session.get(CaseEvent, msg.payload["event_id"])
    channel = msg.payload["channel"]
    to = citizen_addresses(case).get(channel) if case is not None and event is not None and event.public else None
    if not to:
        return  # erased, anonymous or contact removed since the step: nobody to tell (PDPA), and no error
    subject, body = citizen_message(case, event, channel)
    _deliver(msg, channel, to, subject, body, case.id, event.id)


@handler("notify_unit_new_case")
def notify_unit_new_case(msg: OutboxMessage) -> None:
    """Tell the unit now holding a case: each of its officers (a row each), then the unit's mailbox."""
    case = db.session.get(Case, msg.payload["case_id"])
    division = db.session.get(Division, msg.payload["division"])
    if case is None or division is None:
        return
    _tell_officers(msg, case, division)
    to = division.email or current_app.config["TRIAGE_NOTIFY_EMAIL"]
    subject = t("mail.new_case.subject", LOCALE, code=case.tracking_code)
    body = render_template("mail/new_case.txt", case=case, division=division,
                           received=format_date(case.received_at, locale=LOCALE))
    _deliver(msg, "email", to, subject, body, case.id)


@handler("notify_officer")
def notify_officer(msg: OutboxMessage) -> None:
    """Tell one officer of a case: new in their unit (``reason`` ``unit``) or given to them (``assigned``)."""
    case = db.session.get(Case, msg.payload["case_id"])
    user = db.session.get(User, msg.payload["user_id"])
    if case is None or user is None or not user.active or not user.email:
        return
    reason = "assigned" if msg.payload.get("reason") == "assigned" else "unit"
    division = unit_name(msg.payload.get("division") or case.division_code)
    subject = t(f"channels.officer.{reason}.subject", LOCALE, code=case.tracking_code, division=division)
    body = render_template("mail/officer_case.txt", case=case, reason=reason, division_name=division,
                           received=format_date(case.received_at, locale=LOCALE), due=resolve_due(case))
    _deliver(msg, "email", user.email, subject, body, case.id)


def _tell_officers(msg: OutboxMessage, case: Case, division: Division) -> None:
    """One ``notify_officer`` row per officer of the unit with an e-mail, so each is delivered and retried on its
    own. They are committed and relayed here: the commit that marks this row done does not relay new rows."""
    officer_ids = db.session.scalars(
        select(User.id).join(user_divisions, user_divisions.c.user_id == User.id)
        .where(user_divisions.c.division_code == division.code, User.role == Role.officer,
               User.active.is_(True), User.email.is_not(None), User.email != "")
        .order_by(User.id)
    ).all()
    keys = {user_id: f"officer:{msg.id}:{user_id}" for user_id in officer_ids}
    done = existing_keys(keys.values())
    rows = [outbox.add("notify_officer", {"case_id": case.id, "user_id": user_id, "reason": "unit",
                                          "division": division.code}, dedupe_key=key)
            for user_id, key in keys.items() if key not in done]
    if not rows:
        return
    db.session.flush()
    ids = [row.id for row in rows]
    new = db.session.info.get("outbox_new", [])
    db.session.info["outbox_new"] = [row for row in new if row.id not in ids]
    db.session.commit()
    outbox.relay(ids)


def _deliver(msg: OutboxMessage, channel: str, to: str, subject: str, body: str, case_id: int | None,
             event_id: int | None = None) -> None:
    """Claim, send, record (see the module's docstring for the order and what a retry does)."""
    note = db.session.scalar(select(Notification).where(Notification.outbox_id == msg.id))
    now = utcnow()
    if note is not None and note.status in FINAL:
        return
    if note is not None and note.status == "sending" and note.updated_at is not None and \
            note.updated_at > now - timedelta(seconds=current_app.config["NOTIFY_SENDING_LEASE"]):
        raise DeliveryBusy(f"notification {note.id} is being sent by another worker")
    if note is None:
        note = Notification(outbox_id=msg.id, attempts=0)
        db.session.add(note)
    key = str(uuid.uuid5(_KEY_NAMESPACE, f"outbox:{msg.id}:{msg.job}:{msg.dedupe_key}"))
    note.channel, note.recipient, note.subject, note.body = channel, to, subject[:300], body
    note.case_id, note.event_id, note.reference = case_id, event_id, key
    note.status, note.attempts, note.updated_at = "sending", note.attempts + 1, now
    db.session.commit()  # the claim is durable before anything leaves
    try:
        status = _send(channel, to, subject, body, key)
    except PermanentError as exc:
        note.status, note.error, note.updated_at = "failed", f"refused: {exc}"[:2000], utcnow()
        return  # final: the row is done, the notification shows why nothing went out
    except Exception as exc:
        note.status, note.error, note.updated_at = "failed", f"{type(exc).__name__}: {exc}"[:2000], utcnow()
        db.session.commit()
        raise
    note.status, note.error, note.sent_at, note.updated_at = status, None, utcnow(), utcnow()


def _send(channel: str, to: str, subject: str, body: str, key: str) -> str:
    if channel == "email":
        domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "idee.local"
        return send_email(to, subject, body, message_id=f"<{key}@{domain}>")
    return backend_for(channel).send(to, body, key=key)
