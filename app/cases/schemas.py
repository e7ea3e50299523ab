"""Case output schemas per audience. Public views never carry personal data or internal notes."""

from marshmallow import Schema, fields

from app.common.i18n import get_locale, t
from app.routing.services import division_name


def _division(case) -> dict:
    return {"code": case.division_code, "name": division_name(case.division_code, get_locale())}


class ComplaintReceipt(Schema):
    """The answer to ``POST /api/v1/complaints``."""

    tracking_code = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda c: t(f"status.{c.status}"))
    category = fields.String(attribute="category_code", allow_none=True)
    division = fields.Function(_division)
    routing = fields.Function(lambda c: {
        "mode": c.routing_mode,
        "confidence": c.routing_confidence,
        "suggested_category": c.suggested_category,
        "reason": c.routing_reason,
    })
    anonymous = fields.Boolean()
    received_at = fields.AwareDateTime()
    due = fields.Function(lambda c: {d.kind: d.due_at.isoformat() for d in c.deadlines})
    track_url = fields.Function(lambda c: f"/track/{c.tracking_code}")


class PublicEvent(Schema):
    at = fields.AwareDateTime(attribute="created_at")
    kind = fields.String()
    label = fields.Function(lambda e: event_label(e))
    note = fields.Function(lambda e: (e.data or {}).get("public_note"))


def event_label(event) -> str:
    """The public wording of an event, in the request's language."""
    return t(f"event.{event.kind}", **_event_params(event))


def _event_params(event) -> dict:
    data = event.data or {}
    params = {}
    if "division" in data:
        params["division"] = division_name(data["division"], get_locale())
    return params


class PublicCase(Schema):
    """``GET /api/v1/complaints/<tracking_code>``: what anyone holding the code may see."""

    tracking_code = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda c: t(f"status.{c.status}"))
    category = fields.String(attribute="category_code", allow_none=True)
    category_name = fields.Function(lambda c: c.category.name(get_locale()) if c.category else None)
    division = fields.Function(lambda c: {"name": division_name(c.division_code, get_locale())})
    channel = fields.String()
    received_at = fields.AwareDateTime()
    due = fields.Function(lambda c: {d.kind: d.due_at.isoformat() for d in c.deadlines})
    timeline = fields.Function(lambda c: PublicEvent(many=True).dump([e for e in c.events if e.public]))
