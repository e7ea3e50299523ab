"""Seal every export to the audit chain and log it; prove later that an export matches the record.

An export carries the chain head (seq + hash) it was built from, the time it was built and the sha256 of its rows;
the export log keeps the same, plus the file's own sha256. :func:`check_export` then shows (1) the file is the one
that was delivered (or its rows are), (2) the chain is intact and really passed through that head, and (3) each row
still matches the record, or differs only for cases that have events after the seal (later work, not tampering).
"""

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.audit.services import GENESIS, current_head, verify_chain
from app.cases.models import Case, CaseEvent
from app.common.models import utcnow
from app.evidence.models import ExportLog
from app.extensions import db

SEP = "\x1f"  #: unit separator: cannot occur in a cell, so two different rows never hash alike


class RowDigest:
    """sha256 over rows in canonical form (cells joined by ``SEP``, one row per line)."""

    def __init__(self):
        self._h, self.rows = hashlib.sha256(), 0

    def update(self, row: list[str]) -> None:
        self._h.update((SEP.join(row) + "\n").encode())
        self.rows += 1

    def update_many(self, rows: list[list[str]]) -> None:
        """The same digest as :meth:`update` row by row, with one encode and hash call per batch."""
        if rows:
            self._h.update(("\n".join([SEP.join(row) for row in rows]) + "\n").encode())
            self.rows += len(rows)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def chain_head() -> tuple[int, str]:
    return current_head()


def start_log(kind: str, fmt: str, *, actor=None, via: str = "api", period=None, note: str | None = None,
              job_run_id: int | None = None) -> ExportLog:
    """Log an export as it starts, sealed to the current chain head (flushed, not committed)."""
    seq, head_hash = chain_head()
    log = ExportLog(kind=kind, format=fmt, actor_id=getattr(actor, "id", actor), via=via,
                    period_from=period.start if period else None, period_to=period.end if period else None,
                    chain_seq=seq, chain_hash=head_hash, note=note, job_run_id=job_run_id, created_at=utcnow())
    db.session.add(log)
    db.session.flush()
    return log


def finish_log(log: ExportLog, digest: RowDigest | None = None, file_sha256: str | None = None,
               rows: int | None = None, path: str | None = None) -> None:
    log.rows = digest.rows if digest else rows
    log.rows_sha256 = digest.hexdigest() if digest else None
    log.file_sha256, log.path = file_sha256, path
    log.status, log.finished_at = "done", utcnow()


def seal_fields(log: ExportLog) -> dict:
    """What the file itself carries (a CSV comment row, the XLSX metadata sheet, the PDF footer)."""
    return {"export": log.id, "period": f"{log.period_from}..{log.period_to}", "chain_seq": log.chain_seq,
            "chain_hash": log.chain_hash, "built_at": log.created_at.isoformat(timespec="microseconds")}


def parse_seal(text: str) -> dict:
    """``# i-Dee …; export=3; chain_seq=10; …`` → ``{"export": "3", "chain_seq": "10", …}``."""
    out = {}
    for part in text.lstrip("#").split(";"):
        key, eq, value = part.strip().partition("=")
        if eq:
            out[key.strip()] = value.strip()
    return out


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class CheckReport:
    ok: bool = False
    export_id: int | None = None
    file_logged: bool = False  #: byte-identical to the delivered file
    rows_match_log: bool | None = None  #: the rows hash to what the log recorded
    chain_ok: bool = False
    head_in_chain: bool = False  #: the event at the sealed seq carries the sealed hash
    rows: int = 0
    unchanged: int = 0
    changed_since: list = field(default_factory=list)  #: differ, and the case has events after the seal
    unexplained: list = field(default_factory=list)  #: differ with no later event: the file or the data was altered
    problems: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def check_chain(report: CheckReport, seq: int, head_hash: str) -> None:
    chain = verify_chain()
    report.chain_ok = chain.ok
    if not chain.ok:
        report.problems.append(f"audit chain broken: {chain.problem} at seq {chain.seq}")
    at = db.session.scalar(select(CaseEvent.hash).where(CaseEvent.seq == seq)) if seq else GENESIS
    report.head_in_chain = at == head_hash
    if not report.head_in_chain:
        report.problems.append(f"the sealed head (seq {seq}) is not in the chain")


def changed_after(codes: list[str], seq: int) -> set[str]:
    """Those of ``codes`` whose case has an event after ``seq`` (their rows may rightly differ)."""
    out: set[str] = set()
    for i in range(0, len(codes), 500):
        chunk = codes[i:i + 500]
        out |= set(db.session.scalars(
            select(Case.tracking_code).join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(Case.tracking_code.in_(chunk), CaseEvent.seq > seq).group_by(Case.tracking_code)
            .having(func.count(CaseEvent.id) > 0)))
    return out

