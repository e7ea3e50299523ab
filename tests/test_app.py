"""Settings from the environment, seeding, health endpoints, the one error shape."""

import pytest
from sqlalchemy import func, select

from app.config import config_from_env
from app.extensions import db
from app.routing.models import Category, Division, RoutingRule
from app.routing.seed import seed_reference


def test_settings_come_from_the_environment():
    cfg = config_from_env({"APP_ENV": "testing", "DATABASE_URL": "postgresql://u:p@h/db", "REDIS_URL": "redis://r"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@h/db"
    assert cfg["REDIS_URL"] == "redis://r" and cfg["TESTING"]
    assert config_from_env({"APP_ENV": "development"})["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    with pytest.raises(RuntimeError):
        config_from_env({"APP_ENV": "production"})  # no SECRET_KEY
    with pytest.raises(RuntimeError):
        config_from_env({"APP_ENV": "staging"})


def test_seed_is_complete_and_idempotent(ctx):
    pios = db.session.scalars(select(Division.code).where(Division.kind == "provincial")).all()
    assert len(pios) == 76 and "PIO-20" in pios and "PIO-21" in pios and "PIO-10" not in pios
    for code in ("TRIAGE", "DIW", "IEAT", "TISI", "DPIM", "OCSB", "DIPROM", "ACC", "ICT"):
        assert db.session.get(Division, code) is not None
    assert db.session.get(Division, "ACC").restricted
    assert db.session.scalar(select(func.count(Category.code))) == 10
    before = db.session.scalar(select(func.count(RoutingRule.id)))
    assert seed_reference() == {"divisions": 0, "categories": 0, "routing_rules": 0}
    assert db.session.scalar(select(func.count(RoutingRule.id))) == before


def test_demo_seed_is_refused_in_production(app):
    from app import create_app
    from tests.conftest import make_config

    prod = create_app(make_config(APP_ENV="production"))
    result = prod.test_cli_runner().invoke(args=["seed", "--demo"])
    assert result.exit_code != 0 and "production" in result.output


def test_demo_seed_creates_contract_users(app, ctx):
    result = app.test_cli_runner().invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    from app.accounts.models import User

    users = {u.username: u for u in db.session.scalars(select(User))}
    assert {"agent", "officer", "officer2", "supervisor", "auditor", "admin"} <= set(users)
    assert users["officer"].division_codes == {"DIW"} and users["officer2"].division_codes == {"PIO-20"}
    assert users["agent"].check_password(app.config["DEMO_PASSWORD"])
    again = app.test_cli_runner().invoke(args=["seed", "--demo"])
    assert '"demo_users": 0' in again.output and '"demo_cases": 0' in again.output


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.get_json()["checks"]["database"] == "ok"


def test_errors_have_one_shape_and_leak_nothing(client):
    for r in (client.get("/api/v1/nowhere"), client.delete("/api/v1/complaints"),
              client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})):
        body = r.get_json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
        assert "Traceback" not in r.get_data(as_text=True) and "/work" not in r.get_data(as_text=True)


def test_unexpected_errors_are_a_plain_500(app):
    from app import create_app
    from tests.conftest import make_config

    fragile = create_app(make_config(PROPAGATE_UNEXPECTED=False))

    @fragile.get("/api/v1/boom")
    def boom():
        raise RuntimeError("SELECT secret FROM /etc/passwd")

    r = fragile.test_client().get("/api/v1/boom")
    assert r.status_code == 500 and r.get_json()["error"]["code"] == "internal"
    assert "secret" not in r.get_data(as_text=True)
