"""Test helpers for staff accounts: users made quickly, and signing in through the real sign-in page."""

import re
from functools import cache

from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.extensions import db
from app.routing.models import Division

PASSWORD = "correct-horse-battery"


@cache
def quick_hash(password: str = PASSWORD) -> str:
    """A cheap hash (tests only): the production hash costs ~0.1 s per check, and these tests sign in a lot."""
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def make_user(username: str, role: str, units=(), active: bool = True, **fields) -> User:
    """Add and commit a staff user whose password is :data:`PASSWORD` (call inside an app context)."""
    user = User(username=username, role=role, full_name=fields.pop("full_name", f"ทดสอบ {username}"),
                password_hash=quick_hash(), active=active, failed_logins=0, **fields)
    user.divisions = [db.session.get(Division, code) for code in units]
    db.session.add(user)
    db.session.commit()
    return user


def csrf_token(client, path: str = "/staff/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    """Sign in through ``POST /staff/login`` as a browser would; returns the response (303 on success)."""
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/staff/login", data=data)


def post_form(client, path: str, data: dict, token_from: str | None = None):
    """POST a form with a CSRF token taken from ``token_from`` (default: the admin overview)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or "/staff/admin/")})
