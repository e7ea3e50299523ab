"""Who is calling: a bearer token on the API, a Flask-Login session on pages, or an anonymous citizen."""

from functools import wraps

from flask import current_app, redirect, request, url_for
from flask_login import current_user

from app.errors import Forbidden, Unauthorized, wants_json


def current_staff():
    """The staff user behind this request, or ``None`` for a citizen."""
    # cached on the request (not ``g``, which an outer app context may share between requests)
    if "idee.staff" not in request.environ:
        staff = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            from app.accounts.services import user_for_token

            staff = user_for_token(header[7:].strip())
            if staff is None:
                raise Unauthorized("bad_token")
        elif current_user and current_user.is_authenticated and _session_may_act():
            staff = current_user._get_current_object()
        request.environ["idee.staff"] = staff
    return request.environ["idee.staff"]


def _session_may_act() -> bool:
    """A session cookie counts on the JSON API only for safe methods, or with the page's CSRF token in
    ``X-CSRFToken`` (the console's scripts send it); otherwise another site could act with the cookie."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith("/api/"):
        return True
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        return False
    return True


def require_roles(*roles):
    """Allow only staff with one of ``roles`` (any staff when none are named)."""

    def deco(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_staff()
            if user is None:
                if not wants_json() and "auth.login" in current_app.view_functions:
                    # a person on a page signs in and comes back; the API keeps its JSON 401
                    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
                raise Unauthorized()
            if roles and user.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper

    return deco
