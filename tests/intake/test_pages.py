"""Citizen pages: Thai, accessible, CSRF-protected, working without JavaScript."""

import io
import re

from PIL import Image
from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db


def csrf(client, path="/complaints/new") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


FORM = {"subject": "เสียงดังจากโรงงาน", "description": "โรงงานเดินเครื่องจักรเสียงดังตลอดคืน ตั้งแต่เที่ยงคืนถึงตีห้า",
        "province": "20", "district": "ศรีราชา", "name": "มานี มีนา", "phone": "0899999999"}


def test_form_is_thai_labelled_and_has_privacy_notice(client):
    r = client.get("/complaints/new")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and '<html lang="th">' in html
    for field_id in ("f-description", "f-name", "f-phone", "f-province", "f-attachments"):
        assert f'for="{field_id}"' in html and f'id="{field_id}"' in html
    assert "พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล" in html and "มาตรา 24" in html
    assert 'name="viewport"' in html
    en = client.get("/complaints/new?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in en and "File a complaint" in en


def test_post_without_csrf_token_is_refused(client, ctx):
    r = client.post("/complaints/new", data=FORM)
    assert r.status_code == 400
    assert db.session.scalar(select(Case)) is None


def test_valid_form_shows_the_tracking_code(client, ctx):
    jpeg = io.BytesIO()
    Image.new("RGB", (10, 10)).save(jpeg, "JPEG")
    jpeg.seek(0)
    data = {**FORM, "csrf_token": csrf(client), "attachments": (jpeg, "photo.jpg")}
    r = client.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    case = db.session.scalar(select(Case))
    assert case.tracking_code in page and case.province_code == "20"
    assert len(case.complainant.phone) == 12


def test_invalid_form_shows_thai_errors_next_to_fields(client, ctx):
    data = {**FORM, "phone": "12", "description": "สั้น", "csrf_token": csrf(client)}
    r = client.post("/complaints/new", data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="e-phone"' in html and 'aria-invalid="true"' in html and 'role="alert"' in html
    assert "หมายเลขโทรศัพท์ไม่ถูกต้อง" in html
    assert "มานี มีนา" in html  # what the person typed is kept
    assert db.session.scalar(select(Case)) is None


def test_track_page_shows_buddhist_era_dates(client):
    code = client.post("/api/v1/complaints", json={
        "description": "ฝุ่นจากโรงงานปูนลอยเข้าบ้านทุกวัน", "complainant": {"name": "ทด สอบ", "phone": "0811111111"}
    }).get_json()["tracking_code"]
    html = client.get(f"/track/{code}").get_data(as_text=True)
    assert code in html and "รับเรื่องร้องเรียน" in html
    assert re.search(r"25[6-9]\d", html)  # พ.ศ. year
    assert client.get(f"/track?code={code.lower()}").status_code == 302
    missing = client.get("/track/ID-0000-0000-0000")
    assert missing.status_code == 404 and "ไม่พบเรื่องร้องเรียน" in missing.get_data(as_text=True)


def test_landing_page(client):
    html = client.get("/").get_data(as_text=True)
    assert "แจ้งเรื่องร้องเรียน" in html and "/complaints/new" in html


def test_pages_are_thai_even_for_an_english_browser(client):
    html = client.get("/complaints/new", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="th">' in html
    chosen = client.get("/complaints/new?lang=en")
    assert '<html lang="en">' in chosen.get_data(as_text=True)
    assert "lang=en" in chosen.headers.get("Set-Cookie", "")
