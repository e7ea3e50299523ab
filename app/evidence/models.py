"""The export log (who took which evidence, sealed to which point of the audit chain) and open-data snapshots."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import UTCDateTime, utcnow
from app.extensions import db


class ExportLog(db.Model):
    """One export of evidence or of personal data. Written when the export starts, completed when it ends."""

    __tablename__ = "export_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``gecc`` (evidence), ``pdpa_access`` (a data subject's copy), ``pdpa_erase``, ``pdpa_retention``
    kind: Mapped[str] = mapped_column(String(20), index=True)
    format: Mapped[str] = mapped_column(String(8))  #: ``csv``, ``xlsx``, ``pdf``, ``json``, ``zip``
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: ``cli``, ``api``, ``page``, ``job``
    via: Mapped[str] = mapped_column(String(8), default="api")
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    #: the audit chain's head when the export was built: the export proves the record up to here
    chain_seq: Mapped[int] = mapped_column(Integer, default=0)
    chain_hash: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int | None] = mapped_column(Integer)
    #: sha256 over the case rows in their canonical form (the same for CSV and XLSX)
    rows_sha256: Mapped[str | None] = mapped_column(String(64))
    #: sha256 of the file as delivered: an untouched copy is found by this alone
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: where a job left the file (under ``EXPORT_DIR``), for the download link
    path: Mapped[str | None] = mapped_column(String(300))
    #: ``started`` → ``done`` | ``failed``; a started row that never finished is itself evidence
    status: Mapped[str] = mapped_column(String(10), default="started")
    job_run_id: Mapped[int | None] = mapped_column(Integer)
    #: what the export was about, never personal data itself (a PDPA request stores a hash of the identifier)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OpenDataSnapshot(db.Model):
    """The published open dataset, rebuilt by a job; kept in the database so every web process serves it."""

    __tablename__ = "open_data_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)  #: ``complaints-monthly``
    rows: Mapped[int] = mapped_column(Integer)
    content_csv: Mapped[str] = mapped_column(Text)
    content_json: Mapped[str] = mapped_column(Text)
    #: CKAN-style metadata for the Government Data Catalog
    catalog_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
