"""The contact-centre console: caller lookup, filing for a caller, questions answered, transfer to a unit."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.cases.models import Case
from app.console.models import Call
from app.extensions import db
from tests.accounts.helpers import csrf_token, login


def sign_in(client, app, name="agent"):
    assert login(client, name, app.config["DEMO_PASSWORD"]).status_code in (302, 303)


def test_caller_lookup_finds_earlier_cases_however_the_number_is_typed(client, staff, new_case):
    first, second = new_case(), new_case()
    for typed in ("081-234-5678", "+66 81 234 5678", "0812345678"):
        r = client.get("/api/v1/console/caller", headers=staff["agent"], query_string={"phone": typed})
        assert r.status_code == 200 and {c["id"] for c in r.get_json()["cases"]} == {first, second}
    r = client.get("/api/v1/console/caller", headers=staff["agent"], query_string={"phone": "12"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "phone_invalid"
    r = client.get("/api/v1/console/caller", headers=staff["officer"], query_string={"phone": "0812345678"})
    assert r.status_code == 403


def test_agent_files_a_backdated_letter_and_transfers_it(client, staff, app):
    # no shared app context here: Flask-WTF keeps the CSRF token in ``g``, which must be per request
    sign_in(client, app)
    token = csrf_token(client, "/staff/console/")
    received = (datetime.now(UTC) - timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    r = client.post("/staff/console/complaint", data={
        "csrf_token": token, "channel": "letter", "received_at": received, "phone": "0891112222",
        "name": "ประยุทธ ทดสอบ", "description": "มีรถบรรทุกขนแร่ผ่านหมู่บ้านทั้งวัน ฝุ่นฟุ้งกระจายมาก",
        "province": "20", "division": "DPIM"})
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.channel == "letter" and case.division_code == "DPIM"
        assert case.received_at < datetime.now(UTC) - timedelta(days=1)
        call = db.session.scalar(select(Call))
        assert call.kind == "complaint" and call.case_id == case.id and call.phone == "+66891112222"
        assert case.tracking_code in page


def test_console_form_errors_are_shown_not_500(client, staff, app):
    sign_in(client, app)
    token = csrf_token(client, "/staff/console/")
    r = client.post("/staff/console/complaint", data={"csrf_token": token, "description": "สั้น"})
    assert r.status_code == 422 and 'role="alert"' in r.get_data(as_text=True)


def test_questions_answered_from_the_manual_are_logged(client, staff, app):
    r = client.post("/api/v1/console/calls", headers=staff["agent"], json={
        "manual_slug": "factory-licence", "phone": "021234567",
        "question": "ขอใบอนุญาตประกอบกิจการโรงงานใช้เอกสารอะไรบ้าง", "answer": "แจ้งตามคู่มือสำหรับประชาชน"})
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert call.kind == "inquiry" and call.manual_slug == "factory-licence" and call.phone == "+6621234567"
    assert client.post("/api/v1/console/calls", headers=staff["agent"], json={"question": "?"}).status_code == 422
    sign_in(client, app)
    page = client.get("/staff/console/").get_data(as_text=True)
    assert "factory-licence" in page  # the agent answers from the published manual
    token = csrf_token(client, "/staff/console/")
    r = client.post("/staff/console/inquiry", data={"csrf_token": token, "question": "เวลาทำการ",
                                                    "answer": "08:30-16:30 น."})
    assert r.status_code == 303


def test_console_page_shows_the_callers_cases(client, staff, new_case, app):
    case_id = new_case()
    sign_in(client, app)
    page = client.get("/staff/console/", query_string={"phone": "0812345678"}).get_data(as_text=True)
    with app.app_context():
        code = db.session.get(Case, case_id).tracking_code
    assert code in page and "สมหญิง" not in page
    assert re.search(r'<script src="/static/console.js', page)


def test_the_session_acts_on_the_api_only_with_the_pages_csrf_token(client, staff, app):
    sign_in(client, app)
    body = {"text": "โรงงานปล่อยกลิ่นเหม็นทุกคืน", "location": {"province": "10"}}
    # a cross-site POST carries the cookie but not the token: it is not the agent
    assert client.post("/api/v1/cases/similar", json=body).status_code == 401
    token = csrf_token(client, "/staff/console/")
    r = client.post("/api/v1/cases/similar", json=body, headers={"X-CSRFToken": token})
    assert r.status_code == 200 and r.get_json() == {"items": []}
