"""Open data: anonymised monthly counts with small cells suppressed, CKAN-style metadata, refreshed by a job."""

import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.common.db import commit
from app.evidence.models import OpenDataSnapshot
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.pdpa.jobs import schedule_daily
from tests.conftest import valid_complaint
from tests.evidence.helpers import make_case

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
CHONBURI = valid_complaint(location={"province": "ชลบุรี"})


def test_dataset_suppresses_small_cells_and_holds_no_personal_data(app, client):
    assert client.get("/open-data/catalog.json").status_code == 404
    for _ in range(5):
        make_case(app, NOV, concluded=3)  # Rayong, concluded: 5 cases, published
    make_case(app, NOV, doc=CHONBURI)  # Chonburi, open: 1 case, suppressed
    r = app.test_cli_runner().invoke(args=["opendata", "refresh"])
    assert r.exit_code == 0, r.output
    records = client.get("/open-data/complaints-monthly.json").get_json()["records"]
    by_place = {(rec["province_code"], rec["outcome"]): rec for rec in records}
    assert by_place[("21", "concluded")]["complaints"] == 5 and not by_place[("21", "concluded")]["suppressed"]
    assert by_place[("20", "open")]["complaints"] is None and by_place[("20", "open")]["suppressed"]
    assert by_place[("21", "concluded")]["month"] == "2026-11" and by_place[("20", "open")]["province_name"] == "ชลบุรี"
    csv = client.get("/open-data/complaints-monthly.csv")
    assert csv.mimetype == "text/csv" and csv.headers["Access-Control-Allow-Origin"] == "*"
    text = csv.get_data(as_text=True)
    assert text.splitlines()[0].lstrip("\ufeff").startswith("month,category_code")
    for leak in ("สมหญิง", "0812345678", "somying", "1101700230708", "ID-"):
        assert leak not in text
    meta = client.get("/open-data/catalog.json").get_json()
    assert meta["license_id"] and meta["organization"]["title"] == "กระทรวงอุตสาหกรรม"
    assert {res["format"] for res in meta["resources"]} == {"CSV", "JSON"}
    assert meta["temporal_coverage_start"] == meta["temporal_coverage_end"] == "2026-11"
    assert all(res["url"].endswith((".csv", ".json")) for res in meta["resources"]) and meta["tags"]


def test_daily_job_refreshes_once_a_day(app):
    make_case(app, NOV)
    with app.test_request_context():
        assert len(schedule_daily(date(2026, 11, 3))) == 2
        commit()  # runs inline: retention (nothing due) and the refresh
        assert schedule_daily(date(2026, 11, 3)) == []
        snaps = db.session.scalars(select(OpenDataSnapshot)).all()
        assert len(snaps) == 1 and json.loads(snaps[0].catalog_json)["num_rows"] == 1
        statuses = db.session.execute(select(OutboxMessage.job, OutboxMessage.status).where(
            OutboxMessage.job.in_(("pdpa_retention", "opendata_refresh")))).all()
        assert sorted(statuses) == [("opendata_refresh", "done"), ("pdpa_retention", "done")]
