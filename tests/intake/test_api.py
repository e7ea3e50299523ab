"""POST/GET /api/v1/complaints as CONTRACT.md states them."""

import io
import json
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy import func, select

from app.cases.models import Case, CaseEvent
from app.extensions import db
from app.intake.models import Attachment, Complainant
from app.outbox.models import OutboxMessage
from app.sla.models import Deadline
from tests.conftest import valid_complaint


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_answers_the_contract(client, ctx):
    r = client.post("/api/v1/complaints", json=valid_complaint())
    assert r.status_code == 201
    body = r.get_json()
    assert body["tracking_code"].startswith("ID-") and len(body["tracking_code"]) == 17
    assert body["routing"]["mode"] in ("auto", "triage")
    assert set(body["due"]) == {"acknowledge", "first_report", "resolve"}
    assert datetime.fromisoformat(body["received_at"]).tzinfo is not None
    assert body["division"]["code"] and body["division"]["name"]
    case = db.session.scalar(select(Case))
    # one transaction wrote the case, its person apart, its deadlines, two chained events and the outbox row
    assert case.complainant.phone == "+66812345678" and case.complainant.national_id == "1101700230708"
    assert case.province_code == "21" and case.district_code == "2106"
    assert count(Deadline) == 3 and count(CaseEvent) == 2
    assert count(OutboxMessage) >= 1


def test_tracking_codes_are_unguessable_and_unique(client, ctx):
    codes = {client.post("/api/v1/complaints", json=valid_complaint()).get_json()["tracking_code"] for _ in range(5)}
    assert len(codes) == 5
    ids = [c.id for c in db.session.scalars(select(Case))]
    assert not any(str(i) in code.replace("-", "") for i, code in zip(ids, sorted(codes), strict=False) if i > 9)


def test_public_view_has_no_personal_data(client):
    code = client.post("/api/v1/complaints", json=valid_complaint()).get_json()["tracking_code"]
    r = client.get(f"/api/v1/complaints/{code}")
    assert r.status_code == 200
    raw = r.get_data(as_text=True)
    for secret in ("สมหญิง", "0812345678", "+66812345678", "somying@example.com", "1101700230708"):
        assert secret not in raw
    body = r.get_json()
    assert body["status"] and [e["kind"] for e in body["timeline"]] == ["received", "routed"]
    assert "ได้" in body["timeline"][0]["label"] or body["timeline"][0]["label"]


def test_tracking_code_is_forgiving_and_unknown_is_404(client):
    code = client.post("/api/v1/complaints", json=valid_complaint()).get_json()["tracking_code"]
    assert client.get(f"/api/v1/complaints/{code.lower().replace('-', ' ')}").status_code == 200
    r = client.get("/api/v1/complaints/ID-0000-0000-0000")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "case_not_found"
    assert client.get("/api/v1/complaints/' OR 1=1 --").status_code == 404


def test_validation_messages_are_thai_by_default_and_english_on_request(client):
    bad = {"description": "สั้น", "complainant": {"name": "ก ข", "phone": "123", "national_id": "1234567890123",
                                                  "email": "not-an-email"}, "extra": True}
    r = client.post("/api/v1/complaints", json=bad)
    assert r.status_code == 422
    err = r.get_json()["error"]
    assert err["code"] == "validation"
    assert set(err["fields"]) == {"description", "complainant", "extra"}
    assert set(err["fields"]["complainant"]) == {"phone", "national_id", "email"}
    assert "ตัวอักษร" in err["fields"]["description"][0]
    en = client.post("/api/v1/complaints", json=bad, headers={"Accept-Language": "en"}).get_json()["error"]
    assert en["fields"]["complainant"]["national_id"][0].startswith("Not a valid Thai national ID")
    assert en["message"].startswith("Some fields")


def test_geography_is_checked_level_by_level(client):
    def fields(location):
        r = client.post("/api/v1/complaints", json=valid_complaint(location=location))
        return r.status_code, r.get_json().get("error", {}).get("fields", {}).get("location")

    assert fields({"province": "แอตแลนติส"})[0] == 422
    status, errs = fields({"province": "ชลบุรี", "district": "ปลวกแดง"})  # Pluak Daeng is in Rayong
    assert status == 422 and "district" in errs
    status, errs = fields({"province": "ระยอง", "district": "ปลวกแดง", "subdistrict": "หนองปรือ"})
    assert status == 422 and "subdistrict" in errs
    assert fields({"province": "กทม", "district": "จตุจักร"})[0] == 201
    assert fields({"province": "20", "district": "อ.เมือง", "lat": 13.36, "lon": 100.98})[0] == 201
    assert fields({"province": "20", "lat": 45.0})[0] == 422


