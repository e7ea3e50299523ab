"""Periodic jobs for ``rq cron workers/cron.py`` (or ``flask cron``)."""

from rq import cron

from workers.jobs import relay_outbox

cron.register(relay_outbox, "default", interval=30, name="relay-outbox")
