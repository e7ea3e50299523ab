"""After intake: the work a new case needs that the citizen need not wait for, in one outbox job.

Intake's transaction holds only what the receipt shows and what must never be lost (the case, its complainant,
units, deadlines, first events and this job's outbox row). Everything below runs after commit, in a worker (or
inline without Redis), and is safe to run again: the search terms are rewritten, notices carry dedupe keys, and
duplicates are noted once.
"""

from sqlalchemy import select

from app.cases import search
from app.cases.models import Case, CaseEvent
from app.cases.services import note_duplicates
from app.channels import services as channels
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.services import handler

JOB = "case_received"


def queue_after_intake(case: Case) -> None:
    """Called by intake in its own transaction (one outbox row, so one Redis enqueue, per complaint)."""
    outbox.add(JOB, {"case_id": case.id}, dedupe_key=f"received:{case.id}")


@handler(JOB)
def case_received(msg) -> None:
    """Index the case for Thai search, tell its units and the citizen (the receipt), note possible duplicates.

    Notices are outbox rows of their own (written here, relayed when this job commits), so one failing mailbox is
    retried alone and never repeats the others.
    """
    case = db.session.get(Case, msg.payload["case_id"])
    if case is None:
        return
    search.index_case(case)
    for unit in case.units:
        channels.notify_unit(case, unit.division_code)
    received = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "received"))
    if received is not None:
        channels.notify_citizen(case, received)
    if case.is_open:
        note_duplicates(case)
