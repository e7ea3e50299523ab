"""The case: one complaint's life in the ministry. Every change to it is a :class:`CaseEvent`."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class Status(enum.StrEnum):
    received = "received"  #: รับเรื่อง
    triage = "triage"  #: awaiting the contact centre's triage desk
    assigned = "assigned"  #: ส่งต่อ/ประสานหน่วยงาน
    acknowledged = "acknowledged"
    in_progress = "in_progress"  #: อยู่ระหว่างดำเนินการ
    awaiting_info = "awaiting_info"  #: clock paused while the citizen answers
    concluded = "concluded"  #: ยุติเรื่อง
    not_concluded = "not_concluded"  #: ไม่ยุติ
    referred_out = "referred_out"  #: ส่งต่อหน่วยงานภายนอก, closed locally
    merged = "merged"
    closed = "closed"


OPEN_STATUSES = (Status.received, Status.triage, Status.assigned, Status.acknowledged, Status.in_progress,
                 Status.awaiting_info)

CHANNELS = ("web", "phone", "walk_in", "email", "letter", "line", "open311", "traffy", "api")


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_division_status", "division_code", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: public, unguessable reference given to the citizen
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.received, index=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    subject: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: personal data lives apart (see :class:`app.intake.models.Complainant`)
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainants.id"), index=True)

    province_code: Mapped[str | None] = mapped_column(String(2), index=True)
    district_code: Mapped[str | None] = mapped_column(String(4), index=True)  #: duplicates are looked for here
    subdistrict_code: Mapped[str | None] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(500))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    factory_registration_no: Mapped[str | None] = mapped_column(String(40))
    #: True when the respondent is inside an industrial estate (factory number issuer 7, or stated)
    in_estate: Mapped[bool | None] = mapped_column(Boolean)

    category_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"), index=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    #: ``auto`` when the classifier was confident and a rule fired; ``triage`` when a person must decide
    routing_mode: Mapped[str] = mapped_column(String(8), default="triage")
    routing_confidence: Mapped[float | None] = mapped_column(Float)
    #: the classifier's suggestion even when the case went to triage
    suggested_category: Mapped[str | None] = mapped_column(String(32))
    routing_rule: Mapped[str | None] = mapped_column(String(80))
    routing_reason: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(64))

    #: when the ministry received it (a letter may arrive before it is registered); deadlines count from here
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Lifecycle timestamps, set by the workflow; the GECC/ITA evidence is computed from them.
    #: the handling unit took the case on (``acknowledge``)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the first public step told to the complainant after receipt (ITA: within 15 days)
    first_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the decision: concluded, not concluded, referred out or merged
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``concluded``, ``not_concluded``, ``referred_out`` or ``merged`` once decided
    outcome: Mapped[str | None] = mapped_column(String(16))
    #: the officer working the case (optional; the unit owns it either way)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the case this one was merged into as a duplicate
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: the outside agency a referred-out case went to (1111, 1567, a local authority …)
    referred_agency: Mapped[str | None] = mapped_column(String(120))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)

    complainant = relationship("Complainant", lazy="select")
    division = relationship("Division", lazy="joined")
    category = relationship("Category", lazy="joined")
    events = relationship("CaseEvent", back_populates="case", order_by="CaseEvent.seq", lazy="select")
    deadlines = relationship("Deadline", back_populates="case", order_by="Deadline.due_at", lazy="select")
    units = relationship("CaseUnit", back_populates="case", lazy="select", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(db.Model):
    """Append-only audit trail. ``seq`` and ``hash`` chain every event of the service together.

    ``hash`` = sha256 of the event's canonical content plus ``prev_hash``; editing, deleting or inserting a row
    breaks the chain, which ``flask audit verify`` detects.
    """

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: position in the service-wide chain, gap-free
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: ``received``, ``routed``, ``note``, ``status_changed``, ``personal_data_viewed`` …
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: shown on the public tracking page
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    case = relationship("Case", back_populates="events")


class ChainHead(db.Model):
    """The single row holding the end of the event chain; locked while an event is appended."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CaseUnit(db.Model):
    """The units acting on a case: one ``lead`` (also ``Case.division_code``) and any ``joint`` units."""

    __tablename__ = "case_units"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(8), default="lead")  #: ``lead`` or ``joint``

    case = relationship("Case", back_populates="units")


class CaseSearchTerm(db.Model):
    """Inverted index for Thai search: one row per PyThaiNLP token of a case's text (Thai has no spaces, so
    ``LIKE`` on words cannot work, and the same table serves PostgreSQL and SQLite)."""

    __tablename__ = "case_search_terms"

    term: Mapped[str] = mapped_column(String(60), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True)

