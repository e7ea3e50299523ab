"""SLA tables: the clocks on each case."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.models import UTCDateTime
from app.extensions import db


class Deadline(db.Model):
    """A clock on a case: acknowledgement, first report to the complainant, resolution."""

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_open_due", "met_at", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  #: ``acknowledge``, ``first_report``, ``resolve``
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the rule it came from, e.g. ``working:15``, so a recomputation can be explained
    basis: Mapped[str] = mapped_column(String(40))

    case = relationship("Case", back_populates="deadlines")
