"""A reporting period [from, to) in Bangkok dates, its UTC bounds, and the ITA fiscal half-years."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from app.errors import AppError

#: Thailand keeps one offset all year (no daylight saving), so a fixed zone is exact and fast to convert
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


@dataclass(frozen=True)
class Period:
    start: date  #: first day, inclusive
    end: date  #: day after the last, exclusive

    @property
    def utc_start(self) -> datetime:
        return datetime.combine(self.start, time(), BANGKOK).astimezone(UTC)

    @property
    def utc_end(self) -> datetime:
        return datetime.combine(self.end, time(), BANGKOK).astimezone(UTC)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def parse_period(start, end, max_days: int | None = None) -> Period:
    """A period from ISO dates (strings or dates). :raises AppError: ``evidence_period`` (422) when a date is
    missing or malformed, ``to`` is not after ``from``, or the period is longer than ``max_days``."""
    try:
        first = start if isinstance(start, date) else date.fromisoformat(str(start or "").strip())
        after = end if isinstance(end, date) else date.fromisoformat(str(end or "").strip())
    except ValueError:
        raise AppError("evidence_period", 422) from None
    if after <= first or (max_days and (after - first).days > max_days):
        raise AppError("evidence_period", 422)
    return Period(first, after)


def fiscal_year_start(day: date) -> date:
    """The Thai government fiscal year starts on 1 October."""
    return date(day.year if day.month >= 10 else day.year - 1, 10, 1)


def ita_windows(period: Period) -> list[tuple[str, Period]]:
    """The ITA 6- and 12-month windows of the fiscal year in which the period ends."""
    fy = fiscal_year_start(period.last_day)
    half = date(fy.year + 1, 4, 1)
    return [("6", Period(fy, half)), ("12", Period(fy, date(fy.year + 1, 10, 1)))]


def local(dt: datetime | None) -> str:
    """``2026-11-22T14:05:00+07:00``: the form every export writes a time in."""
    return dt.astimezone(BANGKOK).isoformat(timespec="seconds") if dt is not None else ""
