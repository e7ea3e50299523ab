"""Authentication: passwords with lockout, and bearer tokens for the API (only their hashes are stored)."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import ApiToken, User
from app.common.models import utcnow
from app.errors import Unauthorized
from app.extensions import db

LOCK_AFTER = 5  #: consecutive failures before the account is locked for a while
LOCK_FOR = timedelta(minutes=15)
TOKEN_TTL = timedelta(hours=12)
PASSWORD_MIN_LENGTH = 10  #: default; the setting ``PASSWORD_MIN_LENGTH`` overrides it


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check for unknown users, so the answer takes as long as for a real one (no probing by timing)."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def authenticate(username: str, password: str) -> User:
    """The user for these credentials.

    :raises Unauthorized: wrong credentials, inactive or locked account (one message for all: no user probing).
    """
    user = db.session.scalar(select(User).where(User.username == username))
    now = utcnow()
    if user is None or not user.active:
        check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        raise Unauthorized("bad_credentials")
    if user.locked_until and user.locked_until > now:
        user.check_password(password)  # same work as an unlocked account
        raise Unauthorized("account_locked")
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= LOCK_AFTER:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
        db.session.commit()  # the failure must count even though the request fails
        raise Unauthorized("bad_credentials")
    user.failed_logins, user.locked_until = 0, None
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    ttl = current_app.config.get("API_TOKEN_TTL", TOKEN_TTL)
    row = ApiToken(user_id=user.id, token_hash=_hash(token), expires_at=utcnow() + ttl)
    db.session.add(row)
    return token, row


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.expires_at < utcnow() or not row.user.active:
        return None
    return row.user


def load_user(user_id: str):
    """Flask-Login's loader: the session's user, if still active."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def password_problems(username: str, password: str) -> list[tuple[str, dict]]:
    """Why ``password`` may not be set for ``username``, as ``(message key, params)``; empty when it is fine."""
    min_length = current_app.config.get("PASSWORD_MIN_LENGTH", PASSWORD_MIN_LENGTH)
    problems = []
    if len(password) < min_length:
        problems.append(("accounts.password_too_short", {"min": min_length}))
    if username and username.casefold() in password.casefold():
        problems.append(("accounts.password_has_username", {}))
    if password and len(set(password)) < 4:  # "aaaaaaaaaa", "1212121212"
        problems.append(("accounts.password_too_simple", {}))
    return problems


def set_password(user: User, password: str) -> None:
    """Set a new password and end the user's API tokens (their sessions end too: see ``app.accounts.security``)."""
    user.set_password(password)
    user.failed_logins, user.locked_until = 0, None
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
        db.session.delete(token)
