"""Factories for evidence tests: cases filed through intake, with lifecycle columns and events set directly."""

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import record_event
from app.extensions import db
from app.intake.schemas import ComplaintIn
from app.intake.services import create_complaint
from tests.conftest import valid_complaint

#: deadlines in calendar days from receipt, so expectations do not depend on the holiday calendar
DUE_DAYS = {"acknowledge": 1, "first_report": 15, "resolve": 30}


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_case(app, received_at, *, ack=None, told=None, concluded=None, outcome="concluded", status=None,
              actor=None, channel="web", doc=None, closed=None):
    """A case received at ``received_at``; ``ack``/``told``/``concluded`` are days after receipt (or None)."""
    with app.test_request_context():
        case = create_complaint(ComplaintIn().load(doc or valid_complaint()))
        db.session.flush()
        case.received_at = received_at
        case.channel = channel
        for d in case.deadlines:
            d.due_at = received_at + timedelta(days=DUE_DAYS[d.kind])
        if ack is not None:
            case.acknowledged_at = received_at + timedelta(days=ack)
            record_event(case, "acknowledged", actor=actor, public=True)
            case.status = "acknowledged"
        if told is not None:
            case.first_reported_at = received_at + timedelta(days=told)
        if concluded is not None:
            case.concluded_at = received_at + timedelta(days=concluded)
            case.outcome = outcome
            case.status = status or outcome
            record_event(case, outcome, actor=actor, public=True)
        elif status:
            case.status = status
        if closed is not None:
            case.closed_at = received_at + timedelta(days=closed)
        db.session.commit()
        return case.id


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
