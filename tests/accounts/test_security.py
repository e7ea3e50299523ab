"""Secure cookies, security headers, session lifetime, and pages vs. the API when nobody is signed in."""

import re
from datetime import timedelta
from pathlib import Path

from app.config import config_from_env
from app.extensions import db
from tests.accounts.helpers import login, post_form

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def test_production_cookies_are_secure():
    cfg = config_from_env({"APP_ENV": "production", "SECRET_KEY": "x" * 32})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_SECURE"]
    assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["REMEMBER_COOKIE_HTTPONLY"]
    assert cfg["SESSION_COOKIE_SAMESITE"] == cfg["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert cfg["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=8)
    assert cfg["REMEMBER_COOKIE_DURATION"] <= timedelta(hours=8)
    assert cfg["SESSION_COOKIE_NAME"].startswith("__Host-") and cfg["STRICT_TRANSPORT_SECURITY"]


def test_production_sign_in_sets_a_secure_cookie(app, staff):
    from app import create_app
    from tests.conftest import make_config

    cfg = config_from_env({"APP_ENV": "production", "SECRET_KEY": "x" * 32})
    prod = create_app({**cfg, **{k: v for k, v in make_config().items() if k not in ("APP_ENV", "TESTING")}})
    c = prod.test_client()
    r = login(c, "admin")
    assert r.status_code == 303
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("__Host-session="))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Expires" not in cookie  # a browser-session cookie: the 8 hours are enforced on the server
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_security_headers(client, staff):
    for r in (client.get("/"), client.get("/staff/login"), client.get("/api/v1/complaints/ID-0000-0000-0000")):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY" and r.headers["Referrer-Policy"] == "same-origin"
        csp = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in client.get("/").headers  # HSTS only in production


def test_templates_need_no_inline_script_or_style():
    """The strict Content-Security-Policy blocks inline code, so no template may rely on it."""
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "@page" in html:
            continue  # a PDF source for WeasyPrint, never sent to a browser
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline <script> in {path.name}"
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), f"inline style or handler in {path.name}"


def test_pages_redirect_to_sign_in_but_the_api_answers_401(client):
    page = client.get("/staff/admin/users?q=x")
    assert page.status_code == 302
    assert page.headers["Location"] == "/staff/login?next=/staff/admin/users?q%3Dx"
    assert "กรุณาเข้าสู่ระบบ" in client.get(page.headers["Location"]).get_data(as_text=True)
    api = client.get("/staff/admin/users", headers={"Accept": "application/json"})
    assert api.status_code == 401 and api.get_json()["error"]["code"] == "unauthorized"


def test_session_expires_after_its_lifetime(app, client, staff, monkeypatch):
    login(client, "admin")
    assert client.get("/staff/admin/").status_code == 200
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(seconds=-1))
    r = client.get("/staff/admin/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/staff/login")


def test_password_reset_ends_the_users_sessions_and_tokens(app, staff):
    from app.accounts.models import ApiToken, User
    from tests.conftest import valid_complaint

    user, admin = app.test_client(), app.test_client()
    login(user, "supervisor"), login(admin, "admin")
    assert user.get("/staff/login").status_code == 302  # signed in: sent on to their page
    token = user.post("/api/v1/auth/token", json={"username": "supervisor", "password": "correct-horse-battery"})
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    uid = staff["supervisor"]
    r = post_form(admin, f"/staff/admin/users/{uid}/password",
                  {"password": "a-brand-new-secret", "password2": "a-brand-new-secret"})
    assert r.status_code == 303
    assert user.get("/staff/login").status_code == 200  # the old session is gone
    assert user.post("/api/v1/complaints", json=valid_complaint(), headers=bearer).status_code == 401
    with app.app_context():
        assert db.session.get(User, uid).check_password("a-brand-new-secret")
        assert db.session.query(ApiToken).filter_by(user_id=uid).count() == 0
