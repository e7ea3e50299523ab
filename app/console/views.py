"""Contact-centre API: a caller's earlier cases and the call log (the console page uses the same services)."""

from flask import Blueprint, request
from marshmallow import RAISE, Schema, fields, validate

from app.cases.schemas import CaseListItem
from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.http import json_body
from app.console import services
from app.intake.schemas import Text

bp = Blueprint("console_api", __name__)
AGENTS = ("agent", "supervisor", "admin")


class CallIn(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(load_default="inquiry", validate=validate.OneOf(["inquiry"]))
    channel = fields.String(load_default="phone", validate=validate.OneOf(["phone", "walk_in"]))
    phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    manual_slug = fields.String(allow_none=True, validate=validate.Length(max=80))
    question = Text(required=True, validate=validate.Length(min=3, max=2000))
    answer = Text(required=True, validate=validate.Length(min=3, max=5000))


class CallOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    channel = fields.String()
    manual_slug = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()


@bp.get("/api/v1/console/caller")
@require_roles(*AGENTS)
def caller():
    """The earlier cases of the caller on the line, by phone number."""
    cases = services.caller_cases(request.args.get("phone", ""), current_staff())
    return {"phone": services.normalise_phone(request.args.get("phone", "")),
            "cases": CaseListItem(many=True).dump(cases)}


@bp.post("/api/v1/console/calls")
@require_roles(*AGENTS)
def log_call():
    """A question answered on the phone (from the citizen manual); complaints are filed as cases instead."""
    data = CallIn().load(json_body())
    call = services.log_call(current_staff(), **data)
    out = CallOut().dump(call)
    commit()
    return out, 201
