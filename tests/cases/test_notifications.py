"""Workflow steps tell the citizen (public steps only, once per step and channel) and the assigned officer."""

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.outbox.models import Notification, OutboxMessage


def citizen_messages():
    rows = db.session.execute(select(OutboxMessage.payload, Notification.channel, Notification.body)
                              .join(Notification, Notification.outbox_id == OutboxMessage.id)
                              .where(OutboxMessage.job == "notify_citizen")).all()
    return rows


def test_the_citizen_gets_a_receipt_and_each_public_step(client, staff, new_case, ctx):
    case_id = new_case()
    receipts = citizen_messages()
    assert {c for _, c, _ in receipts} == {"email", "sms"}  # an e-mail and a Thai mobile were given
    h = staff["officer"]
    client.post(f"/api/v1/cases/{case_id}/actions", headers=h, json={"action": "note", "note": "ภายในเท่านั้น"})
    assert len(citizen_messages()) == len(receipts)  # an internal note tells no one
    client.post(f"/api/v1/cases/{case_id}/actions", headers=h,
                json={"action": "start", "public_note": "เจ้าหน้าที่จะลงพื้นที่ตรวจวันพรุ่งนี้"})
    bodies = [b for _, _, b in citizen_messages()]
    assert any("ลงพื้นที่ตรวจวันพรุ่งนี้" in b for b in bodies)
    assert not any("ภายในเท่านั้น" in b for b in bodies)


def test_anonymous_complaints_get_no_messages(client, staff, new_case, ctx):
    new_case(anonymous=True, complainant=None)
    assert citizen_messages() == []


def test_the_assigned_officer_is_told(client, staff, new_case, ctx):
    case_id = new_case()
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    officer.email = "officer@diw.example"
    db.session.commit()
    r = client.post(f"/api/v1/cases/{case_id}/actions", headers=staff["supervisor"],
                    json={"action": "assign", "assignee": officer.id})
    assert r.status_code == 200
    sent = db.session.scalars(select(Notification).where(Notification.recipient == "officer@diw.example")).all()
    assert any("มอบหมายให้ท่าน" in n.body and f"/staff/cases/{case_id}" in n.body for n in sent)


def test_concluding_invites_a_rating_once(client, staff, new_case, ctx):
    case_id = new_case()
    h = staff["officer"]
    client.post(f"/api/v1/cases/{case_id}/actions", headers=h, json={"action": "start"})
    r = client.post(f"/api/v1/cases/{case_id}/actions", headers=h,
                    json={"action": "conclude", "public_note": "แก้ไขเรียบร้อย"})
    assert r.status_code == 200
    client.post(f"/api/v1/cases/{case_id}/actions", headers=h, json={"action": "reopen", "reason": "ยังมีกลิ่น"})
    client.post(f"/api/v1/cases/{case_id}/actions", headers=h,
                json={"action": "conclude", "public_note": "แก้ไขอีกครั้ง"})
    invites = db.session.scalars(select(OutboxMessage).where(OutboxMessage.job == "invite_feedback")).all()
    assert len(invites) == 1
