"""Possible duplicates: suggested on intake (as an internal event) and on the case page; staff decide."""

from sqlalchemy import select

from app.cases.models import CaseEvent
from app.extensions import db

SMELL = "โรงงานหลอมพลาสติกปล่อยควันดำและกลิ่นเหม็นไหม้ทุกคืน ชาวบ้านแสบตาและไอ"
SMELL_AGAIN = "ควันดำและกลิ่นเหม็นไหม้จากโรงงานหลอมพลาสติกทุกคืน ลูกไอทั้งคืน"
OTHER = "ถนนหน้าหมู่บ้านเป็นหลุมเป็นบ่อ รถจักรยานยนต์ล้มบ่อยครั้ง"


def test_intake_notes_possible_duplicates_for_the_officer(client, staff, new_case, ctx):
    first = new_case(description=SMELL)
    second = new_case(description=SMELL_AGAIN)
    unrelated = new_case(description=OTHER, respondent={"name": "อบต.ตัวอย่าง"},
                         location={"province": "ลำปาง"})
    noted = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == second,
                                                      CaseEvent.kind == "duplicates_suggested"))
    assert noted is not None and not noted.public and noted.data["candidates"][0]["id"] == first
    assert db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == unrelated,
                                                     CaseEvent.kind == "duplicates_suggested")) is None
    body = client.get(f"/api/v1/cases/{first}", headers=staff["officer"]).get_json()
    assert [d["id"] for d in body["possible_duplicates"]] == [second]


def test_the_console_asks_before_filing(client, staff, new_case):
    first = new_case(description=SMELL)
    r = client.post("/api/v1/cases/similar", headers=staff["agent"],
                    json={"text": SMELL_AGAIN, "location": {"province": "ระยอง", "district": "ปลวกแดง"}})
    assert r.status_code == 200 and [c["id"] for c in r.get_json()["items"]] == [first]
    r = client.post("/api/v1/cases/similar", headers=staff["agent"],
                    json={"text": OTHER, "location": {"province": "ระยอง", "district": "ปลวกแดง"}})
    assert r.get_json()["items"] == []
