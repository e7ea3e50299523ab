"""The statistics block of a published manual page, computed from the cases in SQL aggregates (three queries,
whatever the number of cases): received per month, the share finished within the standard, the median time.

Window: cases received in the last ``STATS_MONTHS`` months (Bangkok time), the current month included (it is
still running, so it is labelled "to date"). A case counts as finished on time when it was decided
(``concluded_at``, outcome in :data:`FINISHED`) no later than its resolve deadline (``deadlines.kind='resolve'``;
the latest one if it was recomputed).
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from threading import Lock

from flask import current_app
from sqlalchemy import func, literal_column, select

from app.cases.models import Case
from app.common.models import utcnow
from app.extensions import db
from app.sla.models import Deadline

STATS_MONTHS = 12
#: outcomes that finish a case for the ministry; ``merged`` duplicates are counted with the case they joined
FINISHED = ("concluded", "not_concluded", "referred_out")
#: which cases belong to which service: slug → column filters (an empty dict means every case). Services not
#: listed have no cases in i-Dee yet, and their page says so.
CASE_SOURCES: dict[str, dict[str, tuple]] = {
    "complaint-handling": {},
}
#: seconds a page may show figures computed earlier (setting MANUAL_STATS_TTL; 0 = always fresh)
STATS_TTL = 300
_CACHE: dict[str, tuple[float, "ServiceStats"]] = {}
_LOCK = Lock()
BANGKOK_OFFSET_HOURS = 7  # Thailand has no daylight saving time
OFFSET = timedelta(hours=BANGKOK_OFFSET_HOURS)


@dataclass
class Month:
    year: int
    month: int
    count: int


@dataclass
class ServiceStats:
    tracked: bool  #: the service's cases are in i-Dee at all
    months: list[Month] = field(default_factory=list)
    received: int = 0
    finished: int = 0
    with_deadline: int = 0  #: finished cases that had a resolve deadline
    on_time: int = 0
    median_days: float | None = None

    @property
    def has_data(self) -> bool:
        return self.received > 0

    @property
    def average_per_month(self) -> float | None:
        return self.received / len(self.months) if self.months else None

    @property
    def highest(self) -> Month | None:
        return max(self.months, key=lambda m: (m.count, m.year, m.month)) if self.months else None

    @property
    def lowest(self) -> Month | None:
        return min(self.months, key=lambda m: (m.count, -m.year, -m.month)) if self.months else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.with_deadline if self.with_deadline else None


def _month_start(year: int, month: int) -> datetime:
    """Midnight of the 1st in Bangkok, as UTC."""
    return datetime(year, month, 1, tzinfo=UTC) - OFFSET


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    n = year * 12 + month - 1 + by
    return n // 12, n % 12 + 1


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _month_key():
    """``YYYY-MM`` of ``received_at`` in Bangkok."""
    if _dialect() == "postgresql":
        return func.to_char(func.timezone("Asia/Bangkok", Case.received_at), "YYYY-MM")
    return func.strftime("%Y-%m", Case.received_at, f"+{BANGKOK_OFFSET_HOURS} hours")


def _duration_days():
    if _dialect() == "postgresql":
        return func.extract("epoch", Case.concluded_at - Case.received_at) / 86400.0
    return func.julianday(Case.concluded_at) - func.julianday(Case.received_at)


def service_stats(slug: str, now: datetime | None = None) -> ServiceStats:
    """Figures for the service ``slug`` over the window (module docstring)."""
    if slug not in CASE_SOURCES:
        return ServiceStats(tracked=False)
    now = (now or utcnow()).astimezone(UTC)
    local = now + OFFSET
    first_year, first_month = _shift(local.year, local.month, -(STATS_MONTHS - 1))
    since = _month_start(first_year, first_month)
    where = [Case.received_at >= since, Case.received_at <= now]
    where += [getattr(Case, col).in_(values) for col, values in CASE_SOURCES[slug].items()]

    key = _month_key().label("month")
    per_month = {k: n for k, n in db.session.execute(
        select(key, func.count()).where(*where).group_by(key))}
    stats = ServiceStats(tracked=True, received=sum(per_month.values()))
    if not per_month:
        return stats
    # every month from the first with a case to this one, empty months included (they are the lowest)
    y, m = map(int, min(per_month).split("-"))
    while (y, m) <= (local.year, local.month):
        stats.months.append(Month(y, m, per_month.get(f"{y:04d}-{m:02d}", 0)))
        y, m = _shift(y, m, 1)

    finished = where + [Case.concluded_at.is_not(None), Case.outcome.in_(FINISHED)]
    # the latest resolve deadline of each case (one per case unless recomputed into several rows)
    resolve = (select(Deadline.case_id, func.max(Deadline.due_at).label("due_at"))
               .where(Deadline.kind == "resolve").group_by(Deadline.case_id).subquery())
    row = db.session.execute(select(
        func.count(),
        func.count(resolve.c.case_id),
        func.count().filter(Case.concluded_at <= resolve.c.due_at),
    ).select_from(Case).outerjoin(resolve, resolve.c.case_id == Case.id).where(*finished)).one()
    stats.finished, stats.with_deadline, stats.on_time = row[0], row[1], int(row[2])
    if stats.finished:
        # the median without loading the cases: the middle one or two durations, found by the database
        days = _duration_days().label("days")
        middle = list(db.session.scalars(select(days).where(*finished).order_by(literal_column("days"))
                                         .offset((stats.finished - 1) // 2).limit(2 - stats.finished % 2)))
        stats.median_days = sum(float(d) for d in middle) / len(middle)
    return stats


def cached_stats(slug: str) -> ServiceStats:
    """:func:`service_stats` now, reused for ``MANUAL_STATS_TTL`` seconds in this process: the figures move
    slowly, and a busy public page should not aggregate the cases table on every view."""
    ttl = current_app.config.get("MANUAL_STATS_TTL", STATS_TTL)
    with _LOCK:
        hit = _CACHE.get(slug)
    if hit and time.monotonic() - hit[0] < ttl:
        return hit[1]
    stats = service_stats(slug)
    with _LOCK:
        _CACHE[slug] = (time.monotonic(), stats)
    return stats


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
