"""PDPA: a data subject's copy (logged), erasure that keeps the case and its statistics, and retention."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.audit.services import verify_chain
from app.cases.models import Case, CaseEvent
from app.common.models import utcnow
from app.csat.models import Feedback
from app.evidence.models import ExportLog
from app.extensions import db
from app.intake.models import Complainant
from tests.conftest import valid_complaint
from tests.evidence.helpers import auth, make_case

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
WHO = {"national_id": "1-1017-00230-70-8"}
LEAKY = valid_complaint(description="ข้าพเจ้าสมหญิง ทดสอบ บ้านติดโรงงาน โทร 0812345678 กลิ่นเหม็นทุกคืน ทนไม่ไหวแล้ว")


def test_access_request_gives_the_person_their_data_and_is_logged(app, client, tokens):
    case_id = make_case(app, NOV, concluded=3, doc=LEAKY)
    make_case(app, NOV, doc=valid_complaint(complainant={"name": "คนอื่น", "phone": "0899999999"}))
    url = "/api/v1/pdpa/access"
    assert client.post(url, json=WHO, headers=auth(tokens["auditor"])).status_code == 403
    assert client.post(url, json={}, headers=auth(tokens["admin"])).status_code == 422
    r = client.post(url, json={"email": "nobody@example.com"}, headers=auth(tokens["admin"]))
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "pdpa_not_found"
    r = client.post(url, json=WHO, headers=auth(tokens["supervisor"]))
    assert r.status_code == 200 and r.mimetype == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(r.get_data())).read("data.json"))
    assert data["people"][0]["name"] == "สมหญิง ทดสอบ" and len(data["cases"]) == 1
    assert "0812345678" in data["cases"][0]["description"]  # their own data, unmasked
    r = client.post(url, json={"phone": "081 234 5678", "format": "json"}, headers=auth(tokens["admin"]))
    assert r.status_code == 200 and r.get_json()["people"][0]["email"] == "somying@example.com"
    with app.app_context():
        logs = db.session.scalars(select(ExportLog).where(ExportLog.kind == "pdpa_access")).all()
        assert len(logs) == 2 and all("1101700230708" not in (log.note or "") for log in logs)
        viewed = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "personal_data_viewed")).all()
        assert [e.case_id for e in viewed] == [case_id, case_id] and viewed[0].data["purpose"] == "pdpa_access"


def test_erasure_keeps_the_case_and_its_statistics(app, client, tokens):
    case_id = make_case(app, NOV, concluded=3, doc=LEAKY)
    open_id = make_case(app, NOV, doc=LEAKY)
    with app.app_context():
        db.session.add(Feedback(case_id=case_id, score=4, comment="ขอบคุณ โทรกลับที่ 0812345678 ได้"))
        db.session.commit()
    url = "/api/v1/pdpa/erase"
    body = {**WHO, "reason": "คำขอลบข้อมูลเป็นหนังสือ"}
    assert client.post(url, json=body, headers=auth(tokens["supervisor"])).status_code == 403
    r = client.post(url, json=body, headers=auth(tokens["admin"]))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "pdpa_open_cases"
    r = client.post(url, json={**body, "force": True}, headers=auth(tokens["admin"]))
    assert r.status_code == 200 and r.get_json()["cases"] == 2
    with app.app_context():
        person = db.session.scalar(select(Complainant))
        assert person.anonymised_at is not None
        assert (person.name, person.phone, person.email, person.national_id) == (None, None, None, None)
        case = db.session.get(Case, case_id)
        assert "สมหญิง" not in case.description and "0812345678" not in case.description
        assert case.division_code and case.province_code and case.status == "concluded"
        assert case.complainant_id == person.id
        assert "0812345678" not in db.session.scalar(select(Feedback.comment))
        erased = db.session.scalars(select(CaseEvent.case_id).where(CaseEvent.kind == "personal_data_erased")).all()
        assert sorted(erased) == sorted([case_id, open_id])
        assert verify_chain().ok  # erasure adds events; it never rewrites one
    assert client.post(url, json=body, headers=auth(tokens["admin"])).status_code == 404  # nobody left to erase


def test_retention_anonymises_only_long_closed_cases(app):
    old = make_case(app, NOV, concluded=3, closed=4)
    recent = make_case(app, NOV, concluded=3, doc=valid_complaint(complainant={"name": "ผู้ร้องใหม่",
                                                                               "phone": "0891112222"}))
    still_open = make_case(app, NOV, doc=valid_complaint(complainant={"name": "ยังเปิดอยู่", "phone": "0893334444"}))
    with app.app_context():
        six_years = utcnow() - timedelta(days=6 * 365)
        for case_id in (old, still_open):
            case = db.session.get(Case, case_id)
            case.received_at = six_years
            case.complainant.created_at = six_years
            if case_id == old:
                case.closed_at = case.concluded_at = six_years + timedelta(days=10)
        db.session.get(Case, recent).complainant.created_at = six_years
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["pdpa", "retention"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1]) == {"people": 1, "cases": 1}
    with app.app_context():
        names = dict(db.session.execute(select(Case.id, Complainant.name).join(Complainant)).all())
        assert names[old] is None and names[recent] == "ผู้ร้องใหม่" and names[still_open] == "ยังเปิดอยู่"
        assert db.session.scalar(select(func.count(ExportLog.id)).where(ExportLog.kind == "pdpa_retention")) == 1
    again = app.test_cli_runner().invoke(args=["pdpa", "retention"])
    assert json.loads(again.output.strip().splitlines()[-1]) == {"people": 0, "cases": 0}
