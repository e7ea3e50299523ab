"""Staff sign-in and sign-out pages (the API's bearer tokens are in ``views.py``)."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts import services
from app.accounts.security import end_session, start_session
from app.common.db import commit
from app.common.i18n import t
from app.errors import Unauthorized
from app.extensions import limiter

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__, url_prefix="/staff")

DEFAULT_LOGIN_LIMIT = "10/minute;50/hour"
#: where each role starts after signing in: the first of these pages that exists, else the landing page
LANDING = {
    "officer": ("cases.queue",),
    "supervisor": ("cases.queue", "sla.dashboard"),
    "agent": ("console.index", "cases.queue"),
    "auditor": ("evidence.index",),
    "admin": ("admin.index",),
}


def landing_url(user) -> str:
    for endpoint in LANDING.get(user.role, ()):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return url_for("pages.index")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else ``None``: no open redirect to another host."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):  # browsers read "/\evil.com" as "//evil.com"
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("RATELIMIT_LOGIN", DEFAULT_LOGIN_LIMIT), methods=["POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_url or landing_url(current_user))
    errors, username, status = {}, "", 200
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()[:80]
        password = request.form.get("password") or ""
        if not username:
            errors["username"] = t("auth.username_required")
        if not password:
            errors["password"] = t("auth.password_required")
        if errors:
            status = 422
        else:
            try:
                user = services.authenticate(username, password[:200])
            except Unauthorized as exc:
                # one message whatever the reason, so the page never tells whether the account exists
                log.info("staff sign-in refused (%s) for %r from %s", exc.code, username, request.remote_addr)
                errors["form"], status = t("auth.failed"), 401
            else:
                commit()  # the reset failure counter
                start_session(user)
                log.info("staff sign-in: %s from %s", user.username, request.remote_addr)
                return redirect(next_url or landing_url(user), code=303)
    return render_template("auth/login.html", errors=errors, username=username, next_url=next_url), status


@bp.post("/logout")
def logout():
    end_session()
    flash(t("auth.signed_out"), "status")
    return redirect(url_for("auth.login"), code=303)
