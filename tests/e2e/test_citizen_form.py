"""A citizen fills the Thai form in a real browser, with the keyboard, and reads back the tracking code."""

import re

from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db


def test_citizen_files_a_complaint_and_tracks_it(browser, live_server, ctx, tmp_path):
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="th-TH")  # a phone
    page.goto(f"{live_server}/complaints/new")
    assert page.locator("html").get_attribute("lang") == "th"
    # fields are found by their Thai labels, as a screen reader would
    page.get_by_label("หัวข้อเรื่อง").fill("น้ำเสียจากโรงงานไหลลงคลอง")
    page.get_by_label("รายละเอียด").fill("โรงงานปล่อยน้ำเสียสีดำลงคลองทุกเช้า กลิ่นเหม็นมาก ปลาตายจำนวนมาก")
    page.get_by_label("จังหวัด").select_option("21")
    page.get_by_label("อำเภอ/เขต").fill("ปลวกแดง")
    page.get_by_label("ชื่อ-นามสกุล").fill("สมศรี ทดสอบ")
    page.get_by_label("หมายเลขโทรศัพท์").fill("0812345678")
    page.get_by_label("หมายเลขโทรศัพท์").press("Tab")
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    page.wait_for_selector("#tracking-code")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"ID-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    page.screenshot(path=str(tmp_path / "submitted.png"))
    assert db.session.scalar(select(Case.tracking_code)) == code

    page.get_by_role("link", name="ติดตามเรื่อง").last.click()
    page.wait_for_selector("ol.timeline li")
    assert code in page.content() and "รับเรื่องร้องเรียน" in page.content()
    assert re.search(r"พ\.?ศ\.?|25[6-9]\d", page.locator("ol.timeline").inner_text())


def test_errors_are_announced_and_linked(browser, live_server):
    page = browser.new_page(locale="th-TH")
    page.goto(f"{live_server}/complaints/new")
    page.get_by_label("รายละเอียด").fill("สั้น")
    page.get_by_role("button", name="ส่งเรื่องร้องเรียน").click()
    summary = page.get_by_role("alert")
    assert "กรุณาแก้ไขข้อมูล" in summary.inner_text()
    assert page.locator("#f-description").get_attribute("aria-invalid") == "true"
