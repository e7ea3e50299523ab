"""Case output schemas per audience. Public views never carry personal data or internal notes."""

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from app.common.i18n import get_locale, t
from app.intake.schemas import Text
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
    params["agency"] = data.get("agency_name") or data.get("agency") or ""
    params["target_code"] = data.get("target_code") or ""
    params["source_code"] = data.get("source_code") or ""
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


# --- staff views -------------------------------------------------------------------------------------------

def mask_name(name: str | None) -> str | None:
    """``สมหญิง ทดสอบ`` → ``ส***** ท****``: enough to recognise a caller, not to identify a stranger."""
    if not name:
        return None
    return " ".join(part[:1] + "*" * (len(part) - 1) for part in name.split())


def mask_phone(phone: str | None) -> str | None:
    return None if not phone else "*" * max(len(phone) - 4, 0) + phone[-4:]


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    user, _, domain = email.partition("@")
    return f"{user[:1]}***@{domain}"


def complainant_summary(case) -> dict | None:
    """What every staff view shows of the complainant: masked, and nothing at all for a restricted case."""
    from app.cases.access import is_restricted

    if case.anonymous or case.complainant is None:
        return None
    if is_restricted(case):
        return {"restricted": True}
    p = case.complainant
    return {"name": mask_name(p.name), "phone": mask_phone(p.phone), "email": mask_email(p.email),
            "has_national_id": bool(p.national_id), "anonymised": p.anonymised_at is not None}


class DeadlineOut(Schema):
    kind = fields.String()
    due_at = fields.AwareDateTime()
    met_at = fields.AwareDateTime(allow_none=True)


class CaseListItem(Schema):
    id = fields.Integer()
    tracking_code = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda c: t(f"status.{c.status}"))
    subject = fields.String(allow_none=True)
    category = fields.String(attribute="category_code", allow_none=True)
    suggested_category = fields.String(allow_none=True)
    division = fields.Function(_division)
    channel = fields.String()
    received_at = fields.AwareDateTime()
    due = fields.Function(lambda c: {d.kind: d.due_at.isoformat() for d in c.deadlines})
    assignee_id = fields.Integer(allow_none=True)


class StaffEvent(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    at = fields.AwareDateTime(attribute="created_at")
    kind = fields.String()
    label = fields.Function(lambda e: event_label(e))
    public = fields.Boolean()
    actor_id = fields.Integer(allow_none=True)
    note = fields.Function(lambda e: (e.data or {}).get("note"))
    public_note = fields.Function(lambda e: (e.data or {}).get("public_note"))
    data = fields.Dict()


class CaseDetail(CaseListItem):
    """``GET /api/v1/cases/<id>``: the whole case for staff; the complainant only masked (reveal is separate)."""

    description = fields.String()
    anonymous = fields.Boolean()
    location = fields.Function(lambda c: {
        "province_code": c.province_code, "district_code": c.district_code,
        "subdistrict_code": c.subdistrict_code, "address": c.address, "lat": c.lat, "lon": c.lon})
    respondent = fields.Function(lambda c: {
        "name": c.respondent_name, "factory_registration_no": c.factory_registration_no,
        "in_industrial_estate": c.in_estate})
    routing = fields.Function(lambda c: {
        "mode": c.routing_mode, "confidence": c.routing_confidence, "suggested_category": c.suggested_category,
        "rule": c.routing_rule, "reason": c.routing_reason, "model_version": c.model_version})
    units = fields.Function(lambda c: [{"code": u.division_code, "role": u.role} for u in c.units])
    deadlines = fields.Nested(DeadlineOut, many=True)
    complainant = fields.Function(complainant_summary)
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    first_reported_at = fields.AwareDateTime(allow_none=True)
    concluded_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    merged_into_id = fields.Integer(allow_none=True)
    referred_agency = fields.String(allow_none=True)
    events = fields.Nested(StaffEvent, many=True)


# --- staff input ---------------------------------------------------------------------------------------------

class ActionIn(Schema):
    """``POST /api/v1/cases/<id>/actions``: one workflow step; which fields matter depends on the step."""

    class Meta:
        unknown = RAISE

    action = fields.String(required=True, validate=validate.Length(max=40))
    note = Text(allow_none=True, validate=validate.Length(max=5000))
    public_note = Text(allow_none=True, validate=validate.Length(max=5000))
    reason = Text(allow_none=True, validate=validate.Length(min=3, max=1000))
    category = fields.String(allow_none=True, validate=validate.Length(max=32))
    division = fields.String(allow_none=True, validate=validate.Length(max=16))
    agency = Text(allow_none=True, validate=validate.Length(min=2, max=120))
    target = fields.Integer(allow_none=True, strict=True)
    assignee = fields.Integer(allow_none=True, strict=True)


class QueueArgs(Schema):
    """Query string of ``GET /api/v1/cases``."""

    class Meta:
        unknown = EXCLUDE

    status = fields.String(validate=validate.Length(max=200))
    division = fields.String(validate=validate.Length(max=16))
    category = fields.String(validate=validate.Length(max=32))
    overdue = fields.Boolean()
    mine = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class RevealIn(Schema):
    class Meta:
        unknown = RAISE

    reason = Text(required=True, validate=validate.Length(min=3, max=500))
