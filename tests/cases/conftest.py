"""Fixtures for case work: demo staff with tokens, and cases filed through the real intake path."""

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.cases.models import Case
from app.common.db import commit
from app.extensions import db
from app.intake.schemas import ComplaintIn
from app.intake.services import create_complaint
from app.routing.learning import reroute_case
from tests.conftest import DEMO_ROLES, valid_complaint

ROLES = DEMO_ROLES


@pytest.fixture
def staff(tokens):
    """``{username: headers}`` for every demo user (agent, DIW officer, Chonburi officer, …)."""
    return {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}


def file_case(division: str | None = "DIW", **overrides) -> int:
    """File a complaint through intake (no classifier: it lands in triage), then move it to ``division``."""
    doc = ComplaintIn().load(valid_complaint(**overrides))
    case = create_complaint(doc)
    db.session.flush()
    if division:
        admin = db.session.scalar(select(User).where(User.username == "supervisor"))
        reroute_case(case.id, actor=admin, category=None, division=division, reason="ทดสอบการส่งต่อ")
    commit()  # as a request would: commit, then run the outbox (inline without Redis)
    return case.id


@pytest.fixture
def new_case(app, staff):
    """A case assigned to DIW (the demo ``officer``'s unit)."""
    def make(division="DIW", **overrides):
        with app.app_context():
            return file_case(division, **overrides)

    return make


def get_case(case_id: int) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case_id)
