"""Deliver notifications: e-mail over SMTP when configured; otherwise, and for SMS/LINE, recorded in the log.

The default SMS/LINE backend records the message; a real gateway plugs in as another backend.
"""

import smtplib
from email.message import EmailMessage
from urllib.parse import urlparse

from flask import current_app, render_template

from app.cases.models import Case
from app.common.i18n import t
from app.extensions import db
from app.outbox.models import Notification, OutboxMessage
from app.outbox.services import handler
from app.routing.models import Division


def send_email(to: str, subject: str, body: str) -> str:
    """Send through ``SMTP_URL``; answer ``sent``, or ``recorded`` when no SMTP server is configured."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        return "recorded"
    parsed = urlparse(url)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = current_app.config["MAIL_FROM"], to, subject
    msg.set_content(body, charset="utf-8")
    smtp_cls = smtplib.SMTP_SSL if parsed.scheme == "smtps" else smtplib.SMTP
    with smtp_cls(parsed.hostname, parsed.port or 25, timeout=10) as smtp:
        if parsed.username:
            smtp.login(parsed.username, parsed.password or "")
        smtp.send_message(msg)
    return "sent"


@handler("notify_unit_new_case")
def notify_unit_new_case(msg: OutboxMessage) -> None:
    """Tell the unit holding a new case that it has arrived."""
    case = db.session.get(Case, msg.payload["case_id"])
    division = db.session.get(Division, msg.payload["division"])
    to = division.email or current_app.config["TRIAGE_NOTIFY_EMAIL"]
    subject = t("mail.new_case.subject", "th", code=case.tracking_code)
    body = render_template("mail/new_case.txt", case=case, division=division)
    _deliver(msg, "email", to, subject, body, case.id)


def _deliver(msg: OutboxMessage, channel: str, to: str, subject: str, body: str, case_id: int | None) -> None:
    # One notification per outbox row (unique outbox_id): a retried job finds it and stops.
    if db.session.query(Notification.id).filter_by(outbox_id=msg.id).first():
        return
    status = send_email(to, subject, body) if channel == "email" else "recorded"
    db.session.add(Notification(outbox_id=msg.id, channel=channel, recipient=to, subject=subject, body=body,
                                case_id=case_id, status=status))
