"""Write jobs to the outbox in the caller's transaction; relay them to RQ after commit; run them once.

Why an outbox: enqueueing to Redis inside a transaction can announce a case that then rolls back, and
enqueueing after commit loses the job if the process dies in between. A row committed with the case cannot be lost;
the relay (after each commit, and periodically) moves it to RQ, and the job is idempotent on the row's status.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import or_, select, update

from app.common.db import commit, insert_now
from app.common.models import utcnow
from app.extensions import db
from app.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[OutboxMessage], None]] = {}
MAX_ATTEMPTS = 8
#: rows enqueued this long ago and still not done are relayed again (Redis may have lost them)
STALE_AFTER = timedelta(minutes=10)
#: the periodic relay leaves fresh pending rows to the post-commit relay that is already handling them
PENDING_GRACE = timedelta(seconds=30)


def handler(name: str):
    """Register the function that carries out outbox rows of job ``name``."""

    def deco(fn):
        HANDLERS[name] = fn
        return fn

    return deco


def add(job: str, payload: dict, dedupe_key: str | None = None) -> OutboxMessage:
    """Add a job to the outbox in the current transaction; it runs after commit."""
    # written at once (a plain row no one updates in this transaction): cheaper than a flush of the unit of work
    msg = insert_now(OutboxMessage(job=job, payload=payload, dedupe_key=dedupe_key))
    db.session.info.setdefault("outbox_new", []).append(msg)
    return msg


def redis_connection() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    ext = current_app.extensions.setdefault("idee_redis", {})
    if url not in ext:
        ext[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    return ext[url]


def queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection())


def relay(ids=None, limit: int = 500, grace: timedelta = PENDING_GRACE) -> int:
    """Hand committed outbox rows to the workers (or run them here when there is no Redis).

    With ``ids`` given (rows just committed), only those; otherwise the oldest pending ones and any
    enqueued row that went stale. Returns how many were handed over. Never raises on Redis trouble: the rows
    stay pending and the next relay takes them.
    """
    sweeping = ids is None
    if sweeping:
        now = utcnow()
        ids = db.session.scalars(
            select(OutboxMessage.id)
            .where(or_((OutboxMessage.status == "pending") & (OutboxMessage.created_at <= now - grace),
                       (OutboxMessage.status == "enqueued") & (OutboxMessage.enqueued_at < now - STALE_AFTER)))
            .order_by(OutboxMessage.id).limit(limit)
        ).all()
    if not ids:
        return 0
    conn = redis_connection()
    if conn is None:
        for msg_id in ids:
            process(msg_id)
        return len(ids)
    try:
        q = Queue("default", connection=conn)
        retry = Retry(max=5, interval=[5, 30, 120, 600, 1800])
        with conn.pipeline() as pipe:
            if sweeping:  # old rows, one job each: one that keeps failing never holds up the others
                for msg_id in ids:
                    q.enqueue("workers.jobs.run_outbox", msg_id, job_id=f"outbox-{msg_id}", pipeline=pipe,
                              retry=retry, result_ttl=3600)
            else:  # one transaction's rows, one job (a new case writes two; an enqueue costs as much as an insert)
                q.enqueue("workers.jobs.run_outbox_rows", list(ids), job_id=f"outbox-{ids[0]}-{len(ids)}",
                          pipeline=pipe, retry=retry, result_ttl=3600)
            pipe.execute()
    except RedisError as exc:
        log.warning("outbox relay: Redis unavailable (%s); %d rows wait", exc, len(ids))
        db.session.rollback()
        return 0
    if sweeping:
        # the hot path after a request skips this write: the job marks its row done, and a row still pending
        # after PENDING_GRACE is picked up here again (harmless: jobs skip done rows)
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status != "done")
                           .values(status="enqueued", enqueued_at=utcnow()))
        db.session.commit()
    return len(ids)


def process_rows(ids: list[int]) -> list[str]:
    """Run one transaction's rows in order, each on its own (:func:`process`); a failure is raised after the others
    have run, so the job's retry repeats only the rows not yet done."""
    statuses, failure = [], None
    for msg_id in ids:
        try:
            statuses.append(process(msg_id))
        except Exception as exc:  # recorded on the row by process(); the retry runs it again
            statuses.append("retry")
            failure = failure or exc
    if failure is not None:
        raise failure
    return statuses


def process(msg_id: int) -> str:
    """Run one outbox row exactly once; a second call for a done row does nothing. Returns the status."""
    stmt = select(OutboxMessage).where(OutboxMessage.id == msg_id).with_for_update(skip_locked=True)
    msg = db.session.execute(stmt).scalar_one_or_none()
    if msg is None:
        db.session.rollback()
        return "busy"  # another worker holds it, or it never existed
    if msg.status == "done":
        db.session.rollback()
        return "done"
    try:
        HANDLERS[msg.job](msg)
        msg.status, msg.done_at, msg.attempts = "done", utcnow(), msg.attempts + 1
        commit()  # with the outbox rows the handler wrote, relayed at once (a fan-out job's notices)
        return "done"
    except Exception as exc:  # the job failed: keep the row, count the attempt, let the retry take it
        db.session.rollback()
        msg = db.session.get(OutboxMessage, msg_id)
        msg.attempts += 1
        msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        msg.status = "failed" if msg.attempts >= MAX_ATTEMPTS else "pending"
        db.session.commit()
        log.exception("outbox %s (%s) failed, attempt %d", msg_id, msg.job, msg.attempts)
        if current_app.config.get("REDIS_URL"):
            raise
        return msg.status
