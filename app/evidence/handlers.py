"""Importing this registers the outbox handlers of the evidence domains (every process: web, worker, inline)."""

from app.csat import services as _csat  # noqa: F401  (invite_feedback)
from app.evidence import jobs as _exports  # noqa: F401  (export_gecc)
from app.evidence import opendata as _opendata  # noqa: F401  (opendata_refresh)
from app.pdpa import jobs as _pdpa  # noqa: F401  (pdpa_retention)
