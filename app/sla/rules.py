"""The calendar and business hours in force, read from their tables (seeded from ``data/calendar.yaml``).

Both are read at most once per ``SLA_RULES_CACHE_SECONDS`` per process (intake stays at the queries it needs);
an edit clears this process's copy at once and the recomputation job moves the stored deadlines.
"""

import time as _time
from datetime import date, time
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.sla.calendar import DEFAULT_HOURS, BusinessCalendar, BusinessHours
from app.sla.models import CalendarDay, UnitHours

CALENDAR_FILE = Path(__file__).with_name("data") / "calendar.yaml"
_cache: dict = {}


def invalidate() -> None:
    """Forget this process's copy (after an edit, and between tests), manual policies included."""
    from app.sla import policy

    _cache.clear()
    policy.invalidate()


def _loaded() -> dict:
    ttl = current_app.config.get("SLA_RULES_CACHE_SECONDS", 60)
    if _cache and _time.monotonic() - _cache["at"] < ttl:
        return _cache
    days = db.session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
    hours = {row.division_code: to_hours(row.opens, row.closes, row.breaks)
             for row in db.session.scalars(select(UnitHours))}
    _cache.update(at=_time.monotonic(), hours=hours, calendar=BusinessCalendar(
        extra_closed=[d for d, k in days if k == "closed"], extra_open=[d for d, k in days if k == "open"]))
    return _cache


def calendar() -> BusinessCalendar:
    """The business calendar in force (one instance per load, so its working-day cache is shared)."""
    return _loaded()["calendar"]


def hours_for(division_code: str | None) -> BusinessHours:
    """The unit's business hours, else the default row ``*``, else 08:30–16:30 with a 12:00–13:00 break."""
    hours = _loaded()["hours"]
    return hours.get(division_code) or hours.get("*") or DEFAULT_HOURS


def _t(value: str) -> time:
    return time.fromisoformat(value)


def to_hours(opens: str, closes: str, breaks) -> BusinessHours:
    """Build (and so validate) business hours from ``HH:MM`` strings. :raises ValueError: inconsistent."""
    return BusinessHours(_t(opens), _t(closes), tuple((_t(a), _t(b)) for a, b in (breaks or [])))


def seed_calendar() -> dict:
    """Load ``data/calendar.yaml`` into the tables; idempotent, rows edited by an admin are left as they are."""
    doc = yaml.safe_load(CALENDAR_FILE.read_text(encoding="utf-8")) or {}
    added = 0
    for kind in ("closed", "open"):
        for row in doc.get(kind) or []:
            day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(str(row["day"]))
            if db.session.get(CalendarDay, day) is None:
                db.session.add(CalendarDay(day=day, kind=kind, name=row["name"]))
                added += 1
    hours = 0
    for code, row in (doc.get("business_hours") or {}).items():
        try:
            to_hours(row["opens"], row["closes"], row.get("breaks"))
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{CALENDAR_FILE.name}: business_hours.{code}: {exc}") from None
        if db.session.get(UnitHours, code) is None:
            db.session.add(UnitHours(division_code=code, opens=row["opens"], closes=row["closes"],
                                     breaks=row.get("breaks") or []))
            hours += 1
    db.session.flush()
    invalidate()
    return {"calendar_days": added, "business_hours": hours}
