"""``flask audit check-export PATH``: prove an evidence file matches the record (see :mod:`app.evidence.seal`)."""

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from app.cases.models import Case, CaseEvent
from app.evidence.models import ExportLog
from app.evidence.period import Period
from app.evidence.rows import formatted, staff_names
from app.evidence.seal import SEP, CheckReport, RowDigest, changed_after, check_chain, file_sha256, parse_seal
from app.extensions import db

MAX_LISTED = 50  #: codes named in the report; the counts cover the rest


def read_csv(path) -> tuple[dict, Iterator[list[str]]]:
    fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by the generator)
    reader = csv.reader(fh)
    first = next(reader, [""])
    seal = parse_seal(first[0]) if first and first[0].startswith("#") else {}
    next(reader, None)  # headings

    def rows():
        with fh:
            for row in reader:
                if row and row[0].startswith("#"):
                    continue  # the footer
                yield row

    return seal, rows()


def read_xlsx(path) -> tuple[dict, Iterator[list[str]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    seal = {str(k): str(v) for k, v in wb["metadata"].iter_rows(values_only=True)} if "metadata" in wb else {}

    def rows():
        for ws in wb.worksheets:
            if ws.title.startswith("รายเรื่อง"):
                for i, row in enumerate(ws.iter_rows(values_only=True)):
                    if i:
                        yield ["" if v is None else str(v) for v in row]
        wb.close()

    return seal, rows()


def check_export(path) -> CheckReport:
    """Check the file at ``path`` against the export log, the audit chain and the cases as recorded now."""
    report = CheckReport()
    whole = file_sha256(path)
    log = db.session.scalar(select(ExportLog).where(ExportLog.file_sha256 == whole))
    report.file_logged = log is not None
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        if log is None:
            report.problems.append("this PDF is not one the service delivered (altered, or unknown)")
            return report
        return _finish(report, log)
    reader = {".csv": read_csv, ".xlsx": read_xlsx}.get(suffix)
    if reader is None:
        report.problems.append(f"unsupported file type {suffix!r}")
        return report
    seal, rows = reader(path)
    if log is None and str(seal.get("export", "")).isdigit():
        log = db.session.get(ExportLog, int(seal["export"]))
    if log is None or log.kind != "gecc":
        report.problems.append("no export-log entry for this file (no seal, or the seal was altered)")
        return report
    if str(seal.get("chain_seq")) != str(log.chain_seq) or seal.get("chain_hash") != log.chain_hash:
        report.problems.append("the file's seal differs from the export log")
    _compare_rows(report, log, rows)
    return _finish(report, log)


def _finish(report: CheckReport, log: ExportLog) -> CheckReport:
    report.export_id = log.id
    check_chain(report, log.chain_seq, log.chain_hash)
    content_ok = report.file_logged or bool(report.rows_match_log)
    report.ok = content_ok and report.chain_ok and report.head_in_chain and not report.unexplained \
        and not report.problems
    return report


def _row_key(row: list[str]) -> bytes:
    return hashlib.sha256(SEP.join(row).encode()).digest()


def _compare_rows(report: CheckReport, log: ExportLog, rows: Iterator[list[str]]) -> None:
    """Digest the file's rows, and compare each with the row the record gives now (as of the export's time)."""
    period = Period(log.period_from, log.period_to)
    users, built_at = staff_names(), log.created_at
    current = {row[0]: _row_key(row) for rows in formatted(period, users, built_at) for row in rows}
    digest, differing = RowDigest(), []
    for row in rows:
        digest.update(row)
        code = row[0] if row else ""
        now_key = current.pop(code, None)
        if now_key == _row_key(row):
            report.unchanged += 1
        else:
            differing.append(code)
    report.rows = digest.rows
    report.rows_match_log = digest.hexdigest() == log.rows_sha256 and digest.rows == log.rows
    if not report.rows_match_log:
        report.problems.append("the rows differ from those delivered (the file was edited)")
    later = changed_after(differing, log.chain_seq) if differing else set()
    report.changed_since = [c for c in differing if c in later][:MAX_LISTED]
    report.unexplained = [c for c in differing if c not in later][:MAX_LISTED]
    # cases now in the period but not in the file: fine if they were filed (first event) after the seal
    if current:
        first_seq = dict(db.session.execute(
            select(Case.tracking_code, CaseEvent.seq).join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(Case.tracking_code.in_(list(current)[:1000]), CaseEvent.kind == "received")).all())
        missing = [c for c in current if first_seq.get(c, 0) <= log.chain_seq]
        report.unexplained += [f"missing:{c}" for c in missing[:MAX_LISTED]]
