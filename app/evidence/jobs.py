"""Large exports as jobs: a JobRun row people watch (progress %), the file under ``EXPORT_DIR``, a download link.

The job goes through the outbox like every other job, so a request that asks for one commits the JobRun and its
outbox row together, and the export runs after commit (inline without Redis, on an RQ worker with it).
"""

from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import update

from app.common.models import utcnow
from app.evidence import exports
from app.evidence.period import Period
from app.evidence.rows import count_cases
from app.evidence.seal import start_log
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import JobRun, OutboxMessage


def export_dir() -> Path:
    path = Path(current_app.config.get("EXPORT_DIR") or Path(current_app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def request_export(period: Period, fmt: str, actor) -> JobRun:
    """Queue an export job (flushed; runs after the caller commits)."""
    run = JobRun(kind="export", status="queued", progress=0, requested_by=getattr(actor, "id", actor),
                 result={"period": period.as_dict(), "format": fmt})
    db.session.add(run)
    db.session.flush()
    outbox.add("export_gecc", {"job_run_id": run.id}, dedupe_key=f"export:{run.id}")
    return run


def _progress(run_id: int, pct: int) -> None:
    """Publish progress on a connection of its own: the export's transaction holds a server-side cursor open.

    SQLite allows one writer and the reading transaction blocks it, so there the figure appears at the end only.
    """
    if db.engine.dialect.name == "sqlite":
        return
    with db.engine.begin() as conn:
        conn.execute(update(JobRun).where(JobRun.id == run_id).values(progress=pct))


@outbox.handler("export_gecc")
def run_export(msg: OutboxMessage) -> None:
    """Build the file; a re-run of a finished (or running) export does nothing."""
    run = db.session.get(JobRun, msg.payload["job_run_id"])
    if run is None or run.status in ("done", "running"):
        return
    spec = run.result
    period = Period(date.fromisoformat(spec["period"]["from"]), date.fromisoformat(spec["period"]["to"]))
    fmt = spec["format"]
    total = max(count_cases(period), 1)
    run.status, run.started_at, run.progress = "running", utcnow(), 0
    log = start_log("gecc", fmt, actor=run.requested_by, via="job", period=period, job_run_id=run.id)
    db.session.commit()  # the status and the log are visible while the file is built
    run_id, log_id = run.id, log.id
    path = export_dir() / f"gecc-{log_id}-{period.start}-{period.end}.{fmt}"
    seen = {"rows": 0, "pct": 0}

    def progress(n: int) -> None:
        seen["rows"] += n
        pct = min(99, seen["rows"] * 100 // total)
        if pct >= seen["pct"] + 5:  # every 5 %: enough to watch, few writes
            seen["pct"] = pct
            _progress(run_id, pct)

    try:
        exports.export_to(period, fmt, path, log, progress)
    except Exception as exc:
        db.session.rollback()
        run, log = db.session.get(JobRun, run_id), db.session.get(type(log), log_id)
        run.status, run.message, run.finished_at = "failed", f"{type(exc).__name__}: {exc}"[:500], utcnow()
        log.status, log.finished_at = "failed", utcnow()
        db.session.commit()
        path.unlink(missing_ok=True)
        raise
    log.path = path.name
    run = db.session.get(JobRun, run_id)
    run.status, run.progress, run.finished_at = "done", 100, utcnow()
    run.result = {**spec, "export_log_id": log_id, "rows": log.rows, "filename": path.name}
