"""The retention job: ``flask pdpa retention`` and the daily outbox row (scheduled from ``workers/cron.py``)."""

from datetime import date

from app.common.models import utcnow
from app.evidence.period import BANGKOK
from app.outbox import services as outbox
from app.outbox.models import OutboxMessage
from app.pdpa.services import run_retention


@outbox.handler("pdpa_retention")
def retention_job(msg: OutboxMessage) -> None:
    run_retention()


def schedule_daily(day: date | None = None) -> list[OutboxMessage]:
    """Add today's retention and open-data rows (one each per day: a second call the same day adds nothing)."""
    from sqlalchemy import select

    from app.extensions import db

    day = day or utcnow().astimezone(BANGKOK).date()
    rows = []
    for job in ("pdpa_retention", "opendata_refresh"):
        key = f"{job}:{day.isoformat()}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is None:
            rows.append(outbox.add(job, {"day": day.isoformat()}, dedupe_key=key))
    return rows
