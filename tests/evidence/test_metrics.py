"""The period's figures: shares on time (pending cases left out), median and p90, satisfaction, backlog, ITA."""

from datetime import UTC, date, datetime

from app.csat.models import Feedback
from app.evidence.metrics import percentile, summarise
from app.evidence.period import Period, ita_windows, parse_period
from app.extensions import db
from tests.evidence.helpers import make_case

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 20, tzinfo=UTC)


def test_percentile_interpolates():
    assert percentile([], 50) is None
    assert percentile([1.0], 90) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(1, 11))), 90) == 9.1


def test_period_bounds_are_bangkok_days():
    p = parse_period("2026-11-01", "2026-12-01")
    assert p.utc_start == datetime(2026, 10, 31, 17, tzinfo=UTC) and p.utc_end == datetime(2026, 11, 30, 17, tzinfo=UTC)
    six, twelve = (w for _, w in ita_windows(p))
    assert (six.start, six.end) == (date(2026, 10, 1), date(2027, 4, 1))
    assert (twelve.start, twelve.end) == (date(2026, 10, 1), date(2027, 10, 1))


def test_summary_figures(app, ctx):
    a = make_case(app, NOV, ack=0.5, told=3, concluded=10)  # all on time
    make_case(app, NOV, ack=2, told=20, concluded=40, channel="phone")  # all late
    make_case(app, NOV, ack=0.2)  # told and resolved: late by NOW (due dates passed, nothing done)
    make_case(app, datetime(2026, 12, 15, tzinfo=UTC), status="assigned")  # outside the period
    make_case(app, datetime(2026, 10, 31, 16, 59, tzinfo=UTC))  # 23:59 on 31 Oct in Bangkok: outside
    db.session.add(Feedback(case_id=a, score=5, source="web"))
    db.session.commit()
    s = summarise(Period(date(2026, 11, 1), date(2026, 12, 1)), now=NOW)
    assert s["cases"] == 3
    assert s["by_channel"] == {"web": 2, "phone": 1}
    assert s["acknowledged_on_time"] == {"met": 2, "missed": 1, "pending": 0, "share": round(2 / 3, 4)}
    assert s["told_within_15_days"] == {"met": 1, "missed": 2, "pending": 0, "share": round(1 / 3, 4)}
    assert s["resolved_within_manual_time"]["share"] == round(1 / 3, 4)
    assert s["times"]["first_report"] == {"n": 2, "median_days": 11.5, "p90_days": 18.3}
    assert s["times"]["conclude"]["median_days"] == 25.0
    assert s["satisfaction"] == {"responses": 1, "average": 5.0, "share_satisfied": 1.0,
                                 "by_score": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}
    # undecided at the end of the period: the late one (decided in December), the silent one (both 28.6 days
    # old) and the one of 31 Oct (30.0 days and a minute: the next band)
    assert s["backlog"]["total"] == 3
    assert s["backlog"]["by_age_days"]["16-30"] == 2 and s["backlog"]["by_age_days"]["31-60"] == 1
    assert s["ita"]["6"]["cases"] == 5 and s["ita"]["12"]["cases"] == 5
    assert s["by_month"] == {"2026-11": 3}


def test_pending_deadlines_are_left_out(app, ctx):
    make_case(app, NOV)
    s = summarise(Period(date(2026, 11, 1), date(2026, 12, 1)), now=datetime(2026, 11, 2, 12, tzinfo=UTC))
    assert s["told_within_15_days"] == {"met": 0, "missed": 0, "pending": 1, "share": None}
