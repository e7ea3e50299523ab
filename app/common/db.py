"""The unit of work: services flush, the request commits once, then the outbox is relayed."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db


def commit() -> None:
    """Commit the request's transaction, then hand the outbox rows it wrote to the workers."""
    from app.outbox.services import relay

    db.session.flush()
    new_ids = [m.id for m in db.session.info.pop("outbox_new", [])]
    db.session.commit()
    if new_ids:
        relay(new_ids)


@event.listens_for(Session, "after_rollback")
def _forget_outbox(session):
    # rows of a rolled-back transaction never existed; nothing to relay
    session.info.pop("outbox_new", None)