def test_anonymous_needs_evidence_and_no_personal_data(client, ctx):
    base = {"description": "โรงงานปล่อยน้ำเสียสีดำลงคลองทุกเช้ามืด ปลาตายลอยเต็มคลอง", "anonymous": True}
    r = client.post("/api/v1/complaints", json={**base, "complainant": {"name": "ใครบางคน"}})
    assert r.status_code == 422 and "complainant" in r.get_json()["error"]["fields"]
    assert client.post("/api/v1/complaints", json=base).status_code == 422
    ok = client.post("/api/v1/complaints", json={**base, "location": {"province": "ราชบุรี"},
                                                   "respondent": {"name": "โรงงานฟอกย้อม"}})
    assert ok.status_code == 201 and ok.get_json()["anonymous"] is True
    assert count(Complainant) == 0
    assert db.session.scalar(select(Case.anonymous)) is True


def test_named_complaint_needs_a_way_to_reply(client):
    doc = valid_complaint(complainant={"name": "สมชาย ทดสอบ"})
    r = client.post("/api/v1/complaints", json=doc)
    assert r.status_code == 422 and "phone" in r.get_json()["error"]["fields"]["complainant"]


def test_idempotency_key_replays_the_first_answer(client, ctx):
    doc = valid_complaint()
    first = client.post("/api/v1/complaints", json=doc, headers={"Idempotency-Key": "retry-1"})
    again = client.post("/api/v1/complaints", json=doc, headers={"Idempotency-Key": "retry-1"})
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert count(Case) == 1
    other = client.post("/api/v1/complaints", json=valid_complaint(subject="อื่น"),
                        headers={"Idempotency-Key": "retry-1"})
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert client.post("/api/v1/complaints", json=doc, headers={"Idempotency-Key": "x" * 200}).status_code == 422


def test_bodies_that_are_not_json_objects(client):
    assert client.post("/api/v1/complaints", data="{oops", content_type="application/json").status_code == 400
    assert client.post("/api/v1/complaints", json=[1, 2]).status_code == 422
    assert client.post("/api/v1/complaints", data="hello", content_type="text/plain").status_code == 415
    r = client.post("/api/v1/complaints", json=valid_complaint(description=12345678901))
    assert r.status_code == 422


def test_too_large_bodies_answer_413(client, app):
    big = valid_complaint(description="ก" * 5000, subject="x" * 200)
    big["padding"] = "y" * app.config["MAX_JSON_BYTES"]
    r = client.post("/api/v1/complaints", json=big)
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "payload_too_large"
    r = client.post("/api/v1/complaints", json=valid_complaint(description="ก" * 5001))
    assert r.status_code == 422


def _jpeg(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def test_multipart_with_photos(client, ctx):
    data = {"json": json.dumps(valid_complaint()),
            "attachments": [(io.BytesIO(_jpeg()), "smoke.jpg"), (io.BytesIO(_jpeg()), "night.jpg")]}
    r = client.post("/api/v1/complaints", data=data, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    rows = db.session.scalars(select(Attachment)).all()
    assert len(rows) == 2 and rows[0].content_type == "image/jpeg" and rows[0].content.startswith(b"\xff\xd8")


def test_attachments_are_checked_by_content_and_size(client, app):
    fake = {"json": json.dumps(valid_complaint()), "attachments": [(io.BytesIO(b"MZ\x90\x00 not an image"), "x.jpg")]}
    r = client.post("/api/v1/complaints", data=fake, content_type="multipart/form-data")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "attachment_type"
    huge = b"\xff\xd8" + b"0" * app.config["ATTACHMENT_MAX_BYTES"]
    r = client.post("/api/v1/complaints", data={"json": json.dumps(valid_complaint()),
                                                "attachments": [(io.BytesIO(huge), "big.jpg")]},
                    content_type="multipart/form-data")
    assert r.status_code == 413


def test_staff_channels_and_backdating(client, staff_token, ctx):
    assert client.post("/api/v1/complaints", json=valid_complaint(channel="phone")).status_code == 403
    auth = {"Authorization": f"Bearer {staff_token}"}
    week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat()
    r = client.post("/api/v1/complaints", json=valid_complaint(channel="letter", received_at=week_ago), headers=auth)
    assert r.status_code == 201, r.get_json()
    assert datetime.fromisoformat(r.get_json()["received_at"]) < datetime.now(UTC) - timedelta(days=6)
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    r = client.post("/api/v1/complaints", json=valid_complaint(channel="letter", received_at=future), headers=auth)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "received_at_future"
    r = client.post("/api/v1/complaints", json=valid_complaint(received_at=week_ago))
    assert r.status_code == 422
    r = client.post("/api/v1/complaints", json=valid_complaint(), headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


def test_rate_limit_answers_429(limited):
    c = limited(RATELIMIT_INTAKE="2/minute", RATELIMIT_STORAGE_URI="memory://").test_client()
    codes = [c.post("/api/v1/complaints", json={"description": "x"}).status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    r = c.post("/api/v1/complaints", json={})
    assert r.get_json()["error"]["code"] == "rate_limited"
