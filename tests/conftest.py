"""Shared fixtures: one migrated database per test session (PostgreSQL when ``TEST_DATABASE_URL`` is set,
otherwise a SQLite file), emptied of case data after each test; real Redis when ``TEST_REDIS_URL`` is set."""

import os
import tempfile

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db

#: tables holding reference data, kept between tests
REFERENCE = {"divisions", "categories", "routing_rules", "alembic_version", "manual_versions"}


def _database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    fd, path = tempfile.mkstemp(prefix="idee-test-", suffix=".sqlite3")
    os.close(fd)
    return f"sqlite:///{path}"


def make_config(**extra) -> dict:
    cfg = {"APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False,
           "REDIS_URL": None, "SMTP_URL": None, "PROPAGATE_UNEXPECTED": True,
           "CLASSIFIER_RETRAIN_CV": 0, "SQLALCHEMY_DATABASE_URI": DB_URL,
           "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    cfg.update(extra)
    return cfg


DB_URL = _database_url()
# No classifier unless a test asks for one (`with_model`): results must not depend on a local `make model`.
os.environ["IDEE_CLASSIFIER_ARTIFACTS"] = tempfile.mkdtemp(prefix="idee-no-model-")


@pytest.fixture(scope="session")
def model_artifacts(tmp_path_factory):
    """A classifier trained once per session on the real corpus (no cross-validation, to stay quick)."""
    from classifier.train import train

    out = tmp_path_factory.mktemp("model")
    card = train(out_dir=out, progress=False, cv=0)
    return card, out


@pytest.fixture
def with_model(model_artifacts, monkeypatch):
    card, out = model_artifacts
    monkeypatch.setenv("IDEE_CLASSIFIER_ARTIFACTS", str(out))
    return card


@pytest.fixture(scope="session")
def app():
    os.environ["APP_ENV"] = "testing"
    application = create_app(make_config())
    with application.app_context():
        if DB_URL.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        else:
            db.drop_all()
        upgrade()  # the suite runs on the migrated schema, so migrations are exercised every run
        from app.routing.seed import seed_reference

        seed_reference()
        from app.manual.seed import seed_manual

        seed_manual()
        db.session.commit()
    yield application


@pytest.fixture(autouse=True)
def _clean(app):
    yield
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE]
        if DB_URL.startswith("postgresql"):
            db.session.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                db.session.execute(t.delete())
        db.session.commit()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def limited(app):
    """Builds apps with rate limits on. The limiter is one object shared by every app: afterwards it is given back
    to the suite's app (limits off), or the tests that follow would be limited by what this one counted."""
    from app.extensions import limiter

    def build(**overrides):
        return create_app(make_config(RATELIMIT_ENABLED=True, **overrides))

    yield build
    limiter.init_app(app)  # (a fresh storage from the suite's settings; a reset would reach a storage that is down)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis; CI must provide one (a skip there would hide untested code)."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL must be set in CI")
        pytest.skip("no Redis: set TEST_REDIS_URL")
    return url


def valid_complaint(**overrides) -> dict:
    doc = {
        "subject": "กลิ่นเหม็นจากโรงงาน",
        "description": "โรงงานปล่อยกลิ่นเหม็นคล้ายสารเคมีทุกคืนหลังสี่ทุ่ม ชาวบ้านแสบจมูกและนอนไม่หลับ",
        "complainant": {"name": "สมหญิง ทดสอบ", "phone": "081-234-5678", "email": "somying@example.com",
                        "national_id": "1101700230708"},
        "location": {"province": "ระยอง", "district": "ปลวกแดง", "address": "หมู่ 3 ถนนสาย 36"},
        "respondent": {"name": "บริษัท ตัวอย่างเคมี จำกัด"},
    }
    doc.update(overrides)
    return doc


@pytest.fixture
def staff_token(app, client):
    """A bearer token for a demo agent."""
    from app.accounts.seed import seed_demo_users

    with app.app_context():
        seed_demo_users()
        db.session.commit()
    r = client.post("/api/v1/auth/token", json={"username": "agent", "password": app.config["DEMO_PASSWORD"]})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["token"]


DEMO_ROLES = ("agent", "officer", "officer2", "supervisor", "auditor", "admin")


@pytest.fixture
def tokens(app, client):
    """Bearer tokens for every demo user (``officer`` is DIW, ``officer2`` the Chonburi office)."""
    from app.accounts.seed import seed_demo_users

    with app.app_context():
        seed_demo_users()
        db.session.commit()
    out = {}
    for name in DEMO_ROLES:
        r = client.post("/api/v1/auth/token", json={"username": name, "password": app.config["DEMO_PASSWORD"]})
        assert r.status_code == 201, r.get_json()
        out[name] = r.get_json()["token"]
    return out
