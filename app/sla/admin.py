"""Administrators edit the calendar (extra closures, extra working days) and units' business hours; every edit
queues the recomputation of the open deadlines it can move."""

from datetime import date

from sqlalchemy import select

from app.errors import AppError, Conflict, NotFound
from app.extensions import db
from app.routing.models import Division
from app.sla import rules
from app.sla.calendar import thai_holiday_names
from app.sla.models import CalendarDay, UnitHours
from app.sla.recompute import queue_recompute


def calendar_year(year: int) -> dict:
    """The library's holidays, the extra days and the business hours, for one year."""
    extra = db.session.scalars(select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                         CalendarDay.day <= date(year, 12, 31))
                               .order_by(CalendarDay.day)).all()
    hours = db.session.scalars(select(UnitHours).order_by(UnitHours.division_code)).all()
    return {
        "year": year,
        "holidays": [{"day": d.isoformat(), "name": n} for d, n in sorted(thai_holiday_names(year).items())],
        "extra": [_day(d) for d in extra],
        "business_hours": [{"division": h.division_code, "opens": h.opens, "closes": h.closes,
                            "breaks": h.breaks} for h in hours],
    }


def _day(d: CalendarDay) -> dict:
    return {"day": d.day.isoformat(), "kind": d.kind, "name": d.name}


def add_day(day: date, kind: str, name: str, actor) -> tuple[dict, int]:
    """Add an extra closure or working day. :raises Conflict: the day already has an entry."""
    if db.session.get(CalendarDay, day) is not None:
        raise Conflict("sla_day_exists", day=day.isoformat())
    row = CalendarDay(day=day, kind=kind, name=name, created_by=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    rules.invalidate()
    run = queue_recompute(f"calendar {kind} {day.isoformat()}", day=day.isoformat())
    return _day(row), run.id


def remove_day(day: date, actor) -> int:
    """Remove an extra day. :raises NotFound: none on that day."""
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise NotFound("sla_day_not_found", day=day.isoformat())
    db.session.delete(row)
    db.session.flush()
    rules.invalidate()
    return queue_recompute(f"calendar removed {day.isoformat()}", day=day.isoformat()).id


def set_hours(division_code: str, data: dict, actor) -> tuple[dict, int]:
    """Set a unit's business hours (``*`` = the default). :raises AppError: unknown unit (422)."""
    if division_code != "*" and db.session.get(Division, division_code) is None:
        raise AppError("division_unknown", 422)
    row = db.session.get(UnitHours, division_code) or UnitHours(division_code=division_code)
    row.opens, row.closes, row.breaks = data["opens"], data["closes"], data.get("breaks") or []
    db.session.add(row)
    db.session.flush()
    rules.invalidate()
    run = queue_recompute(f"hours {division_code}", division=division_code)
    return {"division": division_code, "opens": row.opens, "closes": row.closes, "breaks": row.breaks}, run.id
