"""Division queues: each unit sees its own cases, nearest deadline first, filtered, searchable in Thai."""

from sqlalchemy import select

from app.cases.models import CaseSearchTerm
from app.cases.search import terms
from app.extensions import db
from tests.accounts.helpers import login
from tests.cases.conftest import get_case

SMELL = "โรงงานปล่อยกลิ่นเหม็นคล้ายยางไหม้ทุกคืน ชาวบ้านหายใจไม่ออก"
NOISE = "เครื่องจักรในโรงงานเสียงดังมากตลอดทั้งคืน เด็กนอนไม่หลับ"
DUST = "ฝุ่นจากโรงโม่หินฟุ้งกระจายเข้าบ้านเรือน ผ้าที่ตากไว้สกปรกหมด"


def ids(resp):
    assert resp.status_code == 200, resp.get_json()
    return [i["id"] for i in resp.get_json()["items"]]


def test_terms_cut_thai_words_and_drop_stopwords():
    words = terms("โรงงานปล่อยกลิ่นเหม็นที่ อ.ปลวกแดง และ Factory")
    assert {"โรงงาน", "กลิ่น", "เหม็น", "factory"} <= set(words)
    assert "ที่" not in words and "และ" not in words


def test_each_officer_sees_only_their_units_cases(client, staff, new_case):
    diw, chonburi = new_case("DIW"), new_case("PIO-20")
    assert set(ids(client.get("/api/v1/cases", headers=staff["officer"]))) == {diw}
    assert set(ids(client.get("/api/v1/cases", headers=staff["officer2"]))) == {chonburi}
    assert set(ids(client.get("/api/v1/cases", headers=staff["supervisor"]))) == {diw, chonburi}
    # another unit's case is "not found", not "forbidden", so ids do not leak
    for path in (f"/api/v1/cases/{chonburi}", f"/staff/cases/{chonburi}"):
        assert client.get(path, headers=staff["officer"]).status_code == 404
    r = client.post(f"/api/v1/cases/{chonburi}/actions", headers=staff["officer"], json={"action": "start"})
    assert r.status_code == 404


def test_thai_search_finds_words_inside_unspaced_text(client, staff, new_case):
    smell = new_case(description=SMELL, subject="เรื่องกลิ่น")
    noise = new_case(description=NOISE, subject="เรื่องเสียง")
    dust = new_case(description=DUST, subject="เรื่องฝุ่น")
    h = staff["supervisor"]
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"q": "กลิ่นเหม็น"})) == [smell]
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"q": "เสียงดัง"})) == [noise]
    assert set(ids(client.get("/api/v1/cases", headers=h, query_string={"q": "โรงงาน"}))) == {smell, noise}
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"q": "โรงโม่ ฝุ่น"})) == [dust]
    # the last word may still be being typed
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"q": "ยางไห"})) == [smell]
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"q": "ทองคำ"})) == []
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"q": "%"})) == []


def test_search_by_tracking_code_however_it_is_typed(client, staff, new_case, ctx):
    case_id = new_case()
    code = get_case(case_id).tracking_code
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert ids(client.get("/api/v1/cases", headers=staff["supervisor"], query_string={"q": typed})) == [case_id]


def test_the_index_is_written_with_the_case(new_case, ctx):
    case_id = new_case(description=SMELL)
    indexed = set(db.session.scalars(select(CaseSearchTerm.term).where(CaseSearchTerm.case_id == case_id)))
    assert {"กลิ่น", "เหม็น", "ยาง"} <= indexed


def test_filters_and_deadline_order(client, staff, new_case, ctx):
    from datetime import UTC, datetime, timedelta

    from app.sla.models import Deadline

    first, second = new_case(), new_case()
    # make the second case's resolution due earlier: it must come first
    d = db.session.scalar(select(Deadline).where(Deadline.case_id == second, Deadline.kind == "resolve"))
    d.due_at = datetime.now(UTC) - timedelta(days=1)
    db.session.commit()
    h = staff["officer"]
    assert ids(client.get("/api/v1/cases", headers=h)) == [second, first]
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"overdue": "true"})) == [second]
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"overdue": "false"})) == [first]
    client.post(f"/api/v1/cases/{first}/actions", headers=h, json={"action": "start"})
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"status": "in_progress"})) == [first]
    assert ids(client.get("/api/v1/cases", headers=h, query_string={"division": "PIO-20"})) == []
    page = client.get("/api/v1/cases", headers=h, query_string={"per_page": 1, "page": 2}).get_json()
    assert page["total"] == 2 and page["page"] == 2 and [i["id"] for i in page["items"]] == [first]
    assert client.get("/api/v1/cases", headers=h, query_string={"per_page": 1000}).status_code == 422


def test_queue_page_lists_and_searches(client, staff, new_case, app):
    new_case(description=SMELL, subject="เรื่องกลิ่น")
    new_case(description=NOISE, subject="เรื่องเสียง")
    assert login(client, "officer", app.config["DEMO_PASSWORD"]).status_code in (302, 303)
    page = client.get("/staff/cases/", query_string={"q": "กลิ่น"}).get_data(as_text=True)
    assert "เรื่องกลิ่น" in page and "เรื่องเสียง" not in page

