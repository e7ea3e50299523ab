"""Who is told about a case: the citizen on every channel they can be reached on, a unit's officers, the assignee.

Each function adds outbox rows in the caller's transaction (it flushes, never commits); the handlers in
:mod:`app.outbox.notify` render and deliver them after commit. Dedupe keys make a repeated call harmless: the same
event never notifies the same channel twice, whether the request, the workflow step or the job is retried.
"""

import re

from flask import current_app
from sqlalchemy import select

from app.cases.models import CaseEvent
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import OutboxMessage


def is_mobile(phone: str | None) -> bool:
    """A number SMS can reach: a Thai mobile in E.164 (``SMS_MOBILE_PATTERN``), not a fixed line."""
    return bool(phone) and re.fullmatch(current_app.config["SMS_MOBILE_PATTERN"], phone) is not None


def citizen_addresses(case) -> dict[str, str]:
    """``{channel: address}`` for the complainant; empty for anonymous cases and erased complainants."""
    person = None if case.anonymous else case.complainant
    if person is None or person.anonymised_at is not None:
        return {}
    found = {"email": person.email, "sms": person.phone if is_mobile(person.phone) else None,
             "line": person.line_user_id}
    return {channel: address for channel, address in found.items() if address}


def notify_citizen(case, event) -> list[OutboxMessage]:
    """Tell the complainant of a public step, one outbox row per channel; internal events tell no one.

    The payload carries ids only: the address is read when the job runs, so a person erased in between is not
    contacted and no personal data sits in the outbox or in Redis.
    """
    if not event.public:
        return []
    channels = citizen_addresses(case)
    if not channels:
        return []
    fresh = event.id is None  # written in this transaction: no row can carry its key yet
    if fresh:
        db.session.flush()
    keys = {channel: f"citizen:{event.id}:{channel}" for channel in channels}
    done = set() if fresh else existing_keys(keys.values())
    return [outbox.add("notify_citizen", {"case_id": case.id, "event_id": event.id, "channel": channel},
                       dedupe_key=key)
            for channel, key in keys.items() if key not in done]


def notify_unit(case, division_code: str, event=None, *, fresh: bool = False) -> OutboxMessage | None:
    """Tell a unit (its mailbox and its officers) that ``case`` is now theirs, as lead or joint unit.

    The key names the event of the (re)assignment, so a case routed back to a unit it left tells it again.
    ``fresh``: the case was created in this transaction, so no notice can exist yet (intake skips the lookup).
    """
    key = f"new-case:{case.id}:{division_code}" + (f":{_event_id(case, event)}" if event is not None else "")
    if not fresh and existing_keys([key]):
        return None
    return outbox.add("notify_unit_new_case", {"case_id": case.id, "division": division_code}, dedupe_key=key)


def notify_assignee(case, event=None) -> OutboxMessage | None:
    """Tell the officer in ``case.assignee_id`` that the case was given to them personally."""
    if case.assignee_id is None:
        return None
    key = f"assignee:{case.id}:{case.assignee_id}:{_event_id(case, event)}"
    if existing_keys([key]):
        return None
    return outbox.add("notify_officer", {"case_id": case.id, "user_id": case.assignee_id, "reason": "assigned"},
                      dedupe_key=key)


def _event_id(case, event) -> int | None:
    """The id of ``event``, else of the case's latest event (the step that made the assignment)."""
    db.session.flush()
    if event is not None:
        return event.id
    return db.session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id)
                             .order_by(CaseEvent.seq.desc()).limit(1))


def existing_keys(keys) -> set[str]:
    """Those of ``keys`` already used by an outbox row (pending rows of this session included)."""
    keys = list(keys)
    return set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
