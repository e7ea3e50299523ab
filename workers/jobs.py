"""Job functions enqueued by dotted path (``workers.jobs.run_outbox_rows``); the work itself lives in ``app/``."""

from workers.context import app_context


def run_outbox(msg_id: int) -> str:
    """Carry out one outbox row; safe to run again (a done row is skipped)."""
    with app_context():
        import app.outbox.notify  # noqa: F401  (registers the handlers)
        from app.outbox.services import process

        return process(msg_id)


def run_outbox_rows(ids: list[int]) -> list[str]:
    """Carry out the outbox rows one transaction wrote (relayed as one job after its commit); safe to run again."""
    with app_context():
        import app.outbox.notify  # noqa: F401  (registers the handlers)
        from app.outbox.services import process_rows

        return process_rows(ids)


def relay_outbox() -> int:
    """Periodic: hand rows that are still pending (Redis was down, a job was lost) to the workers."""
    with app_context():
        from app.outbox.services import relay

        return relay()
