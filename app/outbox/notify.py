"""Outbox handlers that tell people about cases, and the delivery rule they share.

One outbox row gives at most one Notification (unique ``outbox_id``), delivered in this order:

1. **claim**: write the Notification as ``sending`` and commit it, before anything leaves the service;
2. **send** through the channel's transport with a key stable for the row (the e-mail's Message-ID, LINE's
   ``X-Line-Retry-Key``, the SMS gateway's reference);
3. **record** ``sent``/``recorded`` (or ``failed`` with the error), committed at once.

The notification log is written in its own short transactions (:func:`notification_log`), never in the
handler's: a handler's other writes (an SLA notice's event, say) stay all-or-nothing with its outbox row, and
what reached a transport is on record even when the handler fails afterwards.

A later run of the same row (RQ retry, a second relay, the periodic sweep) reads the Notification first:
``sent``/``recorded`` → nothing to send; ``sending`` younger than ``NOTIFY_SENDING_LEASE`` → another worker may be
on it, raise so the job is tried later; ``sending`` older (its worker died between 2 and 3) or ``failed`` → send
again with the same key. That resend is the one at-least-once window left: LINE answers a repeated retry key with
409 (counted as sent, no second message) and a gateway that honours the reference drops it, but an SMTP server
does not: an e-mail whose worker died after the server accepted it and before step 3 committed, or whose
acceptance was lost to a timeout, goes out twice (with the same Message-ID, which most mail clients show once).

A transport error marks the Notification ``failed`` and raises: the outbox counts the attempt and RQ retries;
after ``MAX_ATTEMPTS`` the outbox row is ``failed`` too. A refusal of the message itself (invalid recipient:
SMTP 5xx on RCPT, HTTP 400/404) is final at once: ``failed``, and the row is done.
"""

import smtplib
import ssl
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import unquote, urlparse

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User, user_divisions
from app.cases.models import Case, CaseEvent
from app.channels.backends import PermanentError, TransientError, backend_for
from app.channels.render import LOCALE, citizen_message, resolve_due, unit_name
from app.channels.services import citizen_addresses
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
    own. They are written in their own transaction (like the notification log, they stand whatever becomes of this
    handler's) and relayed at once; their dedupe keys make a rerun of this job add none twice."""
    officer_ids = db.session.scalars(
        select(User.id).join(user_divisions, user_divisions.c.user_id == User.id)
        .where(user_divisions.c.division_code == division.code, User.role == Role.officer,
               User.active.is_(True), User.email.is_not(None), User.email != "")
        .order_by(User.id)
    ).all()
    keys = {user_id: f"officer:{msg.id}:{user_id}" for user_id in officer_ids}
    if not keys:
        return
    with notification_log() as log:
        done = set(log.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys.values()))))
        rows = [OutboxMessage(job="notify_officer", dedupe_key=key, payload={
            "case_id": case.id, "user_id": user_id, "reason": "unit", "division": division.code})
            for user_id, key in keys.items() if key not in done]
        log.add_all(rows)
        log.flush()
        ids, own = [row.id for row in rows], log is not db.session
    if ids and own:
        outbox.relay(ids)  # else (a busy SQLite) they commit with this row and the periodic relay takes them


@contextmanager
def notification_log():
    """A session for the notification log's own short transactions: a claim or an outcome is durable at once,
    whatever becomes of the handler's transaction (which may hold the handler's other writes).

    SQLite has a single writer: when the handler's transaction already holds it (it flushed a write), the log rides
    in that transaction instead (committed with the outbox row) and the at-least-once window is the send itself.
    SQLite is for development; PostgreSQL always takes the first path.
    """
    if _sqlite_writer_busy():
        yield db.session
        db.session.flush()
        return
    with Session(db.engine, expire_on_commit=False) as log:
        yield log
        log.commit()


def _sqlite_writer_busy() -> bool:
    if db.engine.dialect.name != "sqlite":
        return False
    return bool(db.session.connection().connection.dbapi_connection.in_transaction)


def _deliver(msg: OutboxMessage, channel: str, to: str, subject: str, body: str, case_id: int | None,
             event_id: int | None = None) -> None:
    """Claim, send, record (see the module docstring for the order and what a retry does). Writes nothing in the
    handler's transaction, so a handler's own writes stay all-or-nothing with its outbox row.

    :raises TransientError: the transport failed (the Notification is ``failed``); the outbox retries the row.
    """
    key = str(uuid.uuid5(_KEY_NAMESPACE, f"outbox:{msg.id}:{msg.job}:{msg.dedupe_key}"))
    lease = timedelta(seconds=current_app.config["NOTIFY_SENDING_LEASE"])
    with notification_log() as log:
        note = log.scalar(select(Notification).where(Notification.outbox_id == msg.id))
        now = utcnow()
        if note is not None and note.status in FINAL:
            return
        if note is not None and note.status == "sending" and note.updated_at and note.updated_at > now - lease:
            raise DeliveryBusy(f"notification {note.id} is being sent by another worker")
        if note is None:
            note = Notification(outbox_id=msg.id, attempts=0)
            log.add(note)
        note.channel, note.recipient, note.subject, note.body = channel, to, subject[:300], body
        note.case_id, note.event_id, note.reference = case_id, event_id, key
        note.status, note.attempts, note.updated_at, note.error = "sending", note.attempts + 1, now, None
    try:
        status, error = _send(channel, to, subject, body, key), None
    except PermanentError as exc:
        status, error = "failed", f"refused: {exc}"  # final: the row is done, the log says why nothing went out
    except Exception as exc:
        _record(msg.id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    _record(msg.id, status, error)


def _record(outbox_id: int, status: str, error: str | None) -> None:
    with notification_log() as log:
        note = log.scalar(select(Notification).where(Notification.outbox_id == outbox_id))
        note.status, note.error, note.updated_at = status, error[:2000] if error else None, utcnow()
        if status in FINAL:
            note.sent_at = note.updated_at


def _send(channel: str, to: str, subject: str, body: str, key: str) -> str:
    if channel == "email":
        domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "idee.local"
        return send_email(to, subject, body, message_id=f"<{key}@{domain}>")
    return backend_for(channel).send(to, body, key=key)
