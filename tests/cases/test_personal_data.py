"""Personal data on cases: masked by default, revealed only to roles that need it, always logged; the
anti-corruption centre's cases hide the complainant from everyone outside that centre."""

from sqlalchemy import select

from app.accounts.models import User
from app.cases.models import CaseEvent
from app.extensions import db
from app.routing.models import Division

REASON = {"reason": "โทรกลับเพื่อนัดตรวจสถานที่"}


def test_staff_views_show_the_complainant_masked(client, staff, new_case):
    case_id = new_case()
    body = client.get(f"/api/v1/cases/{case_id}", headers=staff["officer"]).get_json()
    text = str(body)
    assert "0812345678" not in text and "+66812345678" not in text and "1101700230708" not in text
    assert "somying@example.com" not in text and "สมหญิง" not in text
    assert body["complainant"]["phone"].endswith("5678") and body["complainant"]["name"].startswith("ส")


def test_reveal_needs_a_reason_and_is_an_event(client, staff, new_case, ctx):
    case_id = new_case()
    url = f"/api/v1/cases/{case_id}/complainant"
    assert client.post(url, headers=staff["officer"], json={}).status_code == 422
    r = client.post(url, headers=staff["officer"], json=REASON)
    assert r.status_code == 200 and r.get_json()["phone"] == "+66812345678"
    seen = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                      CaseEvent.kind == "personal_data_viewed")).all()
    assert len(seen) == 1 and not seen[0].public and seen[0].data["reason"] == REASON["reason"]
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    assert seen[0].actor_id == officer.id


def test_who_may_reveal(client, staff, new_case, ctx):
    case_id = new_case()
    url = f"/api/v1/cases/{case_id}/complainant"
    expected = {"agent": 200, "officer": 200, "supervisor": 200, "officer2": 404, "auditor": 403, "admin": 403}
    for name, status in expected.items():
        assert client.post(url, headers=staff[name], json=REASON).status_code == status, name


def test_anti_corruption_cases_hide_the_complainant_from_everyone_else(client, staff, new_case, ctx):
    case_id = new_case("ACC")
    acc_officer = db.session.scalar(select(User).where(User.username == "officer2"))
    url = f"/api/v1/cases/{case_id}/complainant"
    for name in ("agent", "supervisor", "officer"):
        assert client.post(url, headers=staff[name], json=REASON).status_code in (403, 404), name
    body = client.get(f"/api/v1/cases/{case_id}", headers=staff["supervisor"]).get_json()
    assert body["complainant"] == {"restricted": True}
    # a member of the centre may see the person
    acc_officer.divisions = [db.session.get(Division, "ACC")]
    db.session.commit()
    assert client.post(url, headers=staff["officer2"], json=REASON).status_code == 200
    # and the phone lookup does not tell an agent that this caller complained about an official
    r = client.get("/api/v1/console/caller", headers=staff["agent"], query_string={"phone": "0812345678"})
    assert case_id not in [c["id"] for c in r.get_json()["cases"]]


def test_the_public_tracking_view_never_carries_personal_data(client, staff, new_case, ctx):
    from app.cases.models import Case

    case_id = new_case()
    code = db.session.get(Case, case_id).tracking_code
    text = client.get(f"/api/v1/complaints/{code}").get_data(as_text=True)
    assert "สมหญิง" not in text and "5678" not in text and "somying" not in text
