"""Public complaint API (CONTRACT.md): file a complaint, follow it."""

import json

from flask import Blueprint, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.models import Case
from app.cases.schemas import ComplaintReceipt, PublicCase
from app.common.auth import current_staff
from app.common.db import commit
from app.common.http import json_body
from app.errors import AppError, NotFound, PayloadTooLarge
from app.extensions import db, limiter
from app.intake import idempotency, services
from app.intake.schemas import ComplaintIn

bp = Blueprint("intake", __name__)
# schemas are stateless once built; building one per request costs more than using it
COMPLAINT_IN, RECEIPT, PUBLIC = ComplaintIn(), ComplaintReceipt(), PublicCase()


def _intake_limit():
    return current_app.config["RATELIMIT_INTAKE"]


def _exempt_staff():
    return request.headers.get("Authorization", "").startswith("Bearer ")


def _parse_multipart() -> tuple[dict, list]:
    """Multipart: the document in a ``json`` field, or flat fields named ``complainant.name`` etc."""
    form = request.form
    if "json" in form:
        try:
            data = json.loads(form["json"])
        except ValueError:
            raise AppError("invalid_json", 400) from None
    else:
        data = {}
        for key, value in form.items(multi=False):
            head, _, tail = key.partition(".")
            if tail:
                data.setdefault(head, {})[tail] = value
            else:
                data[key] = value
    files = [f for f in request.files.getlist("attachments") if f and f.filename]
    if len(files) > current_app.config["ATTACHMENT_MAX_COUNT"]:
        raise AppError("attachment_count", 422, max=current_app.config["ATTACHMENT_MAX_COUNT"])
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    blobs = []
    for f in files:
        content = f.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge("attachment_too_large", max_mb=limit // 2**20)
        blobs.append((f.filename, content))
    return data, blobs


@bp.post("/api/v1/complaints")
@limiter.limit(_intake_limit, exempt_when=_exempt_staff)
def create_complaint():
    if request.mimetype == "multipart/form-data":
        payload, files = _parse_multipart()
        digest = idempotency.request_hash(json.dumps(payload, sort_keys=True).encode()
                                          + b"".join(c for _, c in files))
    else:
        payload, files = json_body(), []
        digest = idempotency.request_hash(request.get_data(cache=True))
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        key = idempotency.check_key(key)
        if (row := idempotency.replay(key, digest)) is not None:
            return row.response, row.status_code, {"Idempotent-Replayed": "true"}
    data = COMPLAINT_IN.load(payload)
    case = services.create_complaint(data, files, actor=current_staff())
    db.session.flush()
    body = RECEIPT.dump(case)
    if key is not None:
        idempotency.remember(key, digest, 201, case.id, body)
    if (row := idempotency.commit_or_replay(commit, key, digest)) is not None:
        return row.response, row.status_code, {"Idempotent-Replayed": "true"}
    return body, 201, {"Location": f"/api/v1/complaints/{body['tracking_code']}"}


def find_public_case(code: str) -> Case:
    """:raises NotFound: unknown or malformed code (the same answer, so codes cannot be probed)."""
    normal = services.normalise_tracking_code(code)
    case = db.session.scalar(
        select(Case).where(Case.tracking_code == normal)
        .options(selectinload(Case.events), selectinload(Case.deadlines))
    ) if normal else None
    if case is None:
        raise NotFound("case_not_found")
    return case


@bp.get("/api/v1/complaints/<code>")
def get_complaint(code):
    return PUBLIC.dump(find_public_case(code))
