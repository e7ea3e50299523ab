"""Workflow steps on a case. Each step: check who and from which status (``states.TRANSITIONS``), change the
case, write one event, let the SLA clocks and the listeners (notifications, satisfaction invitation) react — all in
the caller's transaction, with the case row locked so two officers cannot race a step."""

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml

from app.accounts.models import User
from app.audit.services import record_event
from app.cases import access
from app.cases.models import Case, CaseEvent, Status
from app.cases.states import ALL_ACTIONS_ROLES, DECIDED, TRANSITIONS
from app.common.models import utcnow
from app.errors import AppError, Forbidden, InvalidTransition
from app.extensions import db
from app.sla import services as sla

#: ``fn(case, event, old_status)`` run after every step; notifications and CSAT register here
AFTER_STEP: list[Callable] = []


def after_step(fn):
    AFTER_STEP.append(fn)
    return fn


@lru_cache(maxsize=1)
def agencies() -> dict:
    """Outside agencies a case can be referred to (data: ``data/agencies.yaml``)."""
    path = Path(__file__).with_name("data") / "agencies.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def act(case_id: int, action: str, actor: User, params: dict) -> Case:
    """Take ``action`` on the case. :raises NotFound: unknown or invisible case; :raises Forbidden: role;
    :raises InvalidTransition: not possible from the case's status (409); :raises AppError: bad parameters."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise AppError("action_unknown", 422, action=str(action)[:40])
    case = access.get_visible(case_id, actor, lock=True)
    _check_actor(case, action, actor)
    if case.status not in step.sources:
        raise InvalidTransition("invalid_transition", current=case.status, action=action)
    if action == "reroute":
        from app.routing import learning  # routing owns the training labels a reroute creates

        learning.reroute_case(case.id, actor=actor, category=params.get("category"),
                              division=params.get("division"), reason=params.get("reason") or "",
                              note=params.get("note"), public_note=params.get("public_note"))
        event = db.session.query(CaseEvent).filter_by(case_id=case.id).order_by(CaseEvent.seq.desc()).first()
        _after(case, event, case.status)
        return case
    old = case.status
    extra = _STEP_HANDLERS.get(action, _plain)(case, actor, params)
    if step.target is not None:
        case.status = step.target
    now = utcnow()
    if case.status in DECIDED and old not in DECIDED:
        case.concluded_at, case.outcome = now, str(case.status)
    if case.status in (Status.referred_out, Status.merged, Status.closed):
        case.closed_at = case.closed_at or now
    if case.status == Status.acknowledged or (case.acknowledged_at is None and case.status in (
            Status.in_progress, Status.awaiting_info, *DECIDED)):
        case.acknowledged_at = case.acknowledged_at or now
    public = step.public or bool(params.get("public_note"))
    if public and case.first_reported_at is None:
        case.first_reported_at = now
    event = record_event(case, step.event, actor=actor, public=public, from_status=str(old),
                         to_status=str(case.status), note=params.get("note"),
                         public_note=params.get("public_note"), **extra)
    _after(case, event, old)
    db.session.flush()
    return case


def _after(case: Case, event: CaseEvent, old_status: str) -> None:
    sla.on_case_change(case, event.kind, old_status)
    for fn in AFTER_STEP:
        fn(case, event, old_status)


def _check_actor(case: Case, action: str, actor: User) -> None:
    if actor.role not in ALL_ACTIONS_ROLES and actor.role not in TRANSITIONS[action].roles:
        raise Forbidden()
    if actor.role == "officer" and not access.is_lead_officer(case, actor) and action != "note":
        raise Forbidden("joint_unit_read_only")


def _plain(case, actor, params) -> dict:
    return {}


def _note(case, actor, params) -> dict:
    if not params.get("note") and not params.get("public_note"):
        raise AppError("note_empty", 422)
    return {}


def _reopen(case: Case, actor, params) -> dict:
    # the old decision stays in the event trail; the case is open again
    if not params.get("reason"):
        raise AppError("reason_required", 422)
    case.concluded_at = case.outcome = case.closed_at = None
    case.reopen_count = (case.reopen_count or 0) + 1
    return {"reason": params["reason"]}


def _require_public_note(case, actor, params) -> dict:
    """Results and requests for information are told to the citizen, so they need the words to tell."""
    if not params.get("public_note"):
        raise AppError("public_note_required", 422)
    return {}


def _refer_out(case: Case, actor, params) -> dict:
    agency, reason = params.get("agency"), params.get("reason")
    if not agency or not reason:
        raise AppError("refer_out_fields", 422)
    known = agencies().get(agency)
    case.referred_agency = (known["name_th"] if known else agency)[:120]
    return {"agency": agency, "agency_name": case.referred_agency, "reason": reason}


def _merge(case: Case, actor, params) -> dict:
    target_id = params.get("target")
    if not isinstance(target_id, int) or target_id == case.id:
        raise AppError("merge_target", 422)
    target = access.get_visible(target_id, actor)
    if not target.is_open:
        raise InvalidTransition("merge_target_closed")
    case.merged_into_id = target.id
    record_event(target, "merged_from", actor=actor, public=False, source=case.id,
                 source_code=case.tracking_code, note=params.get("note"))
    return {"target": target.id, "target_code": target.tracking_code}


def _assign(case: Case, actor, params) -> dict:
    user = db.session.get(User, params.get("assignee")) if isinstance(params.get("assignee"), int) else None
    if user is None or not user.active or user.role != "officer" or case.division_code not in user.division_codes:
        raise AppError("assignee_invalid", 422)
    case.assignee_id = user.id
    return {"assignee": user.id}


_STEP_HANDLERS = {
    "reopen": _reopen,
    "conclude": _require_public_note,
    "not_concluded": _require_public_note,
    "request_info": _require_public_note,
    "refer_out": _refer_out,
    "merge": _merge,
    "assign": _assign,
    "note": _note,
}

