"""Who is told, on which channel, in what words: citizens for public steps, officers for new assignments."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.services import record_event
from app.channels.services import notify_assignee, notify_citizen, notify_unit
from app.common.db import commit
from app.common.models import utcnow
from app.common.templating import BANGKOK
from app.extensions import db
from app.intake.schemas import ComplaintIn
from app.intake.services import create_complaint
from app.outbox.models import Notification, OutboxMessage
from app.outbox.services import process
from app.routing.models import Division
from tests.conftest import valid_complaint

LINE_ID = "U4af4980629a1b2c3d4e5f60718293a4b"
STEPS = ("received", "routed", "acknowledged", "started", "info_requested", "resumed", "concluded",
         "not_concluded", "rerouted", "referred_out", "merged", "reopened", "note")


def make_case(line_user_id=None, keep_jobs=False, **overrides):
    """A complaint filed through intake (e-mail and a Thai mobile by default), flushed.

    Intake already queued its after-intake job (the citizen's receipt, the units' notices); that row is dropped
    here so that each test counts the rows of the step it makes (the receipt itself is tested in
    ``tests/cases/test_notifications.py``). ``keep_jobs`` keeps it."""
    case = create_complaint(ComplaintIn().load(valid_complaint(**overrides)))
    if line_user_id:
        case.complainant.line_user_id = line_user_id
    db.session.flush()
    for msg in list(db.session.info.get("outbox_new", [])):
        if msg.job == "case_received" and not keep_jobs:
            db.session.info["outbox_new"].remove(msg)
            db.session.delete(msg)
    db.session.flush()
    return case


def public_step(case, kind="acknowledged", note=None, **data):
    event = record_event(case, kind, public=True, **({"public_note": note} if note else {}), **data)
    return notify_citizen(case, event)


def citizen_rows():
    return db.session.scalars(select(Notification).where(Notification.event_id.is_not(None))
                              .order_by(Notification.channel)).all()


def outbox_rows(job):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.job == job)).all()


def test_one_row_and_one_notice_per_channel(app, ctx):
    with app.test_request_context(headers={"Accept-Language": "en"}):  # citizens are told in Thai regardless
        case = make_case(line_user_id=LINE_ID)
        rows = public_step(case, note="เจ้าหน้าที่จะเข้าตรวจโรงงานวันจันทร์")
        assert sorted(r.payload["channel"] for r in rows) == ["email", "line", "sms"]
        assert all(r.dedupe_key == f"citizen:{r.payload['event_id']}:{r.payload['channel']}" for r in rows)
        assert "somying" not in str([r.payload for r in rows])  # ids only: no personal data in the outbox
        commit()
    email, line, sms = citizen_rows()
    assert (email.recipient, line.recipient, sms.recipient) == ("somying@example.com", LINE_ID, "+66812345678")
    assert {n.status for n in (email, line, sms)} == {"recorded"}
    year_be = str(utcnow().astimezone(BANGKOK).year + 543)
    url = f"http://127.0.0.1:5000/track/{case.tracking_code}"
    for note in (email, line):
        assert "รับเรื่องของท่านแล้ว" in note.body and "เจ้าหน้าที่จะเข้าตรวจโรงงานวันจันทร์" in note.body
        assert year_be in note.body and url in note.body
    assert email.subject == f"ความคืบหน้าเรื่องร้องเรียน {case.tracking_code}"
    assert len(sms.body) <= 140 and case.tracking_code in sms.body and sms.body.endswith(url)


def test_sms_is_cut_at_a_word_keeping_code_and_link(app, ctx):
    long_note = "หน่วยงานได้ส่งเจ้าหน้าที่เข้าตรวจสอบโรงงานและสั่งให้ปรับปรุงระบบบำบัดกลิ่นภายในสามสิบวัน " * 4
    with app.test_request_context():
        case = make_case()
        public_step(case, note=long_note)
        commit()
    email, sms = citizen_rows()
    assert long_note.strip() in email.body  # the e-mail carries the whole note
    assert len(sms.body) <= 140 and "…" in sms.body and "หน่วยงานได้ส่ง" in sms.body
    assert sms.body.endswith(f"/track/{case.tracking_code}") and case.tracking_code in sms.body.split("ติดตาม")[0]


def test_a_fixed_line_gets_no_sms(app, ctx):
    with app.test_request_context():
        case = make_case(complainant={"name": "สมชาย", "phone": "02-202-3000", "email": "somchai@example.com"})
        assert [r.payload["channel"] for r in public_step(case)] == ["email"]


def test_anonymous_and_erased_complainants_are_never_contacted(app, ctx):
    with app.test_request_context():
        anonymous = make_case(anonymous=True, complainant=None)
        assert public_step(anonymous) == []
        erased = make_case(line_user_id=LINE_ID)
        erased.complainant.anonymised_at = utcnow()
        assert public_step(erased) == []
        # erased after the step was written but before the job ran: the job finds no one to tell
        later = make_case()
        rows = public_step(later)
        later.complainant.anonymised_at = utcnow()
        commit()
    assert all(db.session.get(OutboxMessage, r.id).status == "done" for r in rows)
    assert citizen_rows() == []


def test_internal_events_tell_no_one(app, ctx):
    with app.test_request_context():
        case = make_case()
        internal = record_event(case, "note", public=False, note="ผู้ร้องเคยร้องเรื่องนี้มาแล้ว")
        assert notify_citizen(case, internal) == []


def test_a_repeated_call_or_job_notifies_once(app, ctx):
    with app.test_request_context():
        case = make_case()
        event = record_event(case, "concluded", public=True)
        first = notify_citizen(case, event)
        assert len(first) == 2 and notify_citizen(case, event) == []  # the workflow step ran twice
        commit()
        assert notify_citizen(case, event) == []  # a retried request after the commit
    for row in first:
        assert process(row.id) == "done"  # a job relayed again
    assert len(citizen_rows()) == 2


def test_every_public_step_has_its_own_words(app, ctx):
    with app.test_request_context():
        case = make_case()
        case.referred_agency = "ศูนย์ดำรงธรรม 1567"
        for kind in STEPS:
            public_step(case, kind=kind)
        commit()
    bodies = {n.body.split("\n")[2] for n in citizen_rows() if n.channel == "email"}
    assert len(bodies) == len(STEPS)  # each step reads differently
    assert not any(b.startswith("channels.") or "{" in b for b in bodies)
    assert any("ศูนย์ดำรงธรรม 1567" in b for b in bodies)


def officer(username, divisions, email, role="officer"):
    user = User(username=username, full_name=username, email=email, role=role, divisions=divisions)
    user.set_password("x" * 12)
    db.session.add(user)
    return user


def test_the_units_officers_are_told_of_a_new_case(app, ctx):
    with app.test_request_context():
        triage, diw = db.session.get(Division, "TRIAGE"), db.session.get(Division, "DIW")
        officer("o1", [triage], "o1@industry.go.th")
        officer("o2", [triage, diw], "o2@industry.go.th")
        officer("o3", [triage], None)  # no e-mail: nothing to send
        officer("o4", [diw], "o4@industry.go.th")  # another unit
        officer("a1", [triage], "a1@industry.go.th", role="agent")
        db.session.flush()
        case = make_case(keep_jobs=True)
        assert case.division_code == "TRIAGE"
        commit()  # the after-intake job runs inline: the unit's notices (and the citizen's receipt, left aside)
        assert set(db.session.scalars(select(Notification.recipient).where(Notification.event_id.is_(None)))) == {
            "gecc-triage@industry.go.th", "o1@industry.go.th", "o2@industry.go.th"}
        # the case moves to DIW: DIW's officers hear of it, and the unit job run again adds nobody twice
        event = record_event(case, "rerouted", public=True, division="DIW")
        assert notify_unit(case, "DIW", event) is not None and notify_unit(case, "DIW", event) is None
        commit()
    for row in outbox_rows("notify_unit_new_case"):
        assert process(row.id) == "done"
    officers = db.session.scalars(select(Notification.recipient).where(Notification.subject.like("เรื่องใหม่%"))).all()
    assert sorted(officers) == ["o1@industry.go.th", "o2@industry.go.th", "o2@industry.go.th", "o4@industry.go.th"]


def test_the_assignee_is_told_once(app, ctx):
    with app.test_request_context():
        user = officer("o1", [db.session.get(Division, "TRIAGE")], "o1@industry.go.th")
        case = make_case()
        db.session.flush()
        assert notify_assignee(case) is None  # nobody assigned yet
        case.assignee_id = user.id
        record_event(case, "assigned", public=False, assignee=user.id)
        row = notify_assignee(case)
        assert row is not None and notify_assignee(case) is None
        commit()
    [note] = db.session.scalars(select(Notification).where(Notification.outbox_id == row.id)).all()
    assert note.recipient == "o1@industry.go.th" and note.subject == f"มอบหมายเรื่อง {case.tracking_code} ให้ท่าน"
    assert "มอบหมายให้ท่านดำเนินการ" in note.body


def test_a_claimed_notification_is_not_sent_again_until_its_lease_ends(app, ctx):
    with app.test_request_context():
        [row] = public_step(make_case(complainant={"name": "สมศรี", "email": "s@example.com"}))
        db.session.commit()
    claim = Notification(outbox_id=row.id, channel="email", recipient="s@example.com", subject="-", body="-",
                         status="sending", attempts=1, updated_at=utcnow())
    db.session.add(claim)
    db.session.commit()
    assert process(row.id) == "pending"  # another worker is sending it right now
    assert re.search("DeliveryBusy", db.session.get(OutboxMessage, row.id).last_error)
    claim = db.session.get(Notification, claim.id)
    claim.updated_at = utcnow() - timedelta(minutes=10)  # that worker died mid-send
    db.session.commit()
    assert process(row.id) == "done"
    note = db.session.get(Notification, claim.id)
    assert note.status == "recorded" and note.attempts == 2
    assert db.session.scalar(select(func.count(Notification.id))) == 1
