"""Intake: turn a validated complaint into a case, its first events, deadlines and outbox rows, in one transaction."""

import hashlib
import io
import secrets

from flask import current_app
from PIL import Image, UnidentifiedImageError

from app.audit.services import record_events
from app.cases.models import Case, CaseUnit, Status
from app.common.db import insert_all
from app.common.models import utcnow
from app.errors import AppError, PayloadTooLarge
from app.intake.jobs import queue_after_intake
from app.intake.models import Attachment, Complainant
from app.intake.schemas import BACKDATED_CHANNELS, STAFF_CHANNELS
from app.routing.services import decide
from app.sla.services import new_clocks

# Crockford base32 without I, L, O, U: easy to read out on the phone
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code() -> str:
    """``ID-XXXX-XXXX-XXXX``: 60 random bits, so codes cannot be guessed or enumerated."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"ID-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_tracking_code(value: str) -> str:
    """Accept what people type: lower case, spaces, missing dashes, O for 0, I/L for 1."""
    raw = "".join(ch for ch in value.upper() if ch.isalnum())
    raw = raw.translate(str.maketrans("OIL", "011"))
    if raw.startswith("1D") or raw.startswith("ID"):  # "ID" typed with the letter I turned into 1 above
        raw = raw[2:]
    if len(raw) != 12:
        return ""
    return f"ID-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def check_attachment(filename: str, content: bytes) -> tuple[str, str]:
    """Accept a photo only by its content (not its name or declared type); returns (format, content type).

    :raises AppError: ``attachment.type`` (422) for anything that is not an allowed image.
    :raises PayloadTooLarge: over ``ATTACHMENT_MAX_BYTES``.
    """
    if len(content) > current_app.config["ATTACHMENT_MAX_BYTES"]:
        raise PayloadTooLarge("attachment_too_large", max_mb=current_app.config["ATTACHMENT_MAX_BYTES"] // 2**20)
    try:
        with Image.open(io.BytesIO(content)) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise AppError("attachment_type", 422, name=filename) from None
    if fmt not in current_app.config["ATTACHMENT_FORMATS"]:
        raise AppError("attachment_type", 422, name=filename)
    return fmt, Image.MIME[fmt]


def create_complaint(data: dict, attachments=(), actor=None) -> Case:
    """File a complaint: case, complainant, routing, first events, deadlines, the after-intake job — flushed, not
    committed.

    :raises AppError: a staff-only channel or a back-dated receipt without a staff login (403/422).
    """
    channel = data.get("channel", "web")
    if channel in STAFF_CHANNELS and actor is None:
        raise AppError("channel_staff_only", 403, channel=channel)
    now = utcnow()
    received_at = data.get("received_at")
    if received_at is not None:
        if actor is None or channel not in BACKDATED_CHANNELS:
            raise AppError("received_at_not_allowed", 422)
        if received_at > now:
            raise AppError("received_at_future", 422)
    where = data.get("location") or {}
    respondent = data.get("respondent") or {}
    person = None if data.get("anonymous") else Complainant(**(data.get("complainant") or {}))

    text = " ".join(filter(None, [data.get("subject"), data["description"], respondent.get("name")]))
    decision = decide(text, where.get("province_code"), respondent.get("in_industrial_estate"))
    case = Case(
        tracking_code=new_tracking_code(), channel=channel, subject=data.get("subject"),
        description=data["description"], anonymous=bool(data.get("anonymous")), complainant=person,
        province_code=where.get("province_code"), district_code=where.get("district_code"),
        subdistrict_code=where.get("subdistrict_code"), address=where.get("address"),
        lat=where.get("lat"), lon=where.get("lon"),
        respondent_name=respondent.get("name"), factory_registration_no=respondent.get("factory_registration_no"),
        in_estate=respondent.get("in_industrial_estate"),
        status=Status.assigned if decision.mode == "auto" else Status.triage,
        category_code=decision.category, division_code=decision.division, routing_mode=decision.mode,
        routing_confidence=decision.confidence, suggested_category=decision.suggested_category,
        routing_rule=decision.rule, routing_reason=decision.reason, model_version=decision.model_version,
        received_at=received_at or now, created_at=now,
    )
    parts = [CaseUnit(case=case, division_code=decision.division, role="lead")]
    parts += [CaseUnit(case=case, division_code=code, role="joint") for code in decision.joint]
    for filename, content in attachments:
        fmt, ctype = check_attachment(filename, content)
        parts.append(Attachment(case=case, filename=filename[:200], content_type=ctype, size=len(content),
                                sha256=hashlib.sha256(content).hexdigest(), content=content))
    sla, clocks = new_clocks(case)
    # written at once with prebuilt statements, a statement per table: a new case is a set of plain inserts, and
    # the unit of work's flush of them cost more than classifying the text
    insert_all([*([person] if person is not None else []), case, *parts, sla, *clocks])
    # The units' notices are queued here; search terms, the citizen's receipt and the duplicate check run after
    # commit (app.intake.jobs): the citizen waits only for what the receipt shows. The events come last: recording
    # them locks the audit chain's head until commit, and every intake waits on that lock, so it is taken late.
    queue_after_intake(case, [decision.division, *decision.joint])
    record_events(case, [
        ("received", {"channel": channel, "attachments": len(attachments), "anonymous": case.anonymous}),
        ("routed", {"mode": decision.mode, "division": decision.division, "joint": decision.joint,
                    "category": decision.category, "suggested": decision.suggested_category,
                    "confidence": decision.confidence, "rule": decision.rule, "reason": decision.reason,
                    "model_version": decision.model_version}),
    ], actor=actor, public=True)
    return case
