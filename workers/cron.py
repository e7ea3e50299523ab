"""Periodic jobs for ``rq cron workers/cron.py`` (or ``flask cron``)."""

from rq import cron

from workers.jobs import relay_outbox

cron.register(relay_outbox, "default", interval=30, name="relay-outbox")


def sla_sweep() -> dict:
    """Periodic: the SLA sweep (at risk, overdue, escalations, citizens' notices); idempotent."""
    from workers.context import app_context

    with app_context():
        from app.sla.sweep import run_sweep

        return run_sweep()


cron.register(sla_sweep, "default", interval=300, name="sla-sweep")  # every 5 minutes


def evidence_daily() -> int:
    """Daily: PDPA retention and the open-data refresh, as outbox rows (one each per day, so re-runs are harmless)."""
    from workers.context import app_context

    with app_context():
        from app.common.db import commit
        from app.pdpa.jobs import schedule_daily

        rows = schedule_daily()
        commit()
        return len(rows)


cron.register(evidence_daily, "default", interval=3600, name="evidence-daily")  # hourly check, one run a day
