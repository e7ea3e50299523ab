"""The transactional outbox: work that must happen after a commit, written in the same transaction."""

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class OutboxMessage(db.Model):
    """One job to run after commit. ``status``: pending → enqueued → done (or failed after retries)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the job, a dotted path under ``workers.jobs``: ``notify``, …
    job: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the same (job, dedupe_key) is never queued twice, so a retried request cannot notify twice
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(db.Model):
    """A message sent (or, with no transport configured, recorded) to a person or a unit.

    Written as ``sending`` and committed before the transport is called (see :mod:`app.outbox.notify`).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer, unique=True)  #: one delivery per outbox row
    channel: Mapped[str] = mapped_column(String(12))  #: ``email``, ``sms``, ``line``
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: the case event the citizen is told of (ITA evidence: told within 15 days)
    event_id: Mapped[int | None] = mapped_column(Integer)
    #: ``sending`` (claimed, transport called), ``sent`` (a transport accepted it), ``recorded`` (no transport
    #: configured) or ``failed`` (see ``error``; retried while the outbox row is not failed)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    #: the key the transport saw (e-mail Message-ID, LINE retry key, SMS gateway reference), stable per row
    reference: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobRun(db.Model):
    """A status row for long work (retraining, exports): people see progress and the result, not a spinner."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  #: ``retrain``, ``export`` …
    status: Mapped[str] = mapped_column(String(12), default="queued")  #: queued → running → done | failed
    progress: Mapped[int] = mapped_column(Integer, default=0)  #: percent
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    requested_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
