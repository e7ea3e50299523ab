"""An agent takes a call and files the complaint; a DIW officer works it to the end; the citizen sees the result.
Real browser (Debian Chromium), real pages, real sign-in with CSRF."""

import re

from app.accounts.seed import seed_demo_users
from app.extensions import db


def sign_in(page, base, username, password):
    page.goto(f"{base}/staff/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()


def test_agent_takes_a_call_and_officer_concludes_the_case(browser, live_server, app, tmp_path):
    with app.app_context():
        seed_demo_users()
        db.session.commit()
    password = app.config["DEMO_PASSWORD"]

    # the agent: a caller reports a smell from a factory in Bangkok and is transferred to DIW
    agent = browser.new_context(locale="th-TH").new_page()
    sign_in(agent, live_server, "agent", password)
    agent.goto(f"{live_server}/staff/console/")
    agent.get_by_label("หมายเลขโทรศัพท์ผู้โทร").fill("0812345678")
    agent.get_by_role("button", name="ค้นหา").click()
    assert "ยังไม่เคยแจ้งเรื่อง" in agent.content()
    form = agent.locator("#console-form")
    form.get_by_label("หมายเลขโทรศัพท์").fill("0812345678")
    form.get_by_label("ชื่อ-นามสกุล").fill("สมชาย ผู้โทร")
    form.get_by_label("รายละเอียด").fill("ผู้ร้องแจ้งว่าโรงงานย่านบางขุนเทียนปล่อยกลิ่นเหม็นไหม้ทุกคืน เวียนหัว")
    form.get_by_label("จังหวัด").select_option("10")
    form.get_by_label("โอนเรื่องไปยังหน่วยงาน").select_option("DIW")
    form.get_by_role("button", name="บันทึกเรื่องร้องเรียน").click()
    agent.wait_for_selector(".flash-ok")
    code = re.search(r"ID-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", agent.locator(".flash-ok").inner_text()).group(0)
    case_url = agent.url
    agent.screenshot(path=str(tmp_path / "agent.png"), full_page=True)

    # the DIW officer finds it in the queue by a Thai word and works it
    officer = browser.new_context(locale="th-TH").new_page()
    sign_in(officer, live_server, "officer", password)
    officer.goto(f"{live_server}/staff/cases/")
    officer.get_by_label("ค้นหา (ข้อความภาษาไทย หรือรหัสติดตาม)").fill("กลิ่นเหม็น")
    officer.get_by_role("button", name="แสดงผล").click()
    officer.get_by_role("link", name=code).click()
    assert officer.url == case_url

    def step(summary, button=None, public_note=None):
        officer.locator("details", has=officer.get_by_text(summary, exact=True)).locator("summary").click()
        box = officer.locator("details[open]")
        if public_note:
            box.get_by_label("ข้อความแจ้งผู้ร้อง (ผู้ร้องเห็น)").fill(public_note)
        box.get_by_role("button", name=button or summary).click()
        officer.wait_for_selector(".flash-ok")

    step("รับเรื่อง")
    step("เริ่มดำเนินการ")
    step("ยุติเรื่อง", public_note="ตรวจพบระบบดักกลิ่นชำรุด สั่งให้โรงงานแก้ไขภายใน 7 วัน และตรวจซ้ำแล้ว")
    assert "ยุติเรื่อง" in officer.locator(".status").inner_text()
    officer.screenshot(path=str(tmp_path / "officer.png"), full_page=True)

    # the citizen's tracking page tells the result, with no internal detail
    citizen = browser.new_context(locale="th-TH").new_page()
    citizen.goto(f"{live_server}/track/{code}")
    text = citizen.locator("main").inner_text()
    assert "ยุติเรื่อง" in text and "สั่งให้โรงงานแก้ไขภายใน 7 วัน" in text and "สมชาย" not in text
