"""The unit of work: services flush, the request commits once, then the outbox is relayed."""

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import MANYTOONE, Session, make_transient_to_detached

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


def _statement(table, returning: bool):
    stmt = _INSERTS.get((table, returning))
    if stmt is None:
        stmt = insert(table)
        if returning:
            stmt = stmt.returning(*table.primary_key.columns, sort_by_parameter_order=True)
        _INSERTS[(table, returning)] = stmt
    return stmt


def _row(obj, mapper) -> dict:
    """The object's column values, with Python-side defaults filled in (on the object too) and the keys of the
    rows it refers to copied from those (already inserted) objects."""
    state = obj.__dict__
    for rel in mapper.relationships:
        target = state.get(rel.key) if rel.direction is MANYTOONE else None
        if target is not None:
            for local, remote in rel.local_remote_pairs:
                value = getattr(target, rel.mapper.get_property_by_column(remote).key)
                if value is None:
                    raise ValueError(f"{type(obj).__name__}.{rel.key} refers to a row not inserted yet")
                setattr(obj, mapper.get_property_by_column(local).key, value)
    values = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        value = state.get(prop.key)
        if value is None and column.default is not None and not column.primary_key:
            value = column.default.arg(None) if column.default.is_callable else column.default.arg
        if value is not None or not column.primary_key:
            # every column loaded, so nothing is refetched after the insert (plain dict write: the object is still
            # transient, and attaching it resets its history anyway)
            state[prop.key] = value
            values[column.key] = value
    return values


def insert_all(objs: list) -> list:
    """INSERT new ORM objects at once with prebuilt Core statements (one multi-row statement per run of objects of
    the same table), then attach them to the session as persistent.

    For the rows a request creates and never updates in the same transaction (a new case and its parts, events,
    outbox rows): the unit of work's flush costs several times the statements themselves. ``objs`` come in
    dependency order (a complainant before its case, the case before its units); a many-to-one relationship set on
    an object fills its foreign key from the object it points to. Column defaults are filled in, so the objects are
    complete without reloading. Nothing else of the unit of work runs: no cascade, no flush events.
    """
    conn = db.session.connection()
    i = 0
    while i < len(objs):
        mapper = inspect(type(objs[i]))
        table = mapper.local_table
        run = [objs[i]]
        rows = [_row(objs[i], mapper)]
        returning = any(c.key not in rows[0] for c in table.primary_key.columns)  # the database assigns the key
        while i + len(run) < len(objs) and type(objs[i + len(run)]) is type(run[0]):
            row = _row(objs[i + len(run)], mapper)
            if row.keys() != rows[0].keys():  # one statement needs the same columns in every row
                break
            run.append(objs[i + len(run)])
            rows.append(row)
        if returning:
            keys = conn.execute(_statement(table, True), rows).all()
            for obj, key in zip(run, keys, strict=True):
                for column, value in zip(table.primary_key.columns, key, strict=True):
                    setattr(obj, mapper.get_property_by_column(column).key, value)
        else:
            conn.execute(_statement(table, False), rows)
        i += len(run)
    for obj in objs:  # all of them first: adding one cascades to the others it refers to
        make_transient_to_detached(obj)
    db.session.add_all(objs)
    db.session.info.setdefault("inserted_now", []).extend(objs)
    return objs


def insert_now(obj):
    """:func:`insert_all` for one object: an append-only row (a case event, an outbox row)."""
    return insert_all([obj])[0]
