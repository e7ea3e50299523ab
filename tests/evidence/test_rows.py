"""Case rows: PostgreSQL's formatting (timestamps, on-time flags, blanks) gives the cells Python's does."""

from datetime import UTC, datetime

import pytest

from app.csat.models import Feedback
from app.evidence.period import Period
from app.evidence.rows import KEYS, format_row, formatted, on_server, staff_names, stream
from app.extensions import db
from tests.conftest import valid_complaint
from tests.evidence.helpers import make_case, user

PERIOD = Period(datetime(2026, 11, 1).date(), datetime(2026, 12, 1).date())
#: the export's "now": some deadlines have passed by then, some not
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def seed(app):
    """Cases at the edges of the formatting: a UTC evening that is the next Bangkok day, microseconds to truncate,
    a step done exactly at its deadline, a fraction of a day that sits on a rounding half, deadlines passed and
    not yet passed, a rating, a closed case, an anonymous one."""
    with app.app_context():
        officer = user("officer")
        evening = datetime(2026, 11, 2, 17, 30, 59, 999_999, tzinfo=UTC)
        make_case(app, evening, ack=1, told=0.125, concluded=15, closed=16, actor=officer)  # ack at its deadline
        make_case(app, datetime(2026, 11, 3, 1, 2, 3, 500_000, tzinfo=UTC), ack=1.5, told=20, actor=officer,
                  channel="phone")
        make_case(app, datetime(2026, 11, 19, 9, 0, tzinfo=UTC))  # acknowledge due passed, the rest pending
        make_case(app, datetime(2026, 11, 25, tzinfo=UTC),  # after NOW
                  doc=valid_complaint(anonymous=True, complainant=None))
        rated = make_case(app, datetime(2026, 11, 5, 4, 0, tzinfo=UTC), ack=0.1, told=2.5, concluded=7.3333,
                          actor=officer)
        db.session.add(Feedback(case_id=rated, score=4, comment="ดี"))
        db.session.commit()


def test_server_and_python_formatting_agree(app, tokens):
    seed(app)
    with app.app_context():
        if not on_server():
            pytest.skip("the server-side formatting runs on PostgreSQL only")
        users = staff_names()
        python = [format_row(r, users, NOW) for r in stream(PERIOD)]
        server = [row for rows in formatted(PERIOD, users, NOW) for row in rows]
        db.session.rollback()
    assert len(python) == 5 and all(len(row) == len(KEYS) for row in python)
    for mine, theirs in zip(server, python, strict=True):
        assert dict(zip(KEYS, mine, strict=True)) == dict(zip(KEYS, theirs, strict=True))
    first = dict(zip(KEYS, server[0], strict=True))
    assert first["received_at"] == "2026-11-03T00:30:59+07:00"
    assert first["acknowledged_on_time"] == "yes" and first["days_to_first_report"] == "0.12"
    assert first["closed_at"] and first["concluded_by"]
    flags = {row[0]: (row[KEYS.index("acknowledged_on_time")], row[KEYS.index("resolved_on_time")])
             for row in server}
    assert sorted(flags.values()) == sorted([("yes", "yes"), ("no", ""), ("no", ""), ("", ""), ("yes", "yes")])
    assert [row[KEYS.index("anonymous")] for row in server].count("yes") == 1
    assert [row[KEYS.index("csat_score")] for row in server].count("4") == 1


def test_python_formatting_in_batches(app, tokens):
    """The batched path every format uses gives the rows :func:`format_row` gives, on either database."""
    seed(app)
    with app.app_context():
        users = staff_names()
        batched = [row for rows in formatted(PERIOD, users, NOW, batch=2) for row in rows]
        one_by_one = [format_row(r, users, NOW) for r in stream(PERIOD)]
        db.session.rollback()
    assert len(batched) == 5 and batched == one_by_one
