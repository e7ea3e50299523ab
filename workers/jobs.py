"""Job functions enqueued by dotted path (``workers.jobs.run_outbox``); the work itself lives in ``app/``."""

from workers.context import app_context


def run_outbox(msg_id: int) -> str:
    """Carry out one outbox row; safe to run again (a done row is skipped)."""
    with app_context():
        import app.outbox.notify  # noqa: F401  (registers the handlers)
        from app.outbox.services import process

        return process(msg_id)


def relay_outbox() -> int:
    """Periodic: hand rows that are still pending (Redis was down, a job was lost) to the workers."""
    with app_context():
        from app.outbox.services import relay

        return relay()
