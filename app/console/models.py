"""The contact centre's call log: every call or visit an agent handles, complaint or question."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class Call(db.Model):
    """One contact. Questions answered from the citizen manual are counted here (GECC asks for them too);
    complaints link to the case the agent filed."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: ``phone`` or ``walk_in``
    channel: Mapped[str] = mapped_column(String(16), default="phone")
    #: ``inquiry`` (answered on the spot) or ``complaint`` (a case was filed)
    kind: Mapped[str] = mapped_column(String(12))
    #: the caller's number in E.164; personal data, masked in exports like the complainant's
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    #: the citizen-manual service the answer came from
    manual_slug: Mapped[str | None] = mapped_column(String(80))
    question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
