"""The summary API and the supervisors' page: roles, figures, validation; the calendar editing API."""

from datetime import date

from app.extensions import db
from app.sla.models import CalendarDay
from tests.sla.conftest import bkk, file_case, step

MON = bkk(2026, 11, 16, 10, 0)


def token(client, app, username: str) -> dict:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": app.config["DEMO_PASSWORD"]})
    assert r.status_code == 201, r.get_json()
    return {"Authorization": f"Bearer {r.get_json()['token']}"}


def test_summary_figures_by_unit_category_channel_and_age(app, client, users):
    on_time = file_case(MON)
    file_case(MON)
    file_case(MON, division="PIO-20")
    step(on_time, "start")
    step(on_time, "conclude", public_note="ยุติเรื่อง")
    resolve = next(d for d in on_time.deadlines if d.kind == "resolve")
    expected = 1.0 if resolve.met_at <= resolve.due_at else 0.0
    db.session.remove()
    r = client.get("/api/v1/sla/summary?from=2026-11-01&to=2026-11-30", headers=token(client, app, "supervisor"))
    assert r.status_code == 200, r.get_json()
    s = r.get_json()
    assert s["totals"]["received"] == 3 and s["totals"]["decided"] == 1 and s["totals"]["open"] == 2
    units = {u["code"]: u for u in s["by_unit"]}
    assert units["DIW"]["received"] == 2 and units["PIO-20"]["received"] == 1
    assert units["DIW"]["on_time_rate"] == expected and units["PIO-20"]["on_time_rate"] is None
    assert {c["code"] for c in s["by_channel"]} == {"letter"}
    assert sum(b["open"] for b in s["backlog"]) == 2
    one = client.get("/api/v1/sla/summary?from=2026-11-01&to=2026-11-30&division=PIO-20",
                     headers=token(client, app, "auditor")).get_json()
    assert one["totals"]["received"] == 1 and [u["code"] for u in one["by_unit"]] == ["PIO-20"]
    none = client.get("/api/v1/sla/summary?from=2025-01-01&to=2025-03-31",
                      headers=token(client, app, "admin")).get_json()
    assert none["totals"]["received"] == 0 and none["totals"]["on_time_rate"] is None


def test_summary_roles_and_validation(app, client, users):
    assert client.get("/api/v1/sla/summary").status_code == 401
    assert client.get("/api/v1/sla/summary", headers=token(client, app, "officer")).status_code == 403
    sup = token(client, app, "supervisor")
    bad = client.get("/api/v1/sla/summary?from=2026-13-01", headers=sup)
    assert bad.status_code == 422 and "วันที่ไม่ถูกต้อง" in bad.get_json()["error"]["fields"]["from"][0]
    en = client.get("/api/v1/sla/summary?from=2026-12-01&to=2026-11-01",
                    headers={**sup, "Accept-Language": "en"})
    assert en.status_code == 422 and "after" in en.get_json()["error"]["fields"]["from"][0]
    long = client.get("/api/v1/sla/summary?from=2020-01-01&to=2026-01-01", headers=sup)
    assert long.status_code == 422
    unknown = client.get("/api/v1/sla/summary?division=NOPE", headers=sup)
    assert unknown.status_code == 422 and "division" in unknown.get_json()["error"]["fields"]


def test_dashboard_page_draws_svg_charts_in_thai(app, client, users):
    file_case(MON)
    sup = token(client, app, "supervisor")
    r = client.get("/staff/sla?from=2026-11-01&to=2026-11-30", headers=sup)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count("<svg") == 4 and "แดชบอร์ดระยะเวลาให้บริการ" in html and "<script" not in html
    assert "กรมโรงงานอุตสาหกรรม" in html
    assert client.get("/staff/sla", headers=token(client, app, "auditor")).status_code == 403
    assert client.get("/staff/sla?from=bad", headers=sup).status_code == 422
    en = client.get("/staff/sla?lang=en&from=2026-11-01&to=2026-11-30", headers=sup).get_data(as_text=True)
    assert "Service-level dashboard" in en


def test_calendar_api_adds_lists_and_removes_extra_days(app, client, users):
    adm, sup = token(client, app, "admin"), token(client, app, "supervisor")
    body = {"day": "2026-12-29", "kind": "closed", "name": "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ"}
    assert client.post("/api/v1/sla/calendar", json=body, headers=sup).status_code == 403
    r = client.post("/api/v1/sla/calendar", json=body, headers=adm)
    assert r.status_code == 201 and r.get_json()["recompute_job"]
    assert client.post("/api/v1/sla/calendar", json=body, headers=adm).status_code == 409
    bad = client.post("/api/v1/sla/calendar", json={**body, "kind": "holiday"}, headers=adm)
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]["fields"]
    year = client.get("/api/v1/sla/calendar?year=2026", headers=sup).get_json()
    assert {"day": "2026-12-29", "kind": "closed", "name": body["name"]} in year["extra"]
    assert any(h["day"] == "2026-04-13" for h in year["holidays"])  # Songkran, from the library
    assert client.delete("/api/v1/sla/calendar/2026-12-29", headers=adm).status_code == 200
    assert db.session.get(CalendarDay, date(2026, 12, 29)) is None
    assert client.delete("/api/v1/sla/calendar/2026-12-29", headers=adm).status_code == 404
    assert client.delete("/api/v1/sla/calendar/not-a-day", headers=adm).status_code == 422


def test_hours_api_validates_and_sets_a_units_hours(app, client, users):
    adm = token(client, app, "admin")
    ok = client.put("/api/v1/sla/hours/PIO-20", json={"opens": "08:00", "closes": "16:00",
                                                      "breaks": [["12:00", "13:00"]]}, headers=adm)
    assert ok.status_code == 200 and ok.get_json()["closes"] == "16:00"
    wrong = client.put("/api/v1/sla/hours/PIO-20", json={"opens": "17:00", "closes": "08:00"}, headers=adm)
    assert wrong.status_code == 422
    assert client.put("/api/v1/sla/hours/PIO-20", json={"opens": "8", "closes": "16:00"}, headers=adm) \
        .status_code == 422
    assert client.put("/api/v1/sla/hours/NOPE", json={"opens": "08:00", "closes": "16:00"}, headers=adm) \
        .status_code == 422


def test_seed_loads_the_calendar_file_idempotently(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        from app.sla.models import UnitHours

        assert db.session.get(UnitHours, "*").opens == "08:30"
        assert db.session.get(UnitHours, "TRIAGE").breaks == []
