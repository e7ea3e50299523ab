import pytest

from app.extensions import db


@pytest.fixture
def tokens(app, client):
    """Bearer tokens for every demo role."""
    from app.accounts.seed import seed_demo_users

    with app.app_context():
        seed_demo_users()
        db.session.commit()
    out = {}
    for name in ("agent", "officer", "supervisor", "auditor", "admin"):
        r = client.post("/api/v1/auth/token", json={"username": name, "password": app.config["DEMO_PASSWORD"]})
        assert r.status_code == 201, r.get_json()
        out[name] = r.get_json()["token"]
    return out
