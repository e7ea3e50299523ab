"""Units, categories and routing rules are edited on pages, take effect at once, and are logged."""

import re

import pytest
from sqlalchemy import select

from app.admin.models import AdminAudit
from app.extensions import db
from app.routing.models import Category, Division, RoutingRule
from app.routing.services import division_name, match_rule
from tests.accounts.helpers import post_form

pytestmark = pytest.mark.usefixtures("keep_reference")

UNIT = {"code": "PIO-TEST", "name_th": "หน่วยทดสอบ", "name_en": "Test unit", "kind": "centre",
        "email": "unit@industry.go.th", "active": "on"}
RULE = {"name": "pollution-rayong-to-diw", "category_code": "FACTORY_POLLUTION", "province_code": "21",
        "division": "DIW", "joint_divisions": ["PIO"], "priority": "50", "active": "on"}


def _rule_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(RoutingRule.id).where(RoutingRule.name == name))


def test_create_and_edit_a_unit(app, admin_client):
    r = post_form(admin_client, "/staff/admin/units/new", UNIT)
    assert r.status_code == 303 and r.headers["Location"] == "/staff/admin/units/PIO-TEST"
    r = post_form(admin_client, "/staff/admin/units/PIO-TEST", {**UNIT, "code": "CHANGED", "name_th": "ชื่อใหม่",
                                                                 "restricted": "on"})
    assert r.status_code == 303
    with app.app_context():
        unit = db.session.get(Division, "PIO-TEST")
        assert (unit.name_th, unit.restricted, unit.kind) == ("ชื่อใหม่", True, "centre")
        assert db.session.get(Division, "CHANGED") is None  # a code is set once
        rows = db.session.scalars(select(AdminAudit).order_by(AdminAudit.id)).all()
        assert [(r.entity, r.action) for r in rows] == [("division", "create"), ("division", "update")]
        assert {f for f, _, _ in rows[1].changes()} == {"name_th", "restricted"}


