"""What intake stores beside the case: the complainant's personal data, attachments, idempotency keys."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class Complainant(db.Model):
    """Personal data, kept apart from the case so it can be masked, restricted, exported or erased (PDPA)."""

    __tablename__ = "complainants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    #: E.164 (``+66812345678``) so a caller is found whatever way the number was typed
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    national_id: Mapped[str | None] = mapped_column(String(13))
    #: LINE user id when the complaint came through LINE (notifications go back there)
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set when the person was erased; the row stays so the case keeps its statistics
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Attachment(db.Model):
    """A photo sent with the complaint. Stored in the database so it commits with the case."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case")


class IdempotencyKey(db.Model):
    """The first answer to a request carrying ``Idempotency-Key``, replayed for retries of the same request."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    #: sha256 of the request body: the same key with another body is a client error, not a replay
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: the JSON answered the first time, replayed as it was
    response: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
