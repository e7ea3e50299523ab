"""The statistics block, computed from cases and their resolve deadlines (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from app.cases.models import Case
from app.common.models import utcnow
from app.extensions import db
from app.manual.stats import clear_cache, service_stats
from app.sla.models import Deadline

_codes = count(1)
NOW = datetime(2026, 11, 15, 5, 0, tzinfo=UTC)


def make_case(received_at, concluded_after=None, outcome="concluded", resolve_after=()):
    """A case received at ``received_at``, decided ``concluded_after`` later, with resolve deadlines."""
    concluded = received_at + concluded_after if concluded_after is not None else None
    case = Case(tracking_code=f"MAN{next(_codes):06d}", description="กลิ่นเหม็นจากโรงงานทุกคืน", division_code="DIW",
                received_at=received_at, status="concluded" if concluded else "in_progress",
                concluded_at=concluded, outcome=outcome if concluded else None)
    db.session.add(case)
    db.session.flush()
    for after in resolve_after:
        db.session.add(Deadline(case_id=case.id, kind="resolve", due_at=received_at + after, basis="working:30"))
    return case


@pytest.fixture
def cases(ctx):
    day = timedelta(days=1)
    # 18:00 UTC on 31 August is 01:00 on 1 September in Bangkok: a September case
    a = datetime(2026, 8, 31, 18, 0, tzinfo=UTC)
    make_case(a, concluded_after=2 * day, resolve_after=(10 * day,))  # on time
    make_case(datetime(2026, 9, 10, 3, tzinfo=UTC), concluded_after=20 * day, resolve_after=(15 * day,))  # late
    make_case(datetime(2026, 9, 20, 3, tzinfo=UTC), concluded_after=5 * day, outcome="merged",
              resolve_after=(30 * day,))  # a duplicate: counted as received, not as finished
    make_case(datetime(2026, 11, 2, 3, tzinfo=UTC), resolve_after=(30 * day,))  # still open
    make_case(datetime(2026, 11, 3, 3, tzinfo=UTC), concluded_after=4 * day, outcome="referred_out")  # no deadline
    make_case(datetime(2025, 10, 5, 3, tzinfo=UTC), concluded_after=day, resolve_after=(30 * day,))  # too old
    make_case(datetime(2026, 11, 20, 3, tzinfo=UTC))  # after "now"
    db.session.commit()


def test_monthly_figures_in_bangkok_months(cases):
    s = service_stats("complaint-handling", now=NOW)
    assert [(m.year, m.month, m.count) for m in s.months] == [(2026, 9, 3), (2026, 10, 0), (2026, 11, 2)]
    assert s.received == 5
    assert s.average_per_month == pytest.approx(5 / 3)
    assert (s.highest.month, s.highest.count) == (9, 3)
    assert (s.lowest.month, s.lowest.count) == (10, 0)  # an empty month is the lowest, honestly


def test_on_time_share_and_median(cases):
    s = service_stats("complaint-handling", now=NOW)
    assert (s.finished, s.with_deadline, s.on_time) == (3, 2, 1)
    assert s.on_time_share == pytest.approx(0.5)
    assert s.median_days == pytest.approx(4.0)  # of 2, 4 and 20 days


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(ctx):
    start = datetime(2026, 10, 1, 3, tzinfo=UTC)
    for days in (1, 3, 6, 30):
        make_case(start, concluded_after=timedelta(days=days), resolve_after=(timedelta(days=5),))
    db.session.commit()
    s = service_stats("complaint-handling", now=NOW)
    assert s.median_days == pytest.approx(4.5)
    assert (s.on_time, s.with_deadline) == (2, 4)


def test_services_without_cases_say_so(cases):
    assert service_stats("factory-licence", now=NOW).tracked is False
    empty = service_stats("complaint-handling", now=datetime(2030, 1, 1, tzinfo=UTC))
    assert empty.tracked and not empty.has_data and empty.average_per_month is None


@pytest.fixture
def fresh():
    clear_cache()
    yield
    clear_cache()


def test_the_page_shows_the_figures(client, app, fresh):
    with app.app_context():
        now = utcnow()
        make_case(now - timedelta(days=3), concluded_after=timedelta(days=2), resolve_after=(timedelta(days=20),))
        make_case(now - timedelta(days=2), concluded_after=timedelta(days=1), resolve_after=(timedelta(hours=1),))
        db.session.commit()
    body = client.get("/manual/complaint-handling").get_data(as_text=True)
    assert "ร้อยละ 50.0 (1 จาก 2 เรื่อง)" in body
    assert "1.5 วัน (นับตามปฏิทิน)" in body
    assert '<svg class="chart"' in body
    assert "ยังไม่มีข้อมูลสถิติ: งานบริการนี้ยังไม่ได้รับเรื่องผ่านระบบ i-Dee" in \
        client.get("/manual/tis-licence").get_data(as_text=True)


def statements_for(client, app, url) -> int:
    from sqlalchemy import event

    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_a_page_costs_a_few_queries_whatever_the_number_of_cases(client, app, fresh):
    with app.app_context():
        make_case(utcnow() - timedelta(days=3), concluded_after=timedelta(days=1), resolve_after=(timedelta(days=9),))
        db.session.commit()
    few = statements_for(client, app, "/manual/complaint-handling")
    assert few <= 5  # version in force, history, months, on-time, median
    with app.app_context():
        for i in range(40):
            make_case(utcnow() - timedelta(days=i * 7), concluded_after=timedelta(days=i % 9),
                      resolve_after=(timedelta(days=5),))
        db.session.commit()
    # within MANUAL_STATS_TTL the figures are reused: only the version and its history are read
    assert statements_for(client, app, "/manual/complaint-handling") == 2
    clear_cache()
    assert statements_for(client, app, "/manual/complaint-handling") == few
