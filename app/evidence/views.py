"""Evidence API: ``GET /api/v1/exports/gecc`` (CONTRACT.md), export jobs and their downloads."""

import io
import os
import tempfile

from flask import Blueprint, Response, current_app, request, send_file, stream_with_context
from sqlalchemy import select

from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.errors import AppError, NotFound
from app.evidence import exports, jobs
from app.evidence.models import ExportLog
from app.evidence.period import parse_period
from app.evidence.rows import count_cases
from app.evidence.seal import start_log
from app.extensions import db
from app.outbox.models import JobRun

bp = Blueprint("evidence_api", __name__)
#: who may take evidence out of the service (personal data is masked for all of them)
EVIDENCE_ROLES = ("auditor", "supervisor", "admin")


def parse_export_args(args) -> tuple:
    """``from``, ``to`` (exclusive) and ``format`` from a query string. :raises AppError: 422 on bad input."""
    period = parse_period(args.get("from"), args.get("to"), current_app.config["EXPORT_MAX_DAYS"])
    fmt = (args.get("format") or "csv").lower()
    if fmt not in exports.FORMATS:
        raise AppError("evidence_format", 422, formats=", ".join(exports.FORMATS))
    return period, fmt


def deliver(period, fmt: str, actor, via: str, force_job: bool = False):
    """Answer an export request: the file itself, or (a large period) ``202`` with the job to watch."""
    if force_job or count_cases(period) > current_app.config["EXPORT_ASYNC_ROWS"]:
        run = jobs.request_export(period, fmt, actor)
        body = job_json(run)
        commit()
        return body, 202, {"Location": body["url"]}
    log = start_log("gecc", fmt, actor=actor, via=via, period=period)
    db.session.commit()  # logged before a byte leaves, so an interrupted download is on record too
    name = f"gecc-{period.start}-{period.end}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Export-Id": str(log.id)}
    if fmt == "csv":
        log_id = log.id

        def generate():
            # the response streams after the view returned: load the log in the session the stream runs in
            yield from exports.csv_chunks(period, db.session.get(ExportLog, log_id))
            db.session.commit()  # the log row completed by the last chunk

        return Response(stream_with_context(generate()), mimetype=exports.MIMETYPES["csv"], headers=headers)
    fd, tmp = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(fd)
    try:
        exports.export_to(period, fmt, tmp, log)
        with open(tmp, "rb") as fh:
            data = io.BytesIO(fh.read())
    finally:
        os.unlink(tmp)
    db.session.commit()
    return send_file(data, mimetype=exports.MIMETYPES[fmt], as_attachment=True, download_name=name), 200, \
        {"X-Export-Id": str(log.id)}


def job_json(run: JobRun) -> dict:
    out = {"id": run.id, "status": run.status, "progress": run.progress, "message": run.message,
           "period": run.result.get("period"), "format": run.result.get("format"), "rows": run.result.get("rows"),
           "url": f"/api/v1/exports/jobs/{run.id}"}
    if run.status == "done":
        out["download_url"] = f"/api/v1/exports/jobs/{run.id}/download"
    return out


def find_job(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if run is None or run.kind != "export":
        raise NotFound("evidence_job_not_found")
    return run


def download(run: JobRun):
    """The finished file. :raises NotFound: not finished, or the file is gone (404, not a path)."""
    name = run.result.get("filename") if run.status == "done" else None
    path = jobs.export_dir() / name if name else None
    if path is None or not path.is_file():
        raise NotFound("evidence_job_not_found")
    fmt = path.suffix.lstrip(".")
    return send_file(path, mimetype=exports.MIMETYPES.get(fmt), as_attachment=True, download_name=name)


@bp.get("/api/v1/exports/gecc")
@require_roles(*EVIDENCE_ROLES)
def export_gecc():
    period, fmt = parse_export_args(request.args)
    return deliver(period, fmt, current_staff(), "api", force_job=request.args.get("async") in ("1", "true"))


@bp.get("/api/v1/exports/jobs/<int:run_id>")
@require_roles(*EVIDENCE_ROLES)
def export_job(run_id):
    return job_json(find_job(run_id))


@bp.get("/api/v1/exports/jobs/<int:run_id>/download")
@require_roles(*EVIDENCE_ROLES)
def export_download(run_id):
    return download(find_job(run_id))


@bp.get("/api/v1/exports/log")
@require_roles(*EVIDENCE_ROLES)
def export_log():
    rows = db.session.scalars(select(ExportLog).order_by(ExportLog.id.desc()).limit(100)).all()
    return {"items": [{"id": r.id, "kind": r.kind, "format": r.format, "actor_id": r.actor_id, "via": r.via,
                       "period": {"from": str(r.period_from) if r.period_from else None,
                                  "to": str(r.period_to) if r.period_to else None},
                       "rows": r.rows, "chain_seq": r.chain_seq, "chain_hash": r.chain_hash,
                       "rows_sha256": r.rows_sha256, "file_sha256": r.file_sha256, "status": r.status,
                       "created_at": r.created_at.isoformat()} for r in rows]}
