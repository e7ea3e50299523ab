"""Staff case API (CONTRACT.md): queues, case detail, workflow steps, complainant reveal, duplicate check."""

from flask import Blueprint, request

from app.cases import duplicates, services, workflow
from app.cases.access import visible_clause
from app.cases.schemas import ActionIn, CaseDetail, CaseListItem, QueueArgs, RevealIn
from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.http import json_body
from app.routing.schemas import ClassifyIn

bp = Blueprint("cases_api", __name__)
READERS = ("agent", "officer", "supervisor", "admin", "auditor")
WORKERS = ("agent", "officer", "supervisor", "admin")
LIST, DETAIL = CaseListItem(many=True), CaseDetail()


@bp.get("/api/v1/cases")
@require_roles(*READERS)
def list_cases():
    args = QueueArgs().load(request.args)
    page = services.queue(current_staff(), **args)
    return {"items": LIST.dump(page.items), "total": page.total, "page": page.page, "per_page": page.per_page}


def _detail(case) -> dict:
    user = current_staff()
    out = DETAIL.dump(case)
    out["related"] = [{"id": c.id, "tracking_code": c.tracking_code, "status": c.status}
                      for c in services.related(case, user)]
    out["possible_duplicates"] = [{"id": d.case.id, "tracking_code": d.case.tracking_code, "score": d.score}
                                  for d in services.possible_duplicates(case, user)]
    return out


@bp.get("/api/v1/cases/<int:case_id>")
@require_roles(*READERS)
def get_case(case_id):
    return _detail(services.detail(case_id, current_staff()))


@bp.post("/api/v1/cases/<int:case_id>/actions")
@require_roles(*WORKERS)
def case_action(case_id):
    data = ActionIn().load(json_body())
    case = workflow.act(case_id, data.pop("action"), current_staff(), data)
    out = _detail(case)
    commit()
    return out


@bp.post("/api/v1/cases/<int:case_id>/complainant")
@require_roles("agent", "officer", "supervisor")
def reveal_complainant(case_id):
    """The complainant's contact details, for a stated reason; the view is recorded on the case."""
    data = RevealIn().load(json_body())
    person = services.reveal_complainant(case_id, current_staff(), data["reason"])
    out = {"name": person.name, "phone": person.phone, "email": person.email,
           "national_id": person.national_id, "line_user_id": person.line_user_id}
    commit()
    return out


@bp.post("/api/v1/cases/similar")
@require_roles(*WORKERS)
def similar_cases():
    """Open cases a complaint being typed may duplicate (the console asks before filing)."""
    data = ClassifyIn().load(json_body())
    where, respondent = data.get("location") or {}, data.get("respondent") or {}
    found = duplicates.for_text(data["text"], province_code=where.get("province_code"),
                                district_code=where.get("district_code"),
                                respondent_name=respondent.get("name"), visible=visible_clause(current_staff()))
    return {"items": [{"id": c.case.id, "tracking_code": c.case.tracking_code, "status": c.case.status,
                       "subject": c.case.subject, "score": c.score} for c in found]}
