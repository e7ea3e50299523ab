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
    """A message sent (or, with no transport configured, recorded) to a person or a unit."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer, unique=True)  #: one delivery per outbox row
    channel: Mapped[str] = mapped_column(String(12))  #: ``email``, ``sms``, ``line``
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: ``sent`` (a transport accepted it) or ``recorded`` (no transport configured)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
