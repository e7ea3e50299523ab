"""GECC / ITA evidence files: CSV (streamed), XLSX (openpyxl write-only), PDF (WeasyPrint). All three are sealed
to the audit chain and logged (:mod:`app.evidence.seal`); personal data is masked in every one."""

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from datetime import datetime

from flask import render_template
from openpyxl import Workbook
from sqlalchemy import select

from app.cases.models import CHANNELS
from app.common.geo import province_name
from app.common.i18n import t
from app.evidence import charts
from app.evidence.metrics import summarise
from app.evidence.models import ExportLog
from app.evidence.period import Period
from app.evidence.rows import HEADINGS, formatted, staff_names
from app.evidence.seal import RowDigest, file_sha256, finish_log, seal_fields
from app.extensions import db
from app.routing.models import Category, Division

BOM = "\ufeff"  #: Excel opens a UTF-8 CSV as Thai only when it starts with a byte-order mark
SHEET_ROWS = 1_000_000  #: under Excel's 1,048,576-row limit; more rows continue on the next sheet
FORMATS = ("csv", "xlsx", "pdf")
MIMETYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

Progress = Callable[[int], None] | None


def seal_line(log: ExportLog) -> str:
    return "# i-Dee GECC/ITA evidence; " + "; ".join(f"{k}={v}" for k, v in seal_fields(log).items())


def csv_chunks(period: Period, log: ExportLog, progress: Progress = None) -> Iterator[bytes]:
    """The CSV file, a chunk per fetched batch of rows; completes ``log`` (rows, digests) after the last chunk."""
    users, digest, file_hash, now = staff_names(), RowDigest(), hashlib.sha256(), log.created_at
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def drain() -> bytes:
        data = buf.getvalue().encode()
        buf.seek(0)
        buf.truncate()
        file_hash.update(data)
        return data

    buf.write(BOM)
    writer.writerow([seal_line(log)])
    writer.writerow(HEADINGS)
    yield drain()
    for rows in formatted(period, users, now):
        digest.update_many(rows)
        writer.writerows(rows)
        yield drain()
        if progress:
            progress(len(rows))
    writer.writerow([f"# rows={digest.rows}; rows_sha256={digest.hexdigest()}"])
    yield drain()
    finish_log(log, digest, file_hash.hexdigest())


def write_csv(period: Period, path, log: ExportLog, progress: Progress = None) -> None:
    with open(path, "wb") as fh:
        for chunk in csv_chunks(period, log, progress):
            fh.write(chunk)


def names() -> dict:
    """Code → Thai name for every dimension the report breaks down by."""
    return {
        "category": dict(db.session.execute(select(Category.code, Category.name_th)).all()),
        "unit": dict(db.session.execute(select(Division.code, Division.name_th)).all()),
        "channel": {c: t(f"evidence.channel.{c}", "th") for c in CHANNELS},
        "province": _ProvinceNames(),
        "outcome": {o: t(f"status.{o}", "th") for o in ("concluded", "not_concluded", "referred_out", "merged")}
        | {"open": t("evidence.open", "th")},
        "status": _StatusNames(),
    }


class _ProvinceNames(dict):
    def get(self, code, default=None):
        return province_name(code) or default


class _StatusNames(dict):
    def get(self, code, default=None):
        return t(f"status.{code}", "th")


def summary_table(summary: dict, labels: dict) -> list[tuple[str, str]]:
    """The headline figures as (label, value) rows, for the XLSX summary sheet and the page."""
    def pct(x):
        return "-" if x is None else f"{x * 100:.1f}%"

    rows = [("ช่วงเวลา", f"{summary['period']['from']} ถึงก่อน {summary['period']['to']}"),
            ("จำนวนเรื่องที่รับ", f"{summary['cases']:,}")]
    for key, label in (("acknowledged_on_time", "รับทราบเรื่องทันเวลา"), ("told_within_15_days",
                       "แจ้งผู้ร้องภายใน 15 วัน (ITA)"), ("resolved_within_manual_time", "แล้วเสร็จภายในเวลาตามคู่มือประชาชน")):
        s = summary[key]
        rows.append((label, f"{pct(s['share'])} (ทัน {s['met']:,} / ไม่ทัน {s['missed']:,} / "
                            f"ยังไม่ถึงกำหนด {s['pending']:,})"))
    for key, label in (("acknowledge", "รับทราบ"), ("first_report", "แจ้งผู้ร้องครั้งแรก"), ("conclude", "ยุติเรื่อง")):
        tm = summary["times"][key]
        rows.append((f"เวลาถึง{label} (วัน) มัธยฐาน / เปอร์เซ็นไทล์ที่ 90",
                     f"{tm['median_days'] if tm['median_days'] is not None else '-'} / "
                     f"{tm['p90_days'] if tm['p90_days'] is not None else '-'} (n={tm['n']:,})"))
    sat = summary["satisfaction"]
    rows += [("ความพึงพอใจเฉลี่ย (1–5)", "-" if sat["average"] is None else f"{sat['average']:.2f}"),
             ("สัดส่วนผู้พึงพอใจ (4–5)", f"{pct(sat['share_satisfied'])} จาก {sat['responses']:,} ราย"),
             ("เรื่องค้างดำเนินการ", f"{summary['backlog']['total']:,}")]
    return rows


