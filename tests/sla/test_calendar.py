"""The business calendar: Thai holidays (lunar, substitution), extra closures, business hours with breaks.

Property tests (hypothesis) for the invariants; examples for the days people get wrong."""

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.sla.calendar import BANGKOK, BusinessCalendar, BusinessHours

CAL = BusinessCalendar(extra_closed=[date(2026, 8, 14)], extra_open=[date(2026, 8, 15)])
LUNCH = BusinessHours()
NO_BREAK = BusinessHours(breaks=())
EARLY = BusinessHours(time(7, 0), time(15, 0), ((time(11, 30), time(12, 30)), (time(14, 0), time(14, 10))))

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC))
hours_st = st.sampled_from([LUNCH, NO_BREAK, EARLY])
units = st.sampled_from(["working_days", "days", "hours", "minutes"])
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bkk(*args) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


def open_now(cal: BusinessCalendar, moment: datetime, hours: BusinessHours) -> bool:
    """Inside business hours on a working day (interval ends included: a deadline may fall at closing)."""
    loc = moment.astimezone(BANGKOK)
    secs = loc.hour * 3600 + loc.minute * 60 + loc.second + loc.microsecond / 1e6
    return cal.is_working_day(loc.date()) and any(a <= secs <= b for a, b in hours.intervals)


@fast
@given(moments, st.integers(0, 40), units, hours_st)
def test_a_deadline_never_falls_on_a_closed_day_or_outside_hours(start, value, unit, hours):
    due = CAL.deadline(start, value, unit, hours)
    assert open_now(CAL, due, hours)
    assert due >= start or value == 0


@fast
@given(moments, st.integers(1, 20_000), hours_st)
def test_adding_working_time_then_counting_back_returns_the_start(start, minutes, hours):
    begin = CAL.add_working_seconds(start, 0, hours)  # the start, moved into business hours
    end = CAL.add_working_seconds(begin, minutes * 60, hours)
    assert CAL.working_seconds_between(begin, end, hours) == pytest.approx(minutes * 60)
    assert CAL.add_working_seconds(end, -minutes * 60, hours) == begin


@fast
@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 60))
def test_working_days_count_back_to_their_number(day, n):
    assert CAL.working_days_between(day, CAL.add_working_days(day, n)) == n


@fast
@given(moments, st.integers(0, 30), st.integers(0, 30), units, hours_st)
def test_durations_are_monotonic(start, a, b, unit, hours):
    lo, hi = sorted((a, b))
    assert CAL.deadline(start, lo, unit, hours) <= CAL.deadline(start, hi, unit, hours)


@fast
@given(moments, moments, st.integers(0, 5 * 86400), units, hours_st)
def test_a_pause_never_brings_a_deadline_forward(start, other, paused, unit, hours):
    due = CAL.deadline(start, 3, unit, hours)
    moved = CAL.extend(due, paused, unit, hours)
    assert moved >= due and open_now(CAL, moved, hours)
    a, b = sorted((start, other))
    assert 0 <= CAL.working_seconds_between(a, b, hours) <= (b - a).total_seconds()


def test_songkran_is_closed_and_skipped():
    cal = BusinessCalendar()
    for d in (date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15)):
        assert not cal.is_working_day(d)
    # received Friday 10 April 2026; Monday 13 to Wednesday 15 are Songkran: day 1 is Thursday 16 April
    due = cal.deadline(bkk(2026, 4, 10, 10, 0), 1, "working_days")
    assert due == bkk(2026, 4, 16, 16, 30)


def test_substitution_day_is_closed():
    cal = BusinessCalendar()
    # Visakha Bucha fell on Sunday 31 May 2026; Monday 1 June is its substitution day
    assert not cal.is_working_day(date(2026, 6, 1))
    assert cal.add_working_days(date(2026, 5, 29), 1) == date(2026, 6, 2)
    # and in 2025 Songkran's Sunday gave Wednesday 16 April
    assert not cal.is_working_day(date(2025, 4, 16))


def test_lunar_buddhist_days_are_closed():
    cal = BusinessCalendar()
    makha, asarnha, visakha_2025 = date(2026, 3, 3), date(2026, 7, 29), date(2025, 5, 12)
    assert not any(cal.is_working_day(d) for d in (makha, asarnha, visakha_2025))
    assert cal.deadline(bkk(2026, 3, 2, 9, 0), 1, "working_days") == bkk(2026, 3, 4, 16, 30)


def test_extra_closure_and_extra_working_day_override_the_library():
    assert BusinessCalendar().is_working_day(date(2026, 8, 14))
    assert not CAL.is_working_day(date(2026, 8, 14))  # a cabinet day off (Friday)
    assert CAL.is_working_day(date(2026, 8, 15))  # a Saturday made a working day
    # Thursday 13 Aug + 1 working day: Friday is closed, Saturday open
    assert CAL.add_working_days(date(2026, 8, 13), 1) == date(2026, 8, 15)


def test_minutes_skip_the_lunch_break_and_the_night():
    cal = BusinessCalendar()
    assert cal.deadline(bkk(2026, 11, 23, 11, 50), 10, "minutes") == bkk(2026, 11, 23, 12, 0)
    assert cal.deadline(bkk(2026, 11, 23, 11, 55), 10, "minutes") == bkk(2026, 11, 23, 13, 5)
    assert cal.deadline(bkk(2026, 11, 23, 11, 55), 10, "minutes", NO_BREAK) == bkk(2026, 11, 23, 12, 5)
    # after closing on Friday: counted from Monday's opening
    assert cal.deadline(bkk(2026, 11, 27, 17, 0), 2, "hours") == bkk(2026, 11, 30, 10, 30)


def test_calendar_days_falling_on_a_holiday_move_to_the_next_working_day():
    cal = BusinessCalendar()
    # 7 calendar days from Monday 6 April 2026 is Monday 13 April (Songkran): due Thursday 16 April
    assert cal.deadline(bkk(2026, 4, 6, 9, 0), 7, "days") == bkk(2026, 4, 16, 16, 30)


def test_pause_moves_a_working_day_deadline_by_working_time():
    cal = BusinessCalendar()
    due = bkk(2026, 11, 23, 16, 30)  # Monday
    paused = cal.working_seconds_between(bkk(2026, 11, 27, 9, 0), bkk(2026, 11, 30, 9, 0))  # Fri 9:00 → Mon 9:00
    assert paused == 7 * 3600  # one working day (the weekend and lunch do not count)
    assert cal.extend(due, paused, "working_days") == bkk(2026, 11, 24, 16, 30)
    assert cal.extend(due, 3 * 86400, "days") == bkk(2026, 11, 26, 16, 30)


def test_inconsistent_hours_are_refused():
    with pytest.raises(ValueError):
        BusinessHours(time(16, 0), time(8, 0))
    with pytest.raises(ValueError):
        BusinessHours(breaks=((time(12, 0), time(13, 0)), (time(12, 30), time(13, 30))))


def test_old_basis_strings_still_read():
    from app.sla.policy import Rule

    assert Rule.parse("working:15") == Rule(15, "working_days")
    assert Rule.parse("calendar:7") == Rule(7, "days")
