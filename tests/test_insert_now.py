"""``insert_now``: a plain row written with a prebuilt statement, persistent at once, gone with a rollback."""

from sqlalchemy import func, select

from app.common.db import insert_now
from app.extensions import db
from app.outbox.models import OutboxMessage


def test_defaults_are_filled_and_the_row_is_persistent(ctx):
    msg = insert_now(OutboxMessage(job="probe", payload={"case_id": 7}, dedupe_key="probe:1"))
    assert msg.id is not None and msg.status == "pending" and msg.attempts == 0 and msg.created_at is not None
    assert msg in db.session and msg not in db.session.new  # written, not waiting for a flush
    stored = db.session.execute(select(OutboxMessage.job, OutboxMessage.payload, OutboxMessage.status)
                                .where(OutboxMessage.id == msg.id)).one()
    assert tuple(stored) == ("probe", {"case_id": 7}, "pending")
    msg.status = "done"  # an ordinary ORM object from here on: changes are flushed as usual
    db.session.flush()
    assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == msg.id)) == "done"
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_rollback_takes_the_object_out_of_the_session(ctx):
    """SQLite hands a rolled-back id out again: the old object must not still claim it."""
    first = insert_now(OutboxMessage(job="probe", payload={}, dedupe_key="probe:a"))
    db.session.rollback()
    assert first not in db.session
    second = insert_now(OutboxMessage(job="probe", payload={}, dedupe_key="probe:b"))
    db.session.commit()
    assert db.session.get(OutboxMessage, second.id).dedupe_key == "probe:b"
