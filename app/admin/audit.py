"""Record and read the administration log (who changed the routing, and everything else an admin edits)."""

from datetime import date, datetime

from flask import has_request_context, request
from sqlalchemy import func, select

from app.admin.models import AdminAudit
from app.common.auth import current_staff
from app.extensions import db

ENTITIES = ("user", "division", "category", "routing_rule")


def snapshot(obj, fields: tuple) -> dict:
    """The named attributes of ``obj`` as JSON-safe values (what the log stores as before/after)."""
    out = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        elif isinstance(value, (set, tuple)):
            value = sorted(value)
        out[name] = value
    return out


def record_change(entity: str, key: str, action: str, old: dict | None = None, new: dict | None = None,
                  actor=None) -> AdminAudit | None:
    """Add one log row in the caller's transaction; an update that changed nothing is not logged."""
    if action == "update" and old == new:
        return None
    actor = actor if actor is not None else (current_staff() if has_request_context() else None)
    row = AdminAudit(actor_id=getattr(actor, "id", None), actor_username=getattr(actor, "username", "system"),
                     entity=entity, entity_key=str(key)[:80], action=action, old_values=old, new_values=new,
                     ip=request.remote_addr if has_request_context() else None)
    db.session.add(row)
    db.session.flush()
    return row


def list_changes(entity: str | None = None, key: str | None = None, page: int = 1,
                 per_page: int = 50) -> tuple[list[AdminAudit], int]:
    """Newest first, optionally for one kind of row and one key."""
    query = select(AdminAudit)
    if entity:
        query = query.where(AdminAudit.entity == entity)
    if key:
        query = query.where(AdminAudit.entity_key == key)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(AdminAudit.created_at.desc(), AdminAudit.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total
