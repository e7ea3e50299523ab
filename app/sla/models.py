"""SLA tables: the clocks on each case, the manual version each case runs under, the editable calendar and
business hours, and the alerts the sweep raised."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.models import UTCDateTime, utcnow
from app.extensions import db

#: clock states; the sweep moves ``ok`` → ``at_risk`` → ``overdue`` in set-based UPDATEs
STATES = ("ok", "at_risk", "overdue", "paused", "queued", "met")


class Deadline(db.Model):
    """A clock on a case: acknowledgement, first report, resolution, and the recurring notices to the citizen
    (``progress`` every 15 working days, ``delay_notice`` every 7 days for a late licence, s.10)."""

    __tablename__ = "deadlines"
    # The sweep finds live clocks through two partial indexes: a clock leaving ``ok``/``at_risk`` leaves them,
    # so its UPDATE writes no entry there, and they stay as small as the live set.
    __table_args__ = (
        Index("ix_deadlines_open_due", "met_at", "due_at"),
        Index("ix_deadlines_live_due", "due_at", postgresql_where=text("state IN ('ok', 'at_risk')"),
              sqlite_where=text("state IN ('ok', 'at_risk')")),
        Index("ix_deadlines_live_risk", "risk_at", postgresql_where=text("state = 'ok'"),
              sqlite_where=text("state = 'ok'")),
        UniqueConstraint("case_id", "kind", "seq"),  # also the index by case (its first column)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    #: ``acknowledge``, ``first_report``, ``resolve``, ``progress``, ``delay_notice``
    kind: Mapped[str] = mapped_column(String(24))
    #: the n-th notice of a recurring clock (0 for the one-off clocks)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the rule it came from, e.g. ``working_days:15``, so a recomputation can be explained
    basis: Mapped[str] = mapped_column(String(40))
    #: when the clock started (receipt, the last report, a reopening); ``None`` = the case's ``received_at``
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: paused time so far, counted the way the rule counts (working seconds, or wall seconds for ``days``)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    #: one of :data:`STATES`
    state: Mapped[str] = mapped_column(String(12), default="ok")
    #: from this moment the clock is at risk (the last ``SLA_AT_RISK_SHARE`` of its span)
    risk_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the sweep that last changed ``state`` (its moment)
    state_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the unit was warned (at risk) / a supervisor was alerted (overdue)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("Case", back_populates="deadlines")


SUMMARY_FACTS = ["division_code", "category_code", "channel", "first_report_due_at", "first_reported_at",
                 "resolve_due_at", "resolve_risk_at", "resolved_at"]


class CaseSla(db.Model):
    """The citizen-manual process and version a case runs under, its pause, and the facts the SLA summary
    counts (copied from the case and its two main clocks on every change, so a quarter is read from one table)."""

    __tablename__ = "case_sla"
    #: the summary reads a period from this index alone (PostgreSQL: an index-only scan)
    __table_args__ = (Index("ix_case_sla_received_at", "received_at", postgresql_include=SUMMARY_FACTS),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: the manual's slug, e.g. ``complaint-handling``
    service_slug: Mapped[str] = mapped_column(String(80))
    #: the manual version in force when the case was received; kept for the case's life
    manual_version: Mapped[int] = mapped_column(Integer)
    #: a licence-type service (Licensing Facilitation Act: 7-day notices when late)
    licence: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the rule of the recurring notices (``progress_every`` of the manual), e.g. ``working_days:15``
    notice_basis: Mapped[str] = mapped_column(String(40))
    #: set while the case awaits the citizen (clocks stopped)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: every pause so far, wall-clock seconds (for reports; the clocks keep their own counted time)
    paused_total_seconds: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Summary facts (see app.sla.services.sync_facts).
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    division_code: Mapped[str] = mapped_column(String(16))
    category_code: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    first_report_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_risk_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case = relationship("Case")


class CalendarDay(db.Model):
    """An extra closure (cabinet day off) or an extra working day, on top of the holiday library."""

    __tablename__ = "sla_calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  #: ``closed`` or ``open``
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnitHours(db.Model):
    """A unit's business hours; the row ``*`` is the default for units without their own."""

    __tablename__ = "sla_business_hours"

    division_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    opens: Mapped[str] = mapped_column(String(5))  #: ``08:30``
    closes: Mapped[str] = mapped_column(String(5))  #: ``16:30``
    #: ``[["12:00", "13:00"]]``
    breaks: Mapped[list] = mapped_column(JSON, default=list)


class SlaAlert(db.Model):
    """One alert the sweep raised on a clock: ``at_risk`` or ``overdue``; the outbox digests per unit read them."""

    __tablename__ = "sla_alerts"
    __table_args__ = (UniqueConstraint("deadline_id", "kind", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(Integer, index=True)
    division_code: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(12))  #: ``at_risk`` or ``overdue``
    clock: Mapped[str] = mapped_column(String(24))  #: the deadline's kind
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the sweep's moment; the digests of one sweep pick their alerts by it
    sweep_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: the digest that told the unit / the supervisor
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
