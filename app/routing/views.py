"""Classification preview (re-routing is a case workflow step: ``app/cases/views.py``)."""

from flask import Blueprint

from app.common.http import json_body
from app.common.i18n import get_locale
from app.errors import AppError
from app.extensions import limiter
from app.routing.schemas import ClassifyIn
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
