"""The published manual: index with search, the printable page with every field, the PDF's Thai text layer."""

import io
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.manual.seed import seed_manual
from tests.manual.conftest import real, write

TITLES = {
    "complaint-handling": "การรับเรื่องร้องเรียนของกระทรวงอุตสาหกรรม",
    "factory-licence": "การขออนุญาตประกอบกิจการโรงงาน (ร.ง.4)",
    "tis-licence": "การขอรับใบอนุญาตทำผลิตภัณฑ์อุตสาหกรรม",
    "contact-centre-inquiry": "การให้ข้อมูลและตอบข้อซักถาม",
    "factory-class2-notification": "การแจ้งประกอบกิจการโรงงานจำพวกที่ 2",
}


def text(resp) -> str:
    return resp.get_data(as_text=True)


def test_index_lists_every_service(client):
    r = client.get("/manual/")
    assert r.status_code == 200
    body = text(r)
    for slug, title in TITLES.items():
        assert f'href="/manual/{slug}"' in body and title in body
    assert "1 มกราคม 2569" in body  # effective dates in the Buddhist era
    assert r.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("query, found, absent", [
    ("โรงงาน", {"factory-licence", "factory-class2-notification"}, {"contact-centre-inquiry", "tis-licence"}),
    ("มอก.", {"tis-licence"}, {"factory-licence"}),
    ("TISI", {"tis-licence"}, {"complaint-handling"}),  # a keyword, not in the title; case does not matter
    ("ใบอนุญาต  โรงงาน", {"factory-licence"}, {"tis-licence", "complaint-handling"}),  # every word must match
    ("%", set(), set(TITLES)),  # LIKE wildcards are literal
])
def test_search_matches_title_and_keywords(client, query, found, absent):
    body = text(client.get("/manual/", query_string={"q": query}))
    for slug in found:
        assert f'href="/manual/{slug}"' in body
    for slug in absent:
        assert f'href="/manual/{slug}"' not in body
    if not found:
        assert "ไม่พบงานบริการที่ตรงกับคำค้น" in body


def test_page_shows_every_template_field(client):
    r = client.get("/manual/factory-licence")
    assert r.status_code == 200
    body = text(r)
    doc = real("factory-licence")
    assert "ฉบับที่ 1" in body and "มีผลตั้งแต่ 1 มกราคม 2569" in body
    for value in (doc["owner_agency"], doc["responsible_unit"], doc["laws"][0], doc["reference_name"],
                  doc["impact_level"], doc["channels"][2]["name"], doc["channels"][0]["hours"],
                  doc["criteria"][3], doc["steps"][1]["description"], doc["steps"][4]["remark"],
                  doc["documents"]["identity"][1]["name"], doc["documents"]["other"][7]["issuer"],
                  doc["fees"][0]["description"], doc["complaint_channels"][1]["contact"], doc["forms"][1]["name"],
                  doc["remarks"][0]):
        assert str(value).replace('"', "&#34;") in body, value
    assert "10 วันทำการ" in body and "30 วันทำการ" in body and "500.00" in body  # step, total, fee
    assert "การลงนาม/คณะกรรมการมีมติ" in body  # the step type
    assert "แจ้งความคืบหน้าทุก" in body and "7 วัน" in body  # the sla block
    # unconfirmed values are marked for every reader; the staff-only list is not shown to the public
    assert '<span class="to-confirm">ต้องยืนยัน</span>' in body
    assert "แสดงเฉพาะเจ้าหน้าที่" not in body
    assert "manual.css" in body and 'href="/manual/factory-licence.pdf"' in body


def test_print_css_hides_the_site_chrome(app):
    css = Path(app.static_folder, "manual.css").read_text(encoding="utf-8")
    block = css[css.index("@media print"):]
    assert ".top" in block and ".no-print" in block and "display: none" in block


def test_english_chrome_keeps_thai_content(client):
    body = text(client.get("/manual/complaint-handling?lang=en"))
    assert "Version 1" in body and "In force from 1 January 2026" in body and "Steps, times" in body
    assert TITLES["complaint-handling"] in body and "วันทำการ" in body


@pytest.mark.parametrize("url", ["/manual/no-such-service", "/manual/Bad_Slug", "/manual/factory-licence?version=9",
                                 "/manual/no-such-service.pdf"])
def test_unknown_pages_are_404(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "Traceback" not in text(r)


def test_earlier_versions_are_listed_and_viewable(client, app, tmp_path, test_versions):
    doc = real("tis-licence")
    doc["slug"] = "test-history"
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    write(tmp_path / "v1", doc)
    doc.update(version=2, effective_date=date(2026, 2, 1))
    doc["remarks"].append("ปรับปรุงช่องทางการติดต่อ")
    write(tmp_path / "v2", doc)
    with app.app_context():
        seed_manual(tmp_path / "v1")
        seed_manual(tmp_path / "v2")
        db.session.commit()
    body = text(client.get("/manual/test-history"))
    assert "ฉบับที่ 2" in body and "1 กุมภาพันธ์ 2569" in body and "ปรับปรุงช่องทางการติดต่อ" in body
    assert 'href="/manual/test-history?version=1"' in body and "ฉบับก่อนหน้า" in body
    old = text(client.get("/manual/test-history?version=1"))
    assert "ซึ่งไม่ใช่ฉบับที่ใช้อยู่ในปัจจุบัน" in old and "ปรับปรุงช่องทางการติดต่อ" not in old


def test_staff_see_the_list_of_values_to_confirm(app, client):
    from app.accounts.seed import seed_demo_users

    with app.app_context():
        seed_demo_users()
        db.session.commit()
    login = text(client.get("/staff/login"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    r = client.post("/staff/login", data={"username": "supervisor", "password": app.config["DEMO_PASSWORD"],
                                    "csrf_token": token})
    assert r.status_code == 303
    r = client.get("/manual/factory-licence")
    body = text(r)
    assert "ข้อมูลที่ต้องยืนยันกับคู่มือที่เผยแพร่ (6 รายการ" in body and "<code>fees.0.remark</code>" in body
    assert r.headers["Cache-Control"] == "private, no-store"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages), reader


def nfkc(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def test_pdf_has_a_real_thai_text_layer(client):
    r = client.get("/manual/factory-licence.pdf")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf" and r.data.startswith(b"%PDF")
    assert 'filename="factory-licence-v1.pdf"' in r.headers["Content-Disposition"]
    content, reader = pdf_text(r.data)
    flat = nfkc(content)
    doc = real("factory-licence")
    # the title, a whole criterion and a step, as a reader would copy them out (NFKC: ำ is written ํ + า)
    for phrase in (doc["title"], doc["steps"][1]["description"], "ระยะเวลาดำเนินการรวม", "30 วันทำการ",
                   "มีผลตั้งแต่ 1 มกราคม 2569", doc["complaint_channels"][1]["name"]):
        assert nfkc(phrase) in flat, phrase
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].get_object().values()}
    assert any(re.search(r"Garuda|Loma|Norasi|Waree", f) for f in fonts), fonts
