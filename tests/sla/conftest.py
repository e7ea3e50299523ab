"""SLA fixtures: demo staff, cases filed through the real intake path at a chosen moment, fresh rule caches."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.seed import seed_demo_users
from app.cases.models import Case
from app.cases.workflow import act
from app.extensions import db
from app.intake.schemas import ComplaintIn
from app.intake.services import create_complaint
from app.routing.learning import reroute_case
from app.sla import rules
from app.sla.calendar import BANGKOK
from app.sla.services import on_case_change
from tests.conftest import valid_complaint


@pytest.fixture(autouse=True)
def _fresh_rules():
    rules.invalidate()
    yield
    rules.invalidate()


@pytest.fixture
def users(ctx):
    seed_demo_users()
    db.session.commit()
    return {u.username: u for u in db.session.scalars(select(User))}


def bkk(*args) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


def file_case(received_at: datetime, division: str | None = "DIW", **overrides) -> Case:
    """A letter registered by the supervisor with its receipt date, then routed to ``division``."""
    sup = db.session.scalar(select(User).where(User.username == "supervisor"))
    doc = ComplaintIn().load(valid_complaint(channel="letter", received_at=received_at.isoformat(), **overrides))
    case = create_complaint(doc, actor=sup)
    db.session.flush()
    if division:  # what the workflow's reroute step does, without its row lock (see step() for the real path)
        old = case.status
        reroute_case(case.id, actor=sup, category=None, division=division, reason="ทดสอบ")
        on_case_change(case, "rerouted", old)
    db.session.commit()
    return case


def step(case: Case, action: str, **params) -> Case:
    sup = db.session.scalar(select(User).where(User.username == "supervisor"))
    act(case.id, action, sup, params)
    db.session.commit()
    return case


def clocks(case: Case) -> dict:
    db.session.refresh(case)
    return {(d.kind, d.seq): d for d in case.deadlines}