def test_unit_form_errors_are_thai(admin_client):
    r = post_form(admin_client, "/staff/admin/units/new", {**UNIT, "code": "bad code", "province_code": "99",
                                                           "email": "x", "kind": "palace", "name_en": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    for message in ("รหัสต้องเป็นตัวอักษรภาษาอังกฤษ", "ไม่พบจังหวัดนี้", "อีเมลไม่ถูกต้อง", "ค่าต้องเป็นหนึ่งใน",
                    "กรุณากรอกข้อมูลช่องนี้"):
        assert message in html, message
    r = post_form(admin_client, "/staff/admin/units/new", {**UNIT, "code": "DIW"})
    assert r.status_code == 422 and "มีรหัสนี้แล้ว" in r.get_data(as_text=True)


def test_renaming_a_unit_shows_at_once(app, admin_client):
    with app.test_request_context():
        assert division_name("TISI") == "สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม"  # now cached for a minute
    r = post_form(admin_client, "/staff/admin/units/TISI", {"name_th": "สมอ. ชื่อใหม่", "name_en": "TISI",
                                                            "kind": "department", "active": "on"})
    assert r.status_code == 303
    with app.test_request_context():
        assert division_name("TISI") == "สมอ. ชื่อใหม่"


def test_a_unit_that_rules_send_cases_to_cannot_be_switched_off(app, admin_client):
    r = post_form(admin_client, "/staff/admin/units/TISI", {"name_th": "ส", "name_en": "T", "kind": "department"})
    assert r.status_code == 422 and "product-standard" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Division, "TISI").active


def test_create_and_edit_a_category(app, admin_client):
    new = {"code": "ENERGY_SAVING", "name_th": "การประหยัดพลังงาน", "name_en": "Energy saving", "active": "on",
           "in_remit": "on"}
    assert post_form(admin_client, "/staff/admin/categories/new", new).status_code == 303
    r = post_form(admin_client, "/staff/admin/categories/ENERGY_SAVING", {**new, "in_remit": ""})
    assert r.status_code == 303
    with app.app_context():
        category = db.session.get(Category, "ENERGY_SAVING")
        assert category.name_th == "การประหยัดพลังงาน" and not category.in_remit
    r = post_form(admin_client, "/staff/admin/categories/new", {**new, "code": "MINING"})
    assert r.status_code == 422 and "มีรหัสนี้แล้ว" in r.get_data(as_text=True)


def test_a_new_rule_routes_the_next_case(app, admin_client):
    with app.app_context():
        assert match_rule("FACTORY_POLLUTION", "21", None)[1] == "PIO-21"
    assert post_form(admin_client, "/staff/admin/rules/new", RULE).status_code == 303
    with app.app_context():
        rule, lead, joint = match_rule("FACTORY_POLLUTION", "21", None)
        assert (rule.name, lead, joint) == ("pollution-rayong-to-diw", "DIW", ["PIO-21"])
    page = admin_client.get("/staff/admin/rules?try_category=FACTORY_POLLUTION&try_province=21")
    assert "pollution-rayong-to-diw" in page.get_data(as_text=True) and 'role="status"' in page.get_data(as_text=True)


def test_editing_a_rule_takes_effect_at_once(app, admin_client):
    rule_id = _rule_id(app, "product-standard")
    r = post_form(admin_client, f"/staff/admin/rules/{rule_id}", {"category_code": "PRODUCT_STANDARD",
                                                                  "division": "DIW", "joint_divisions": ["TISI"],
                                                                  "priority": "100", "active": "on"})
    assert r.status_code == 303
    with app.app_context():
        assert match_rule("PRODUCT_STANDARD", None, None)[1:] == ("DIW", ["TISI"])
    post_form(admin_client, f"/staff/admin/rules/{rule_id}", {"category_code": "PRODUCT_STANDARD",
                                                              "division": "TISI", "priority": "100"})  # switched off
    with app.app_context():
        assert match_rule("PRODUCT_STANDARD", None, None)[0] is None
        row = db.session.scalars(select(AdminAudit).where(AdminAudit.entity == "routing_rule")
                                 .order_by(AdminAudit.id)).all()[0]
        assert row.entity_key == "product-standard" and row.actor_username == "admin"
        assert (row.old_values["division"], row.new_values["division"]) == ("TISI", "DIW")


@pytest.mark.parametrize(("change", "message"), [
    ({"division": "NOPE"}, "ไม่พบหน่วยงานนี้"),
    ({"joint_divisions": ["DIW"]}, "หน่วยงานหลักต้องไม่อยู่ในรายชื่อหน่วยงานร่วม"),
    ({"province_code": "10", "division": "PIO", "joint_divisions": []}, "กรุงเทพมหานครไม่มีสำนักงานอุตสาหกรรมจังหวัด"),
    ({"category_code": "NOPE"}, "ไม่พบประเภทเรื่องนี้"),
    ({"priority": "x"}, "รูปแบบข้อมูลไม่ถูกต้อง"),
    ({"priority": "-1"}, "ค่าต้องอยู่ระหว่าง 0 ถึง 10000"),
    ({"name": "Bad Name"}, "ชื่อกฎต้องเป็นตัวอักษรภาษาอังกฤษ"),
    ({"name": "mining"}, "มีกฎชื่อนี้แล้ว"),
    ({"category_code": "MINING", "province_code": "", "priority": "100"}, "มีเงื่อนไขและลำดับความสำคัญเดียวกัน"),
])
def test_rule_form_refuses_bad_rules(app, admin_client, change, message):
    r = post_form(admin_client, "/staff/admin/rules/new", {**RULE, **change})
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AdminAudit)) is None


def test_the_log_shows_who_changed_the_routing(admin_client):
    post_form(admin_client, "/staff/admin/rules/new", RULE)
    table = admin_client.get("/staff/admin/audit?entity=routing_rule").get_data(as_text=True).split("<table", 1)[1]
    assert "pollution-rayong-to-diw" in table and 'data-label="ผู้แก้ไข">admin' in table
    assert "เพิ่ม กฎการส่งต่อ" in table and "<ins>DIW</ins>" in table
    assert re.search(r"25[6-9]\d เวลา", table)  # Buddhist-era date
    empty = admin_client.get("/staff/admin/audit?entity=category").get_data(as_text=True)
    assert "pollution-rayong-to-diw" not in empty and "ไม่มีรายการ" in empty
    assert "pollution-rayong-to-diw" in admin_client.get("/staff/admin/").get_data(as_text=True)
