"""The Thai government business calendar: weekends, public holidays (``holidays``, lunar and substitution
days included), plus extra closures and extra working days that the cabinet announces each year, and each unit's
business hours with their breaks. Pure arithmetic: no database here (see :mod:`app.sla.rules` for the tables).

Rules count in one of four units (the citizen manual's ``unit`` field):
``working_days`` (end of business on the N-th working day after the day of receipt), ``days`` (calendar days,
a deadline falling on a closed day moves to the next working day), ``hours`` and ``minutes`` (working time inside
business hours, breaks and closed days skipped).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BANGKOK = ZoneInfo("Asia/Bangkok")
#: end of the government working day; a deadline "within N days" ends at this time on day N
CLOSE_OF_BUSINESS = time(16, 30)
#: units whose time is counted inside business hours (a pause moves them by working time)
WORKING_UNITS = ("working_days", "hours", "minutes")
UNITS = (*WORKING_UNITS, "days")


@lru_cache(maxsize=64)
def _thai_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TH", years=year).keys())


def thai_holiday_names(year: int) -> dict[date, str]:
    """The library's holidays of ``year`` with their (English) names, for the admin view."""
    return dict(holidays.country_holidays("TH", years=year).items())


def _secs(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True)
class BusinessHours:
    """One unit's opening hours on a working day; ``breaks`` are closed spans inside them."""

    opens: time = time(8, 30)
    closes: time = CLOSE_OF_BUSINESS
    breaks: tuple[tuple[time, time], ...] = ((time(12, 0), time(13, 0)),)

    def __post_init__(self):
        if not self.opens < self.closes:
            raise ValueError("opening time must be before closing time")
        last = self.opens
        for start, end in sorted(self.breaks):
            if not (last <= start < end <= self.closes):
                raise ValueError("breaks must lie inside business hours and not overlap")
            last = end

    @property
    def intervals(self) -> tuple[tuple[int, int], ...]:
        """Open spans of a working day, in seconds since local midnight."""
        spans, cursor = [], _secs(self.opens)
        for start, end in sorted(self.breaks):
            if _secs(start) > cursor:
                spans.append((cursor, _secs(start)))
            cursor = _secs(end)
        if _secs(self.closes) > cursor:
            spans.append((cursor, _secs(self.closes)))
        return tuple(spans)

    @property
    def seconds_per_day(self) -> int:
        return sum(b - a for a, b in self.intervals)


DEFAULT_HOURS = BusinessHours()


def _local(moment: datetime) -> tuple[date, int]:
    loc = moment.astimezone(BANGKOK)
    return loc.date(), loc.hour * 3600 + loc.minute * 60 + loc.second + loc.microsecond / 1e6


def _utc(day: date, secs: float) -> datetime:
    return (datetime.combine(day, time(0), tzinfo=BANGKOK) + timedelta(seconds=secs)).astimezone(UTC)


class BusinessCalendar:
    """Working-day arithmetic. ``extra_closed`` / ``extra_open`` override the holiday library."""

    def __init__(self, extra_closed=(), extra_open=()):
        self.extra_closed = frozenset(extra_closed)
        self.extra_open = frozenset(extra_open)

    def __hash__(self):
        return hash((self.extra_closed, self.extra_open))

    def __eq__(self, other):
        return isinstance(other, BusinessCalendar) and (self.extra_closed, self.extra_open) == (
            other.extra_closed, other.extra_open)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_open:
            return True
        if day in self.extra_closed or day.weekday() >= 5:
            return False
        return day not in _thai_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    @lru_cache(maxsize=4096)  # noqa: B019 - calendars are few and long-lived; every case on a day asks the same
    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (the day of receipt does not count)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        while days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in ``(start, end]``; the inverse of :meth:`add_working_days`."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def due(self, received_at: datetime, days: int, kind: str = "working",
            hours: BusinessHours = DEFAULT_HOURS) -> datetime:
        """The deadline, in UTC, for something due ``days`` (working or calendar) days after receipt."""
        return self.deadline(received_at, days, "days" if kind == "calendar" else "working_days", hours)

    def deadline(self, start: datetime, value: int, unit: str, hours: BusinessHours = DEFAULT_HOURS) -> datetime:
        """When a rule of ``value`` ``unit`` started at ``start`` falls due (UTC, inside business hours)."""
        if value < 0:
            raise ValueError("value must be >= 0")
        local_day = _local(start)[0]
        if unit == "working_days":
            day = self.add_working_days(local_day, value) if value else self.next_working_day(local_day)
        elif unit == "days":
            day = self.next_working_day(local_day + timedelta(days=value))
        elif unit in ("hours", "minutes"):
            return self.add_working_seconds(start, value * (3600 if unit == "hours" else 60), hours)
        else:
            raise ValueError(f"unknown unit {unit!r}")
        return _utc(day, _secs(hours.closes))

    def add_working_seconds(self, start: datetime, seconds: float, hours: BusinessHours = DEFAULT_HOURS) -> datetime:
        """``start`` moved by ``seconds`` of working time (negative: backwards); breaks and closed days skipped.

        Adding 0 moves a moment outside business hours to the next opening.
        """
        if seconds < 0:
            return self._back(start, -seconds, hours)
        day, t = _local(start)
        for _ in range(3660):  # ten years of days: a bound, not a limit anyone reaches
            if self.is_working_day(day):
                for a, b in hours.intervals:
                    if t < b:
                        s = max(t, a)
                        if seconds <= b - s:
                            return _utc(day, s + seconds)
                        seconds -= b - s
                        t = b
            day, t = day + timedelta(days=1), 0
        raise ValueError("no working time within ten years")

    def _back(self, end: datetime, seconds: float, hours: BusinessHours) -> datetime:
        day, t = _local(end)
        for _ in range(3660):
            if self.is_working_day(day):
                for a, b in reversed(hours.intervals):
                    if t > a:
                        e = min(t, b)
                        if seconds <= e - a:
                            return _utc(day, e - seconds)
                        seconds -= e - a
                        t = a
            day, t = day - timedelta(days=1), 86400
        raise ValueError("no working time within ten years")

    def working_seconds_between(self, start: datetime, end: datetime,
                                hours: BusinessHours = DEFAULT_HOURS) -> float:
        """Working time in ``[start, end)``; 0 when ``end`` is not after ``start``."""
        if end <= start:
            return 0
        (d0, t0), (d1, t1) = _local(start), _local(end)
        total, day = 0.0, d0
        while day <= d1:
            if self.is_working_day(day):
                lo, hi = (t0 if day == d0 else 0), (t1 if day == d1 else 86400)
                total += sum(max(0, min(b, hi) - max(a, lo)) for a, b in hours.intervals)
            day += timedelta(days=1)
        return total

    def pause_length(self, start: datetime, end: datetime, unit: str,
                     hours: BusinessHours = DEFAULT_HOURS) -> float:
        """How far a pause from ``start`` to ``end`` moves a clock counted in ``unit`` (seconds)."""
        if unit in WORKING_UNITS:
            return self.working_seconds_between(start, end, hours)
        return max(0.0, (end - start).total_seconds())

    def extend(self, due: datetime, seconds: float, unit: str, hours: BusinessHours = DEFAULT_HOURS) -> datetime:
        """``due`` pushed back by ``seconds`` of paused time, counted the way ``unit`` counts."""
        if seconds <= 0:
            return due
        if unit in WORKING_UNITS:
            return self.add_working_seconds(due, seconds, hours)
        day = self.next_working_day(_local(due + timedelta(seconds=seconds))[0])
        return _utc(day, _secs(hours.closes))
