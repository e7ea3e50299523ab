"""The unit of work: services flush, the request commits once, then the outbox is relayed."""

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, make_transient_to_detached

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
    # rows of a rolled-back transaction never existed: nothing to relay, and objects written by insert_now leave
    # the session (the ORM expunges only what it inserted itself; SQLite may hand their ids out again)
    session.info.pop("outbox_new", None)
    for obj in session.info.pop("inserted_now", ()):
        if obj in session:
            session.expunge(obj)


@event.listens_for(Session, "after_commit")
def _keep_inserted(session):
    session.info.pop("inserted_now", None)


_INSERTS: dict = {}


def insert_now(obj):
    """INSERT one new ORM object at once with a prebuilt Core statement, then attach it to the session as persistent.

    For the append-only rows every request writes (case events, outbox rows): the unit of work's flush costs several
    times the statement itself. Column defaults are filled in here, so the object is complete without reloading.
    Only for plain rows: no relationship of ``obj`` is saved, and referenced rows must already be flushed.
    """
    mapper = inspect(type(obj))
    table = mapper.local_table
    stmt = _INSERTS.get(table)
    if stmt is None:
        stmt = _INSERTS[table] = insert(table).returning(*table.primary_key.columns)
    values = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        value = obj.__dict__.get(prop.key)
        if value is None and column.default is not None and not column.primary_key:
            value = column.default.arg(None) if column.default.is_callable else column.default.arg
            setattr(obj, prop.key, value)
        if value is not None or not column.primary_key:
            values[column.key] = value
    key = db.session.connection().execute(stmt, values).one()
    for prop, pk in zip(mapper.primary_key, key, strict=True):
        setattr(obj, mapper.get_property_by_column(prop).key, pk)
    make_transient_to_detached(obj)
    db.session.add(obj)
    db.session.info.setdefault("inserted_now", []).append(obj)
    return obj
