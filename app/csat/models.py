"""Satisfaction ratings (CSAT): one per case, given by the citizen online or through an agent on the phone."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class Feedback(db.Model):
    __tablename__ = "case_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: one rating per case: a second one is refused (409), so averages cannot be stuffed
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    score: Mapped[int] = mapped_column(Integer)  #: 1 (very dissatisfied) … 5 (very satisfied)
    #: free text; may hold personal data, so it is masked in exports and erased with the person
    comment: Mapped[str | None] = mapped_column(Text)
    #: ``web`` (tracking page or API) or ``phone`` (recorded by an agent)
    source: Mapped[str] = mapped_column(String(12), default="web")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case")
