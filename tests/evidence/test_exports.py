"""GECC/ITA exports: CSV streamed with a BOM, XLSX write-only, PDF with Thai fonts; masked, sealed, logged."""

import contextlib
import csv
import io
import re
import zlib
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from app.evidence.models import ExportLog
from app.evidence.rows import HEADINGS
from app.extensions import db
from tests.conftest import valid_complaint
from tests.evidence.helpers import auth, make_case, user

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
QUERY = "/api/v1/exports/gecc?from=2026-11-01&to=2026-12-01"
PII = ("สมหญิง", "ทดสอบ", "081-234-5678", "+66812345678", "0812345678", "somying@example.com", "1101700230708",
       "นายสมชาย", "02-123-4567", "other@mail.com")


def leaky_doc():
    return valid_complaint(description="นายสมชาย ใจดี เพื่อนบ้าน โทร 02-123-4567 อีเมล other@mail.com เห็นควันดำจากโรงงาน"
                                       " ทุกคืน ติดต่อ 0812345678")


def seed(app, tokens):
    with app.app_context():
        officer = user("officer")
        make_case(app, NOV, ack=0.5, told=3, concluded=10, actor=officer, doc=leaky_doc())
        make_case(app, NOV, ack=2, told=20, actor=officer, channel="phone")
        make_case(app, datetime(2026, 10, 20, tzinfo=UTC))  # outside the period


def test_csv_is_masked_sealed_and_logged(app, client, tokens):
    seed(app, tokens)
    r = client.get(QUERY, headers=auth(tokens["auditor"]))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    raw = r.get_data()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    for value in PII:
        assert value not in text, value
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("# i-Dee") and "chain_seq=" in rows[0][0] and "chain_hash=" in rows[0][0]
    assert rows[1] == HEADINGS
    data = rows[2:-1]
    assert len(data) == 2 and rows[-1][0].startswith("# rows=2; rows_sha256=")
    first = dict(zip(HEADINGS, data[0], strict=True))
    assert first["ผู้ร้อง (ปิดบัง)"] == "ส*** ท***"
    assert first["รับทราบทันเวลา"] == "yes" and first["แจ้งภายในกำหนด (ITA 15 วัน)"] == "yes"
    assert first["ผู้รับทราบ"] == "เจ้าหน้าที่ กรอ. สาธิต" and first["ผู้ยุติเรื่อง"] == "เจ้าหน้าที่ กรอ. สาธิต"
    assert first["รับเรื่อง"] == "2026-11-02T10:00:00+07:00"
    assert "นาย*** ***" in first["รายละเอียด (ปิดบังข้อมูลส่วนบุคคล)"]
    second = dict(zip(HEADINGS, data[1], strict=True))
    assert second["รับทราบทันเวลา"] == "no" and second["แจ้งภายในกำหนด (ITA 15 วัน)"] == "no"
    with app.app_context():
        log = db.session.scalar(select(ExportLog))
        assert log.kind == "gecc" and log.format == "csv" and log.status == "done" and log.rows == 2
        assert log.actor_id == user("auditor").id and log.chain_seq > 0 and len(log.rows_sha256) == 64
        assert f"export={log.id}" in rows[0][0] and r.headers["X-Export-Id"] == str(log.id)


def test_xlsx_has_sheets_rows_and_seal(app, client, tokens):
    seed(app, tokens)
    r = client.get(QUERY + "&format=xlsx", headers=auth(tokens["supervisor"]))
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(r.get_data()), read_only=True)
    assert {"สรุป", "ตามช่องทาง", "ITA", "รายเรื่อง", "metadata"} <= set(wb.sheetnames)
    rows = list(wb["รายเรื่อง"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS and len(rows) == 3
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    for value in PII:
        assert value not in flat
    meta = dict(wb["metadata"].iter_rows(values_only=True))
    with app.app_context():
        log = db.session.scalar(select(ExportLog))
        assert meta["rows_sha256"] == log.rows_sha256 and meta["chain_hash"] == log.chain_hash
        assert log.file_sha256 and log.format == "xlsx"


def test_pdf_has_thai_fonts_and_the_seal(app, client, tokens):
    seed(app, tokens)
    r = client.get(QUERY + "&format=pdf", headers=auth(tokens["admin"]))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = r.get_data()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    fonts = pdf_text(pdf)
    assert b"Garuda" in fonts or b"Loma" in fonts or b"Waree" in fonts  # a font from fonts-thai-tlwg is embedded
    with app.app_context():
        log = db.session.scalar(select(ExportLog))
        assert log.format == "pdf" and log.rows == 2 and log.status == "done"


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with its compressed streams inflated (font names live in object streams)."""
    out = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):  # not every stream is deflated
            out.append(zlib.decompress(m.group(1)))
    return b"".join(out)


def test_who_may_export_and_bad_input(app, client, tokens):
    assert client.get(QUERY).status_code == 401
    for role in ("agent", "officer"):
        assert client.get(QUERY, headers=auth(tokens[role])).status_code == 403
    h = auth(tokens["auditor"])
    for bad in ("?from=2026-11-01", "?from=x&to=2026-12-01", "?from=2026-12-01&to=2026-11-01",
                "?from=2000-01-01&to=2026-12-01"):
        r = client.get("/api/v1/exports/gecc" + bad, headers=h)
        assert r.status_code == 422 and r.get_json()["error"]["code"] == "evidence_period", bad
    r = client.get(QUERY + "&format=docx", headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "evidence_format"
    assert client.get("/api/v1/exports/gecc?from=2026-11-01&to=2026-12-01", headers={"Accept-Language": "en",
                      **h}).status_code == 200
