"""The outbox: written with the case, delivered after commit, exactly once; real Redis and a real worker process."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.outbox.models import Notification, OutboxMessage
from app.outbox.services import process, relay
from tests.conftest import DB_URL, make_config, valid_complaint

ROOT = Path(__file__).resolve().parents[2]


def notifications():
    """Deliveries of the unit's new-case notice (intake also writes the citizen's receipt and other jobs)."""
    return db.session.scalar(select(func.count(Notification.id)).join(
        OutboxMessage, OutboxMessage.id == Notification.outbox_id).where(OutboxMessage.job == "notify_unit_new_case"))


def test_inline_delivery_without_redis(client, ctx):
    assert client.post("/api/v1/complaints", json=valid_complaint()).status_code == 201
    jobs = dict(db.session.execute(select(OutboxMessage.job, OutboxMessage.status)).all())
    # the after-intake job ran after commit, and the notices it wrote ran after its own commit
    assert jobs == {"case_received": "done", "notify_unit_new_case": "done", "notify_citizen": "done"}
    note = db.session.scalar(select(Notification).join(OutboxMessage, OutboxMessage.id == Notification.outbox_id)
                             .where(OutboxMessage.job == "notify_unit_new_case"))
    assert note.status == "recorded" and note.recipient and "ID-" in note.subject


def test_a_rerun_job_does_not_notify_twice(client, ctx):
    client.post("/api/v1/complaints", json=valid_complaint())
    for job in ("case_received", "notify_unit_new_case"):
        msg_id = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.job == job))
        assert process(msg_id) == "done"
        assert process(msg_id) == "done"
    assert notifications() == 1
    # the after-intake job's work itself is safe to repeat (a row reset by hand, say): no new notices
    from app.intake.jobs import case_received

    rows = db.session.scalar(select(func.count(OutboxMessage.id)))
    case_received(db.session.scalar(select(OutboxMessage).where(OutboxMessage.job == "case_received")))
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == rows and notifications() == 1


def test_rollback_leaves_no_outbox_row(app, ctx):
    from app.intake.schemas import ComplaintIn
    from app.intake.services import create_complaint

    with app.test_request_context():
        create_complaint(ComplaintIn().load(valid_complaint()))
        db.session.flush()
        db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert relay() == 0


@pytest.fixture
def redis_app(redis_url):
    Redis.from_url(redis_url).flushdb()
    application = create_app(make_config(REDIS_URL=redis_url))
    yield application
    Redis.from_url(redis_url).flushdb()


def run_worker(redis_url):
    """A real worker process (``flask worker --burst``), as production runs it."""
    env = {**os.environ, "DATABASE_URL": DB_URL, "REDIS_URL": redis_url, "APP_ENV": "testing",
           "SECRET_KEY": "test", "FLASK_APP": "wsgi"}
    out = subprocess.run([sys.executable, "-m", "flask", "worker", "--burst"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out


def test_delivery_through_redis_and_a_real_worker(redis_app, redis_url):
    client = redis_app.test_client()
    assert client.post("/api/v1/complaints", json=valid_complaint()).status_code == 201
    with redis_app.app_context():
        # the unit's notice and the after-intake job, committed with the case: handed to Redis, not yet run
        jobs = dict(db.session.execute(select(OutboxMessage.job, OutboxMessage.status)).all())
        assert jobs == {"notify_unit_new_case": "pending", "case_received": "pending"} and notifications() == 0
    run_worker(redis_url)  # runs the after-intake job, then (same burst) the notices it relayed
    with redis_app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.status))) == {"done"}
        assert notifications() == 1
    run_worker(redis_url)  # nothing left: a second worker run changes nothing
    with redis_app.app_context():
        assert notifications() == 1


def test_redis_down_intake_still_answers_and_delivers_later(redis_url, limited):
    down = limited(REDIS_URL="redis://127.0.0.1:1/0")  # the limiter's storage is down too, and must not fail
    r = down.test_client().post("/api/v1/complaints", json=valid_complaint())
    assert r.status_code == 201
    with down.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == "pending"
        assert notifications() == 0
        # readiness reports the broken dependency instead of pretending
        assert down.test_client().get("/readyz").status_code == 503
    Redis.from_url(redis_url).flushdb()
    back = create_app(make_config(REDIS_URL=redis_url))
    with back.app_context():
        assert relay() == 0  # a fresh row is left to the request that wrote it, for a grace period
        rows = db.session.scalar(select(func.count(OutboxMessage.id)))
        assert relay(grace=timedelta(0)) == rows
        assert set(db.session.scalars(select(OutboxMessage.status))) == {"enqueued"}
    run_worker(redis_url)
    with back.app_context():
        assert set(db.session.scalars(select(OutboxMessage.status))) == {"done"}
        assert notifications() == 1


def test_a_commits_rows_go_as_one_job_and_a_failing_row_does_not_stop_the_others(redis_app, redis_url, monkeypatch):
    from rq import Queue

    from app.outbox import services as outbox

    assert redis_app.test_client().post("/api/v1/complaints", json=valid_complaint()).status_code == 201
    jobs = Queue("default", connection=Redis.from_url(redis_url)).get_jobs()
    assert [j.func_name for j in jobs] == ["workers.jobs.run_outbox_rows"]  # one enqueue for the case's two rows
    ids = jobs[0].args[0]
    with redis_app.app_context():
        assert sorted(ids) == sorted(db.session.scalars(select(OutboxMessage.id)))

        def broken(msg):
            raise RuntimeError("unit mailbox down")

        monkeypatch.setitem(outbox.HANDLERS, "notify_unit_new_case", broken)
        with pytest.raises(RuntimeError):  # the job fails, so RQ retries it ...
            outbox.process_rows(ids)
        rows = {m.job: m for m in db.session.scalars(select(OutboxMessage))}
        assert rows["case_received"].status == "done"  # ... but the other row ran all the same
        assert rows["notify_unit_new_case"].status == "pending" and rows["notify_unit_new_case"].attempts == 1
        monkeypatch.undo()
        assert outbox.process_rows(ids) == ["done", "done"]  # the retry: the done row is skipped, the other runs
        assert notifications() == 1
