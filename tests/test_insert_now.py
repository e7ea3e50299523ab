"""``insert_all`` / ``insert_now``: new rows written with prebuilt statements, persistent at once, gone with a
rollback."""

from sqlalchemy import event, func, select

from app.cases.models import Case, CaseUnit
from app.common.db import insert_all, insert_now
from app.extensions import db
from app.intake.models import Complainant
from app.outbox.models import OutboxMessage


def test_defaults_are_filled_and_the_row_is_persistent(ctx):
    msg = insert_now(OutboxMessage(job="probe", payload={"case_id": 7}, dedupe_key="probe:1"))
    assert msg.id is not None and msg.status == "pending" and msg.attempts == 0 and msg.created_at is not None
    assert msg in db.session and msg not in db.session.new  # written, not waiting for a flush
    stored = db.session.execute(select(OutboxMessage.job, OutboxMessage.payload, OutboxMessage.status)
                                .where(OutboxMessage.id == msg.id)).one()
    assert tuple(stored) == ("probe", {"case_id": 7}, "pending")
    msg.status = "done"  # an ordinary ORM object from here on: changes are flushed as usual
    db.session.flush()
    assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == msg.id)) == "done"
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_rollback_takes_the_object_out_of_the_session(ctx):
    """SQLite hands a rolled-back id out again: the old object must not still claim it."""
    first = insert_now(OutboxMessage(job="probe", payload={}, dedupe_key="probe:a"))
    db.session.rollback()
    assert first not in db.session
    second = insert_now(OutboxMessage(job="probe", payload={}, dedupe_key="probe:b"))
    db.session.commit()
    assert db.session.get(OutboxMessage, second.id).dedupe_key == "probe:b"


def test_a_graph_is_written_a_statement_per_table_with_its_keys_filled(ctx):
    person = Complainant(name="สมหญิง ทดสอบ", phone="+66812345678")
    case = Case(tracking_code="ID-TEST-0000-0009", description="น้ำเสียจากโรงงาน" * 2, division_code="DIW",
                complainant=person)
    units = [CaseUnit(case=case, division_code="DIW", role="lead"), CaseUnit(case=case, division_code="PIO-21",
                                                                             role="joint")]
    seen = []

    def count(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        insert_all([person, case, *units])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # complainant, case, both units (one multi-row statement): three statements, nothing left for a flush
    assert len([s for s in seen if s.lstrip().upper().startswith("INSERT")]) == 3
    assert case.complainant_id == person.id and {u.case_id for u in units} == {case.id}
    assert case.status == "received" and case.reopen_count == 0 and case.created_at is not None  # defaults
    assert not db.session.new and not db.session.dirty
    assert case.complainant is person and case.units == units  # the object graph as built, no reload
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert stored.complainant.name == "สมหญิง ทดสอบ" and {u.division_code for u in stored.units} == {"DIW", "PIO-21"}


def test_a_reference_to_an_unwritten_row_is_refused(ctx):
    case = Case(tracking_code="ID-TEST-0000-0010", description="x" * 20, division_code="DIW")
    unit = CaseUnit(case=case, division_code="DIW", role="lead")
    try:
        insert_all([unit, case])  # wrong order: the unit's case has no id yet
    except ValueError as exc:
        assert "case" in str(exc)
    else:
        raise AssertionError("written without its case")
    db.session.rollback()
