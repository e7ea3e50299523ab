"""Satisfaction: one rating per case once decided, without an account; agents record phone ratings; the
tracking page's form; the invitation through the outbox."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.cases.models import Case, CaseEvent
from app.common.db import commit
from app.csat.models import Feedback
from app.csat.services import invite
from app.extensions import db
from app.outbox.models import Notification, OutboxMessage
from tests.conftest import valid_complaint
from tests.evidence.helpers import auth, make_case

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def code_of(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).tracking_code


def test_citizen_rates_once_after_the_decision(app, client):
    open_code = code_of(app, make_case(app, NOV))
    r = client.post(f"/api/v1/complaints/{open_code}/feedback", json={"score": 5})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "csat_not_ready"
    code = code_of(app, make_case(app, NOV, ack=1, told=2, concluded=5))
    for bad in ({"score": 0}, {"score": 6}, {"score": "5"}, {}, {"score": 3, "extra": 1}):
        assert client.post(f"/api/v1/complaints/{code}/feedback", json=bad).status_code == 422, bad
    r = client.post(f"/api/v1/complaints/{code.lower()}/feedback", json={"score": 4, "comment": "รวดเร็วดี"})
    assert r.status_code == 201 and r.get_json()["score"] == 4 and r.get_json()["source"] == "web"
    r = client.post(f"/api/v1/complaints/{code}/feedback", json={"score": 1}, headers={"Accept-Language": "en"})
    assert r.status_code == 409 and r.get_json()["error"]["message"] == "This case has already been rated."
    assert client.post("/api/v1/complaints/ID-0000-0000-0000/feedback", json={"score": 3}).status_code == 404
    with app.app_context():
        ev = db.session.scalar(select(CaseEvent).where(CaseEvent.kind == "csat_rated"))
        assert ev.data["score"] == 4 and "comment" not in ev.data and ev.actor_id is None
        assert db.session.scalar(select(func.count(Feedback.id))) == 1


def test_agent_records_a_phone_rating(app, client, tokens):
    case_id = make_case(app, NOV, concluded=3)
    url = f"/api/v1/cases/{case_id}/feedback"
    assert client.post(url, json={"score": 3}).status_code == 401
    assert client.post(url, json={"score": 3}, headers=auth(tokens["officer"])).status_code == 403
    r = client.post(url, json={"score": 2, "comment": "ช้า"}, headers=auth(tokens["agent"]))
    assert r.status_code == 201 and r.get_json()["source"] == "phone"
    assert client.post(url, json={"score": 5}, headers=auth(tokens["supervisor"])).status_code == 409
    assert client.post("/api/v1/cases/99999/feedback", json={"score": 5},
                       headers=auth(tokens["agent"])).status_code == 404
    with app.app_context():
        fb = db.session.scalar(select(Feedback))
        assert fb.recorded_by is not None and fb.source == "phone"


def test_tracking_page_form_with_csrf(app, client):
    open_code = code_of(app, make_case(app, NOV))
    assert 'id="csat"' not in client.get(f"/track/{open_code}").get_data(as_text=True)
    code = code_of(app, make_case(app, NOV, concluded=3))
    page = client.get(f"/track/{code}").get_data(as_text=True)
    assert 'id="csat"' in page and 'name="score"' in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(f"/track/{code}/feedback", data={"score": "5"}).status_code == 400  # no CSRF token
    bad = client.post(f"/track/{code}/feedback", data={"score": "9", "csrf_token": token})
    assert bad.status_code == 422 and 'role="alert"' in bad.get_data(as_text=True)
    r = client.post(f"/track/{code}/feedback", data={"score": "5", "comment": "ดีมาก", "csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/track/{code}#csat")
    assert "ขอบคุณที่ประเมิน" in client.get(f"/track/{code}").get_data(as_text=True)
    again = client.post(f"/track/{code}/feedback", data={"score": "1", "csrf_token": token})
    assert again.status_code == 409


def test_invitation_once_per_case_through_the_outbox(app):
    case_id = make_case(app, NOV, concluded=3)
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        assert invite(case) is not None
        assert invite(case) is None  # the same case is never invited twice
        commit()  # relays the row; without Redis it runs inline
        note = db.session.scalar(select(Notification).where(Notification.case_id == case_id))
        assert note.channel == "email" and note.recipient == "somying@example.com"
        assert f"/track/{case.tracking_code}#csat" in note.body
        assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.job == "invite_feedback")) == "done"
    anon = make_case(app, NOV, concluded=3, doc=valid_complaint(anonymous=True, complainant=None,
                                                                location={"province": "ระยอง"}))
    with app.test_request_context():
        assert invite(db.session.get(Case, anon)) is None  # anonymous: the tracking page is the only way


def test_ratings_are_rate_limited(limited):
    c = limited(RATELIMIT_CSAT="2/minute").test_client()
    answers = [c.post("/api/v1/complaints/ID-0000-0000-0000/feedback", json={"score": 3}).status_code
               for _ in range(3)]
    assert answers == [404, 404, 429]
