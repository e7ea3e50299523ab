"""Classification preview and staff re-routing."""

from flask import Blueprint

from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.http import json_body
from app.common.i18n import get_locale
from app.errors import AppError
from app.extensions import limiter
from app.routing import learning
from app.routing.schemas import ClassifyIn, RerouteIn
from app.routing.services import decide, division_name

bp = Blueprint("routing", __name__)


@bp.post("/api/v1/classify")
@limiter.limit("60/minute")
def classify():
    """What intake would do with this text; nothing is stored."""
    data = ClassifyIn().load(json_body())
    where, respondent = data.get("location") or {}, data.get("respondent") or {}
    d = decide(data["text"], where.get("province_code"), respondent.get("in_industrial_estate"))
    if d.model_version is None:
        raise AppError("classifier_unavailable", 503)
    return {
        "category": d.suggested_category,
        "confidence": d.confidence,
        "mode": d.mode,
        "division": {"code": d.division, "name": division_name(d.division, get_locale())},
        "joint_divisions": d.joint,
        "alternatives": [{"category": c, "confidence": p} for c, p in d.alternatives],
        "model_version": d.model_version,
        "rule": d.rule,
        "reason": d.reason,
    }


def _reroute(case_id: int, body: dict):
    data = RerouteIn().load(body)
    return learning.reroute_case(case_id, actor=current_staff(), category=data.get("category"),
                                 division=data.get("division"), reason=data["reason"],
                                 note=data.get("note"), public_note=data.get("public_note"))


#: workflow steps by name; the case workflow adds its own steps to this table
ACTIONS = {"reroute": _reroute}


@bp.post("/api/v1/cases/<int:case_id>/actions")
@require_roles("agent", "officer", "supervisor", "admin")
def case_action(case_id):
    body = json_body()
    action = ACTIONS.get(body.get("action"))
    if action is None:
        raise AppError("action_unknown", 422, action=str(body.get("action"))[:40])
    case = action(case_id, body)
    out = {"id": case.id, "tracking_code": case.tracking_code, "status": case.status,
           "category": case.category_code, "division": case.division_code,
           "routing": {"mode": case.routing_mode, "reason": case.routing_reason}}
    commit()
    return out
