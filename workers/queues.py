"""Queue names; the connection comes from the app's ``REDIS_URL`` (``app.outbox.services.redis_connection``)."""

DEFAULT = "default"
EXPORTS = "exports"
QUEUES = (DEFAULT, EXPORTS)
