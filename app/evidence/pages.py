"""The auditors' page (``/staff/evidence``): the period's figures with charts, exports, jobs, the chain check."""

from datetime import date, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select

from app.audit.services import verify_chain
from app.common.auth import current_staff, require_roles
from app.errors import AppError
from app.evidence import charts, exports
from app.evidence.metrics import summarise
from app.evidence.models import ExportLog
from app.evidence.period import BANGKOK, fiscal_year_start, parse_period
from app.evidence.views import EVIDENCE_ROLES, deliver, download, find_job, job_json, parse_export_args
from app.extensions import db
from app.outbox.models import JobRun

bp = Blueprint("evidence", __name__)


def _default_period() -> tuple[date, date]:
    """The fiscal year to date: what an ITA assessor asks for first."""
    from app.common.models import utcnow

    today = utcnow().astimezone(BANGKOK).date()
    return fiscal_year_start(today), today + timedelta(days=1)


@bp.get("/staff/evidence")
@require_roles(*EVIDENCE_ROLES)
def index():
    start, end = _default_period()
    args = {"from": request.args.get("from") or start.isoformat(), "to": request.args.get("to") or end.isoformat()}
    summary, table, pictures, error = None, [], [], None
    try:
        period = parse_period(args["from"], args["to"])
        summary = summarise(period)
        labels = exports.names()
        table, pictures = exports.summary_table(summary, labels), charts.summary_charts(summary, labels)
    except AppError as exc:
        error = exc.code
    runs = db.session.scalars(select(JobRun).where(JobRun.kind == "export").order_by(JobRun.id.desc())
                              .limit(10)).all()
    logs = db.session.scalars(select(ExportLog).order_by(ExportLog.id.desc()).limit(15)).all()
    return render_template("evidence/index.html", args=args, summary=summary, table=table, charts=pictures,
                           error=error, jobs=[job_json(r) for r in runs], logs=logs), 422 if error else 200


@bp.get("/staff/evidence/export")
@require_roles(*EVIDENCE_ROLES)
def export():
    period, fmt = parse_export_args(request.args)
    answer = deliver(period, fmt, current_staff(), "page", force_job=request.args.get("async") == "1")
    if isinstance(answer, tuple) and answer[1] == 202:
        return render_template("evidence/job.html", job=answer[0]), 202
    return answer


@bp.get("/staff/evidence/jobs/<int:run_id>")
@require_roles(*EVIDENCE_ROLES)
def job(run_id):
    return render_template("evidence/job.html", job=job_json(find_job(run_id)))


@bp.get("/staff/evidence/jobs/<int:run_id>/download")
@require_roles(*EVIDENCE_ROLES)
def job_download(run_id):
    return download(find_job(run_id))


@bp.get("/staff/evidence/chain")
@require_roles(*EVIDENCE_ROLES)
def chain():
    """Walk the whole hash chain now and show the result (the first changed, inserted or deleted event)."""
    report = verify_chain()
    return render_template("evidence/chain.html", report=report), 200 if report.ok else 409
