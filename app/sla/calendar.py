"""The Thai government business calendar: weekends, public holidays (``holidays``, lunar and substitution
days included), plus extra closures and extra working days that the cabinet announces each year."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BANGKOK = ZoneInfo("Asia/Bangkok")
#: end of the government working day; a deadline "within N days" ends at this time on day N
CLOSE_OF_BUSINESS = time(16, 30)


@lru_cache(maxsize=64)
def _thai_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TH", years=year).keys())


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

    def due(self, received_at: datetime, days: int, kind: str = "working") -> datetime:
        """The deadline, in UTC, for something due ``days`` (working or calendar) days after receipt."""
        local = received_at.astimezone(BANGKOK).date()
        if kind == "calendar":
            day = local + timedelta(days=days)
        else:
            day = self.add_working_days(local, days)
        return datetime.combine(day, CLOSE_OF_BUSINESS, tzinfo=BANGKOK).astimezone(ZoneInfo("UTC"))
