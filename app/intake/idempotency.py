"""``Idempotency-Key``: a retried request gets the first answer instead of filing the complaint twice."""

import hashlib

from sqlalchemy.exc import IntegrityError

from app.errors import AppError
from app.extensions import db
from app.intake.models import IdempotencyKey

MAX_KEY = 128


def request_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise AppError("idempotency_key_invalid", 422)
    return key


def replay(key: str, digest: str) -> IdempotencyKey | None:
    """The stored answer for ``key``; :raises AppError: (422) when the key was used for another body."""
    row = db.session.get(IdempotencyKey, key)
    if row is not None and row.request_hash != digest:
        raise AppError("idempotency_key_reused", 422)
    return row


def remember(key: str, digest: str, status: int, case_id: int, response: dict) -> None:
    db.session.add(IdempotencyKey(key=key, request_hash=digest, status_code=status, case_id=case_id,
                                  response=response))


def commit_or_replay(commit, key: str | None, digest: str):
    """Commit; when a concurrent retry won the race on the same key, answer its stored row instead."""
    try:
        commit()
        return None
    except IntegrityError:
        db.session.rollback()
        if key is None:
            raise
        row = replay(key, digest)
        if row is None:
            raise
        return row
