"""The hash chain detects a changed, deleted or inserted event, and a cut-off tail."""

import subprocess
import sys

from sqlalchemy import select, text, update

from app.audit.services import verify_chain
from app.cases.models import CaseEvent
from app.extensions import db
from tests.conftest import DB_URL, valid_complaint
from tests.outbox.test_outbox import ROOT


def file_three(client):
    # three unrelated complaints (other places, other respondents), so no duplicate suggestion adds events
    for i, province in enumerate(("ระยอง", "ชลบุรี", "ลำปาง")):
        doc = valid_complaint(location={"province": province}, respondent={"name": f"โรงงานที่ {i + 1}"})
        assert client.post("/api/v1/complaints", json=doc).status_code == 201


def test_intact_chain_verifies(client, ctx):
    file_three(client)
    report = verify_chain()
    assert report.ok and report.checked == 6 and report.head_seq == 6


def test_changed_event_is_named(client, ctx):
    file_three(client)
    target = db.session.scalar(select(CaseEvent).where(CaseEvent.seq == 3))
    db.session.execute(update(CaseEvent).where(CaseEvent.id == target.id).values(data={"channel": "forged"}))
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.problem == "changed" and report.seq == 3 and report.event_id == target.id


def test_deleted_event_is_detected(client, ctx):
    file_three(client)
    db.session.execute(text("DELETE FROM case_events WHERE seq = 4"))
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.problem == "deleted" and report.seq == 5


def test_inserted_event_is_detected(client, ctx):
    from app.audit.services import event_hash

    file_three(client)
    # a forger renumbers the later events and slips a well-formed event in after seq 3
    for seq in (6, 5, 4):
        db.session.execute(update(CaseEvent).where(CaseEvent.seq == seq).values(seq=seq + 1))
    third = db.session.scalar(select(CaseEvent).where(CaseEvent.seq == 3))
    forged = CaseEvent(seq=4, case_id=third.case_id, kind="note", public=True, data={"public_note": "ปลอม"},
                       created_at=third.created_at, prev_hash=third.hash)
    forged.hash = event_hash(forged)
    db.session.add(forged)
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.problem == "inserted" and report.event_id == forged.id and report.seq == 4


def test_truncated_tail_is_detected(client, ctx):
    file_three(client)
    db.session.execute(text("DELETE FROM case_events WHERE seq = 6"))
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.problem == "truncated"


def test_cli_exit_code_names_the_bad_event(client, ctx):
    file_three(client)
    env = {"DATABASE_URL": DB_URL, "APP_ENV": "testing", "SECRET_KEY": "t", "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "audit", "verify"]
    ok = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr[-1500:]
    db.session.execute(text("UPDATE case_events SET kind = 'tampered' WHERE seq = 2"))
    db.session.commit()
    bad = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "changed at seq 2" in bad.stderr


def test_head_moves_once_per_transaction_and_not_on_rollback(client, ctx):
    from app.audit.services import current_head, record_event
    from app.cases.models import Case, ChainHead

    file_three(client)
    case = db.session.scalar(select(Case))
    before = current_head()
    first = record_event(case, "note", public=False, note="หนึ่ง")
    second = record_event(case, "note", public=False, note="สอง")
    assert (first.seq, second.seq) == (before[0] + 1, before[0] + 2) and second.prev_hash == first.hash
    assert current_head() == (second.seq, second.hash)  # this transaction sees its own appends
    db.session.rollback()
    assert current_head() == before and db.session.get(ChainHead, 1).seq == before[0]
    third = record_event(case, "note", public=False, note="สาม")
    db.session.commit()
    assert third.seq == before[0] + 1 and db.session.get(ChainHead, 1).hash == third.hash
    assert verify_chain().ok


def test_events_recorded_together_are_one_statement_in_chain_order(client, ctx):
    from sqlalchemy import event

    from app.audit.services import current_head, record_events
    from app.cases.models import Case

    file_three(client)
    case = db.session.scalar(select(Case))
    before = current_head()
    seen = []

    def count(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        a, b = record_events(case, [("note", {"note": "หนึ่ง"}), ("note", {"note": "สอง"})])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # one multi-row INSERT ... RETURNING on PostgreSQL; SQLite does not promise RETURNING's row order, so
    # SQLAlchemy sends it a row at a time
    assert len([s for s in seen if "INSERT INTO case_events" in s]) == (1 if db.engine.name == "postgresql" else 2)
    assert (a.seq, b.seq) == (before[0] + 1, before[0] + 2) and (a.prev_hash, b.prev_hash) == (before[1], a.hash)
    db.session.commit()
    assert [e.data["note"] for e in db.session.scalars(select(CaseEvent).where(CaseEvent.seq > before[0])
                                                        .order_by(CaseEvent.seq))] == ["หนึ่ง", "สอง"]
    assert verify_chain().ok
