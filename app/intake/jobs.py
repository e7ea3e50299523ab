"""After intake: the work a new case needs that the citizen need not wait for, in one outbox job.

Intake's transaction holds only what the receipt shows and what must never be lost: the case, its complainant,
units, deadlines, first events, the units' new-case notices and this job's outbox row. Everything below runs after
commit, in a worker (or inline without Redis), and is safe to run again: the search terms are rewritten, notices
carry dedupe keys, and duplicates are noted once.
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


def queue_after_intake(case: Case, units: list[str]) -> None:
    """Called by intake in its transaction: the new-case notice to each unit, and this job for the rest."""
    for code in units:  # the unit learns of the case from a row committed with it
        channels.notify_unit(case, code, fresh=True)
    outbox.add(JOB, {"case_id": case.id}, dedupe_key=f"received:{case.id}")


@handler(JOB)
def case_received(msg) -> None:
    """Index the case for Thai search, send the citizen the receipt, note possible duplicates.

    The receipt is an outbox row per channel (written here, relayed when this job commits), so one failing channel
    is retried alone and never repeats the others.
    """
    case = db.session.get(Case, msg.payload["case_id"])
    if case is None:
        return
    search.index_case(case)
    received = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "received"))
    if received is not None:
        channels.notify_citizen(case, received)
    if case.is_open:
        note_duplicates(case)
