"""Staff sessions and response hardening.

Sessions are browser-session cookies (not "permanent"), so Flask-Login's "strong" protection really drops a
session whose IP or browser changed; their lifetime is enforced here from the sign-in time kept in the signed
session, and a password change (or reset by an administrator) ends every session that signed in with the old one.
"""

import hashlib
import time

from flask import Flask, current_app, request, session
from flask_login import current_user, login_user, logout_user

from app.extensions import login_manager

SESSION_KEY = "idee_login"  #: {"at": sign-in time (epoch seconds), "pw": fingerprint of the password hash}

#: no inline scripts or styles anywhere: scripts and styles come from /static only
DEFAULT_CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])


def init_security(app: Flask) -> None:
    """Point Flask-Login at the sign-in page, and add the session check and the security headers."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the sign-in page explains itself; no flashed English text
    login_manager.session_protection = "strong"
    app.before_request(_check_session)
    app.after_request(_security_headers)


def _fingerprint(user) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def start_session(user) -> None:
    """Sign ``user`` in on a fresh session (nothing from before the sign-in survives it)."""
    session.clear()
    login_user(user, remember=False)
    session[SESSION_KEY] = {"at": int(time.time()), "pw": _fingerprint(user)}


def end_session() -> None:
    logout_user()
    session.clear()


def _check_session():
    if request.endpoint == "static":
        return None  # leave the session alone, so static files stay cacheable (no "Vary: Cookie")
    info = session.get(SESSION_KEY)
    if not info or not current_user.is_authenticated:
        return None
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if time.time() - info.get("at", 0) > lifetime or info.get("pw") != _fingerprint(current_user):
        end_session()
    return None


def _security_headers(resp):
    headers = resp.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # tracking codes sit in URLs (/track/ID-…): never send them to another site
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", current_app.config.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP))
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), payment=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("STRICT_TRANSPORT_SECURITY"):
        headers.setdefault("Strict-Transport-Security", current_app.config["STRICT_TRANSPORT_SECURITY"])
    if request.path.startswith("/staff/") or "Authorization" in request.headers:
        headers.setdefault("Cache-Control", "no-store")  # staff pages carry personal data: keep them out of caches
    return resp
