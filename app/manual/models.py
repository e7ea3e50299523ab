"""Published versions of the citizen manual. The YAML files are the source; each row is one published state."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class ManualVersion(db.Model):
    """One version of one service process (กระบวนงาน). Rows are never changed: a change is a new version."""

    __tablename__ = "manual_versions"
    __table_args__ = (
        UniqueConstraint("slug", "version", name="uq_manual_versions_slug_version"),
        Index("ix_manual_versions_slug_effective_at", "slug", "effective_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the service process, e.g. ``factory-licence`` (the YAML file's name)
    slug: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    #: the date the manual says it applies from (Thai calendar day)
    effective_date: Mapped[date] = mapped_column(Date)
    #: midnight of ``effective_date`` in Bangkok, in UTC: the instant this version comes into force
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(300))
    #: title and keywords, for the index page's search
    search_text: Mapped[str] = mapped_column(Text)
    #: the validated document (every field of the OPDC template and the ``sla`` block)
    content: Mapped[dict] = mapped_column(JSON)
    #: sha256 of the canonical JSON of ``content``; an unchanged file is recognised by it
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ManualVersion {self.slug} v{self.version} from {self.effective_date}>"
