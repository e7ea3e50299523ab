"""Liveness and readiness for load balancers and orchestrators."""

from flask import Blueprint, current_app
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    checks, ok = {}, True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any driver error means "not ready"; details stay in the log
        current_app.logger.exception("readyz: database")
        checks["database"], ok = "unavailable", False
    if current_app.config.get("REDIS_URL"):
        from app.outbox.services import redis_connection

        try:
            redis_connection().ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"], ok = "unavailable", False
    return {"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503