def write_xlsx(period: Period, path, log: ExportLog, progress: Progress = None, summary: dict | None = None) -> None:
    """Summary, breakdowns, ITA summaries, case rows (split at ``SHEET_ROWS``) and a metadata sheet with the seal."""
    summary = summary or summarise(period, now=log.created_at)
    labels = names()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("สรุป")
    ws.append(["รายการ", "ค่า"])
    for row in summary_table(summary, labels):
        ws.append(list(row))
    for key, title in (("channel", "ช่องทาง"), ("category", "ประเภทเรื่อง"), ("unit", "หน่วยงาน"),
                       ("outcome", "ผลการพิจารณา")):
        ws = wb.create_sheet(f"ตาม{title}")
        ws.append(["รหัส", title, "จำนวน"])
        for code, n in summary[f"by_{key}"].items():
            ws.append([code, labels[key].get(code, code), n])
    ws = wb.create_sheet("ค้างตามอายุ")
    ws.append(["อายุ (วัน)", "จำนวน"])
    for bucket, n in summary["backlog"]["by_age_days"].items():
        ws.append([bucket, n])
    ws = wb.create_sheet("ITA")
    ws.append(["รอบ", "ช่วงเวลา", "จำนวนเรื่อง", "แจ้งภายใน 15 วัน", "แล้วเสร็จตามคู่มือ", "ความพึงพอใจเฉลี่ย"])
    for months, ita in summary["ita"].items():
        ws.append([f"{months} เดือน", f"{ita['period']['from']}..{ita['period']['to']}", ita["cases"],
                   ita["told_within_15_days"]["share"], ita["resolved_within_manual_time"]["share"],
                   ita["satisfaction"]["average"]])
    users, digest, now, sheet_no, ws = staff_names(), RowDigest(), log.created_at, 0, None
    for rows in formatted(period, users, now):
        for row in rows:
            if digest.rows % SHEET_ROWS == 0:
                sheet_no += 1
                ws = wb.create_sheet("รายเรื่อง" if sheet_no == 1 else f"รายเรื่อง {sheet_no}")
                ws.append(HEADINGS)
            digest.update(row)
            ws.append(row)
        if progress:
            progress(len(rows))
    if ws is None:
        wb.create_sheet("รายเรื่อง").append(HEADINGS)
    meta = wb.create_sheet("metadata")
    for key, value in {**seal_fields(log), "rows": digest.rows, "rows_sha256": digest.hexdigest()}.items():
        meta.append([key, str(value)])
    wb.save(path)
    finish_log(log, digest, _sha256(path))


def render_report_html(summary: dict, log: ExportLog | None) -> str:
    labels = names()
    return render_template("evidence/report.html", summary=summary, labels=labels,
                           table=summary_table(summary, labels), charts=charts.summary_charts(summary, labels),
                           seal=seal_fields(log) if log else None)


def write_pdf(period: Period, path, log: ExportLog, progress: Progress = None, summary: dict | None = None) -> None:
    """The report for people: headline figures, charts, breakdowns and ITA summaries; the seal in every footer."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF path needs

    summary = summary or summarise(period, now=log.created_at)
    HTML(string=render_report_html(summary, log)).write_pdf(path)
    finish_log(log, None, _sha256(path), rows=summary["cases"])


def _sha256(path) -> str:
    return file_sha256(path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}


def export_to(period: Period, fmt: str, path, log: ExportLog, progress: Progress = None) -> ExportLog:
    """Write the ``fmt`` export of ``period`` to ``path`` and complete its log row."""
    WRITERS[fmt](period, path, log, progress)
    return log


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y%m%d-%H%M%S")
