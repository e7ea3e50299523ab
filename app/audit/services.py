"""The hash-chained audit trail: append events in the caller's transaction, verify the chain."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.cases.models import CaseEvent, ChainHead
from app.common.db import insert_all
from app.common.models import utcnow
from app.extensions import db

GENESIS = "0" * 64


def canonical(event: CaseEvent) -> bytes:
    """The bytes an event's hash covers; every stored column but ``id`` and ``hash`` itself."""
    body = {
        "seq": event.seq,
        "case_id": event.case_id,
        "kind": event.kind,
        "actor_id": event.actor_id,
        "public": bool(event.public),
        "data": event.data or {},
        "created_at": _ts(event.created_at),
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(event: CaseEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


_HEAD = ChainHead.__table__
_SELECT_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
_UPDATE_HEAD = update(_HEAD).where(_HEAD.c.id == 1)


def _lock_head() -> dict:
    """The chain head as ``{seq, hash}``, locked for the rest of this transaction (read once per transaction; the
    row is written back once, just before commit)."""
    head = db.session.info.get("chain_head")
    if head is not None:
        return head
    # FOR UPDATE serialises appends on PostgreSQL; SQLite serialises writers on its own.
    conn = db.session.connection()
    row = conn.execute(_SELECT_HEAD).one_or_none()
    if row is None:
        # The very first events: two transactions would both start the chain at seq 1 (there is no row to lock
        # yet) and one would fail. Create the row race-free (a concurrent creator's insert is ignored), then lock.
        values = {"id": 1, "seq": 0, "hash": GENESIS, "updated_at": utcnow()}
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(insert(ChainHead).values(**values).on_conflict_do_nothing(index_elements=["id"]))
        row = conn.execute(_SELECT_HEAD).one()
    head = db.session.info["chain_head"] = {"seq": row.seq, "hash": row.hash, "moved": False}
    return head


def current_head() -> tuple[int, str]:
    """``(seq, hash)`` of the chain's last event, including events appended in this transaction."""
    head = db.session.info.get("chain_head")
    if head is not None:
        return head["seq"], head["hash"]
    row = db.session.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).one_or_none()
    return (row.seq, row.hash) if row else (0, GENESIS)


@event.listens_for(Session, "before_commit")
def _write_head(session):
    head = session.info.get("chain_head")
    if head is not None and head["moved"]:
        session.connection().execute(_UPDATE_HEAD, {"seq": head["seq"], "hash": head["hash"], "updated_at": utcnow()})
        head["moved"] = False


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _release_head(session):
    session.info.pop("chain_head", None)


def record_event(case, kind: str, *, actor=None, public: bool = False, **data) -> CaseEvent:
    """Append one event for ``case`` to the chain, in the current transaction (written now, not committed)."""
    return record_events(case, [(kind, data)], actor=actor, public=public)[0]


def record_events(case, events: list[tuple[str, dict]], *, actor=None, public: bool = False) -> list[CaseEvent]:
    """Append events ``[(kind, data), ...]`` for ``case`` to the chain, in order, in one statement.

    The rows are inserted at once rather than at the next flush: they are append-only, and this keeps the busiest
    write in the service (two events per complaint) out of the unit of work.
    """
    if case.id is None or case in db.session.new:
        db.session.flush()  # the case's row must exist for the event's foreign key
    head = _lock_head()
    rows, now, actor_id = [], utcnow(), getattr(actor, "id", actor)
    seq, prev = head["seq"], head["hash"]
    for kind, data in events:
        seq += 1
        event = CaseEvent(seq=seq, case_id=case.id, kind=kind, actor_id=actor_id, public=public, data=data,
                          created_at=now, prev_hash=prev)
        event.hash = prev = event_hash(event)
        rows.append(event)
    insert_all(rows)
    head.update(seq=seq, hash=prev, moved=True)  # only once the rows are written
    return rows


@dataclass
class ChainReport:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str | None = None  #: ``changed``, ``deleted``, ``inserted`` or ``truncated``
    event_id: int | None = None
    seq: int | None = None

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def verify_chain(batch: int = 5000, progress=None) -> ChainReport:
    """Walk every event in ``seq`` order and report the first one that breaks the chain."""
    head_seq, head_hash = current_head()
    prev_hash, prev_prev, prev_id, expected_seq, checked = GENESIS, None, None, 1, 0
    stmt = select(CaseEvent).order_by(CaseEvent.seq).execution_options(yield_per=batch)
    for ev in db.session.scalars(stmt):
        if ev.seq != expected_seq:
            kind = "deleted" if ev.seq > expected_seq else "inserted"
            return ChainReport(False, checked, head_seq, head_hash, kind, ev.id, ev.seq)
        if ev.prev_hash != prev_hash:
            if ev.prev_hash == prev_prev:  # this ev skips its predecessor: that one was slipped in
                return ChainReport(False, checked - 1, head_seq, head_hash, "inserted", prev_id, ev.seq - 1)
            # correct own hash but a broken link: the ev it pointed to was removed (seqs renumbered)
            kind = "deleted" if event_hash(ev) == ev.hash else "changed"
            return ChainReport(False, checked, head_seq, head_hash, kind, ev.id, ev.seq)
        if event_hash(ev) != ev.hash:
            return ChainReport(False, checked, head_seq, head_hash, "changed", ev.id, ev.seq)
        prev_prev, prev_hash, prev_id = prev_hash, ev.hash, ev.id
        expected_seq, checked = expected_seq + 1, checked + 1
        if progress:
            progress(1)
    if checked != head_seq or prev_hash != head_hash:
        return ChainReport(False, checked, head_seq, head_hash, "truncated", None, checked + 1)
    return ChainReport(True, checked, head_seq, head_hash)
