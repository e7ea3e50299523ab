"""Contact-centre work: find a caller's earlier cases, file a case for them, log a question answered."""

import phonenumbers
from sqlalchemy import select

from app.cases import access
from app.cases.models import Case
from app.console.models import Call
from app.errors import AppError
from app.extensions import db
from app.intake.models import Complainant


def normalise_phone(raw: str) -> str:
    """E.164 for a Thai number typed any way (``081-234-5678``, ``+66 81 234 5678``).

    :raises AppError: 422 ``phone_invalid``.
    """
    try:
        number = phonenumbers.parse(raw or "", "TH")
    except phonenumbers.NumberParseException:
        raise AppError("phone_invalid", 422) from None
    if not phonenumbers.is_valid_number(number):
        raise AppError("phone_invalid", 422)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def caller_cases(phone: str, user, limit: int = 50) -> list[Case]:
    """The caller's earlier cases, newest first. A restricted (anti-corruption) case is left out unless the
    agent belongs to that unit: even its existence would tell who complained about an official."""
    e164 = normalise_phone(phone)
    stmt = (select(Case).join(Complainant, Complainant.id == Case.complainant_id)
            .where(Complainant.phone == e164, Complainant.anonymised_at.is_(None))
            .order_by(Case.received_at.desc()).limit(limit))
    allowed_restricted = bool(user.division_codes & access.restricted_units())
    return [c for c in db.session.scalars(stmt) if allowed_restricted or not access.is_restricted(c)]


def log_call(agent, *, kind: str, channel: str = "phone", phone: str | None = None, manual_slug=None,
             question=None, answer=None, case_id=None) -> Call:
    call = Call(agent_id=agent.id, kind=kind, channel=channel, phone=normalise_phone(phone) if phone else None,
                manual_slug=manual_slug, question=question, answer=answer, case_id=case_id)
    db.session.add(call)
    db.session.flush()
    return call


def manual_services() -> list[dict]:
    """The citizen-manual services an agent can answer from (slug, title, total time)."""
    from app.manual.services import current_versions

    out = []
    for v in current_versions():
        content = v.content or {}
        out.append({"slug": v.slug, "title": v.title, "total_time": content.get("total_time"),
                    "fees": content.get("fees")})
    return out
