"""The case workflow as data: which action moves a case from which statuses to which status.

received → triage → assigned → acknowledged → in_progress ⇄ awaiting_info → concluded | not_concluded → closed,
plus reroute, refer_out (closed locally as ส่งต่อ), merge (into an open case), reopen and notes.
"""

from dataclasses import dataclass

from app.cases.models import OPEN_STATUSES, Status

S = Status
DECIDED = (S.concluded, S.not_concluded, S.referred_out, S.merged)
#: statuses in which a unit is working the case
WORKING = (S.acknowledged, S.in_progress, S.awaiting_info)


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    #: the status after the step; ``None`` keeps the current one
    target: str | None
    #: the event kind written for the step
    event: str
    #: who may take the step (besides supervisors and admins, who may take every step)
    roles: frozenset[str]
    #: the citizen sees the step on the tracking page and is notified
    public: bool = True


_UNIT = frozenset({"officer"})
_DESK = frozenset({"officer", "agent"})

TRANSITIONS: dict[str, Transition] = {
    "acknowledge": Transition((S.assigned,), S.acknowledged, "acknowledged", _UNIT),
    "start": Transition((S.assigned, S.acknowledged), S.in_progress, "started", _UNIT),
    "request_info": Transition(WORKING[:2], S.awaiting_info, "info_requested", _UNIT),
    "resume": Transition((S.awaiting_info,), S.in_progress, "resumed", _UNIT),
    "conclude": Transition(WORKING, S.concluded, "concluded", _UNIT),
    "not_concluded": Transition(WORKING, S.not_concluded, "not_concluded", _UNIT),
    "close": Transition(DECIDED[:2], S.closed, "closed", _UNIT),
    "reopen": Transition((*DECIDED[:3], S.closed), S.in_progress, "reopened", _UNIT),
    "refer_out": Transition((S.received, S.triage, S.assigned, *WORKING), S.referred_out, "referred_out", _DESK),
    "merge": Transition(OPEN_STATUSES, S.merged, "merged", _DESK),
    "reroute": Transition((S.received, S.triage, S.assigned, S.acknowledged, S.in_progress), None, "rerouted",
                          _DESK),
    "assign": Transition(OPEN_STATUSES, None, "assigned_officer", _DESK, public=False),
    "note": Transition(tuple(S), None, "note", _DESK, public=False),
}

#: roles that may act on any case they can see; auditors only read
ALL_ACTIONS_ROLES = frozenset({"supervisor", "admin"})


def allowed(action: str, status: str, role: str) -> bool:
    """Whether ``role`` may take ``action`` on a case in ``status`` (visibility is checked elsewhere)."""
    step = TRANSITIONS.get(action)
    if step is None or status not in step.sources:
        return False
    return role in ALL_ACTIONS_ROLES or role in step.roles


def actions_for(status: str, role: str) -> list[str]:
    """The steps to offer on the case page, in workflow order."""
    return [name for name in TRANSITIONS if allowed(name, status, role)]
