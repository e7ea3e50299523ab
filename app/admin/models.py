"""The administration log: who changed which user, unit, category or routing rule, when, from what to what."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class AdminAudit(db.Model):
    """One administrator's change. Rows are only ever added (no page edits or deletes them)."""

    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: kept as text so the record still says who even if the account is renamed
    actor_username: Mapped[str] = mapped_column(String(80))
    #: ``user``, ``division``, ``category`` or ``routing_rule``
    entity: Mapped[str] = mapped_column(String(32), index=True)
    #: the row's stable key: user name, unit or category code, rule name
    entity_key: Mapped[str] = mapped_column(String(80))
    #: ``create``, ``update``, ``reset_password``, ``unlock``
    action: Mapped[str] = mapped_column(String(32))
    old_values: Mapped[dict | None] = mapped_column(JSON)
    new_values: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(45))

    def changes(self) -> list[tuple[str, object, object]]:
        """``(field, before, after)`` for each field that differs (all fields of a created row)."""
        old, new = self.old_values or {}, self.new_values or {}
        return [(k, old.get(k), new.get(k)) for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
