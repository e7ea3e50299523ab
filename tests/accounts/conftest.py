"""Fixtures for accounts and administration: one user per role, an admin's browser, reference data restored."""

import pytest
from sqlalchemy import update

from app.extensions import db, limiter
from app.routing.models import Category, Division, RoutingRule
from tests.accounts.helpers import login, make_user

ROLES = {"agent": ["TRIAGE"], "officer": ["DIW"], "supervisor": [], "auditor": [], "admin": []}


@pytest.fixture
def staff(app):
    """One user per role, named after the role (``admin``, ``officer`` …); returns their ids."""
    with app.app_context():
        ids = {role: make_user(role, role, units).id for role, units in ROLES.items()}
        db.session.remove()
    return ids


@pytest.fixture
def admin_client(app, staff):
    client = app.test_client()
    assert login(client, "admin").status_code == 303
    return client


@pytest.fixture
def keep_reference(app):
    """Units, categories and rules outlive a test (conftest keeps them): put them back as they were."""
    tables = (Division.__table__, Category.__table__, RoutingRule.__table__)
    with app.app_context():
        saved = {t: [dict(r._mapping) for r in db.session.execute(t.select())] for t in tables}
        db.session.remove()
    yield
    with app.app_context():
        db.session.rollback()
        for table in reversed(tables):  # rules first: they point at categories
            pk = table.primary_key.columns.values()[0]
            keys = [row[pk.name] for row in saved[table]]
            db.session.execute(table.delete().where(pk.not_in(keys)))
        for table in tables:
            pk = table.primary_key.columns.values()[0]
            now = {r._mapping[pk.name]: dict(r._mapping) for r in db.session.execute(table.select())}
            for row in saved[table]:
                if now.get(row[pk.name]) != row:  # only what the test changed
                    db.session.execute(update(table).where(pk == row[pk.name]).values(**row))
        db.session.commit()
        from app.routing.services import clear_caches

        clear_caches()


@pytest.fixture
def limited_app(app):
    """An app with the sign-in rate limit switched on (memory storage), and the shared limiter put back after."""
    from app import create_app
    from tests.conftest import make_config

    was_enabled = limiter.enabled
    yield create_app(make_config(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                                 RATELIMIT_LOGIN="3/minute"))
    limiter.enabled = was_enabled
