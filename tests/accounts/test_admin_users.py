"""Administrators manage staff accounts on pages; each change is in the administration log."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from app.accounts.models import User
from app.admin.models import AdminAudit
from app.common.models import utcnow
from app.extensions import db
from tests.accounts.helpers import login, make_user, post_form

NEW = {"username": "somchai.k", "full_name": "สมชาย ขยัน", "email": "somchai@industry.go.th", "role": "officer",
       "divisions": ["PIO-20", "PIO-21"], "active": "on",
       "password": "long-enough-pass", "password2": "long-enough-pass"}


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


@pytest.fixture
def check(app):
    """Database checks in their own app context: the ``ctx`` fixture would make every request share one ``g``
    (Flask-Login's user, the CSRF token) and so mix up the people these tests sign in as."""

    @contextmanager
    def opened():
        with app.app_context():
            yield
            db.session.remove()

    return opened


def test_create_user_then_sign_in(app, admin_client, check):
    r = post_form(admin_client, "/staff/admin/users/new", NEW)
    assert r.status_code == 303
    with check():
        user = _user("somchai.k")
        assert user.role == "officer" and user.division_codes == {"PIO-20", "PIO-21"} and user.active
        assert "long-enough-pass" not in user.password_hash and user.check_password("long-enough-pass")
        row = db.session.scalar(select(AdminAudit).where(AdminAudit.entity == "user"))
        assert (row.action, row.entity_key, row.actor_username) == ("create", "somchai.k", "admin")
        assert row.new_values["division_codes"] == ["PIO-20", "PIO-21"] and "pass" not in str(row.new_values)
    page = admin_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "บันทึกเรียบร้อยแล้ว" in page and 'role="status"' in page
    assert login(app.test_client(), "somchai.k", "long-enough-pass").status_code == 303


def test_create_user_checks_every_field_in_thai(admin_client, check):
    bad = {**NEW, "username": "A b", "email": "not-mail", "role": "king"}
    r = post_form(admin_client, "/staff/admin/users/new", bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'role="alert"' in html
    assert "ชื่อผู้ใช้ต้องเป็นตัวอักษรภาษาอังกฤษ" in html and "อีเมลไม่ถูกต้อง" in html and "ค่าต้องเป็นหนึ่งใน" in html
    assert 'id="e-username"' in html and 'aria-invalid="true"' in html
    assert "long-enough-pass" not in html  # a password is never echoed back
    with check():
        assert _user("A b") is None


def test_password_policy(admin_client, check):
    cases = {"short-pw": "อย่างน้อย 10 ตัวอักษร", "xx-somchai.k-xx": "ต้องไม่มีชื่อผู้ใช้",
             "aaaaaaaaaaaa": "ง่ายเกินไป"}
    for password, message in cases.items():
        r = post_form(admin_client, "/staff/admin/users/new", {**NEW, "password": password, "password2": password})
        assert r.status_code == 422 and message in r.get_data(as_text=True), password
    r = post_form(admin_client, "/staff/admin/users/new", {**NEW, "password2": "long-enough-pasS"})
    assert r.status_code == 422 and "ไม่ตรงกัน" in r.get_data(as_text=True)
    with check():
        assert _user("somchai.k") is None


def test_officer_needs_a_unit_and_names_are_unique(admin_client):
    r = post_form(admin_client, "/staff/admin/users/new", {**NEW, "divisions": []})
    assert r.status_code == 422 and "อย่างน้อยหนึ่งหน่วยงาน" in r.get_data(as_text=True)
    r = post_form(admin_client, "/staff/admin/users/new", {**NEW, "divisions": ["NOPE"]})
    assert r.status_code == 422 and "ไม่พบหน่วยงานนี้" in r.get_data(as_text=True)
    r = post_form(admin_client, "/staff/admin/users/new", {**NEW, "username": "officer"})
    assert r.status_code == 422 and "มีชื่อผู้ใช้นี้แล้ว" in r.get_data(as_text=True)


def test_edit_role_units_and_deactivate(app, admin_client, staff, check):
    uid = staff["agent"]
    r = post_form(admin_client, f"/staff/admin/users/{uid}", {"full_name": "ย้ายงาน", "role": "officer",
                                                              "divisions": ["DIW"]})  # "active" unticked
    assert r.status_code == 303
    with check():
        user = db.session.get(User, uid)
        assert (user.role, user.division_codes, user.active, user.full_name) == ("officer", {"DIW"}, False, "ย้ายงาน")
        row = db.session.scalar(select(AdminAudit).where(AdminAudit.action == "update"))
        assert {field for field, _, _ in row.changes()} == {"role", "division_codes", "active", "full_name"}
        assert row.old_values["role"] == "agent" and row.new_values["role"] == "officer"
    assert login(app.test_client(), "agent").status_code == 401  # deactivated


def test_an_edit_that_changes_nothing_is_not_logged(admin_client, staff, check):
    r = post_form(admin_client, f"/staff/admin/users/{staff['auditor']}",
                  {"full_name": "ทดสอบ auditor", "role": "auditor", "active": "on"})
    assert r.status_code == 303
    with check():
        assert db.session.scalar(select(AdminAudit)) is None


def test_admins_cannot_lock_themselves_out(admin_client, staff, check):
    uid = staff["admin"]
    for change in ({"role": "officer", "divisions": ["DIW"], "active": "on"}, {"role": "admin"}):
        r = post_form(admin_client, f"/staff/admin/users/{uid}", {"full_name": "x", **change})
        assert r.status_code == 422 and "ของตนเอง" in r.get_data(as_text=True)
    with check():
        assert db.session.get(User, uid).role == "admin" and db.session.get(User, uid).active


def test_the_last_admin_stays(app, admin_client, staff, check):
    from app.admin.users import update_user

    with check():
        other = make_user("admin2", "admin")
        other_id = other.id
    second = app.test_client()
    assert login(second, "admin2").status_code == 303
    r = post_form(second, f"/staff/admin/users/{staff['admin']}", {"full_name": "x", "role": "auditor",
                                                                   "active": "on"})
    assert r.status_code == 303  # another admin is left, so admin2 may demote admin
    with check():
        last, former = db.session.get(User, other_id), db.session.get(User, staff["admin"])
        with pytest.raises(ValidationError) as err:  # nobody is left to remove admin2 but admin2: refused anyway
            update_user(last, {"full_name": "x", "role": "agent", "active": True, "divisions": []}, former)
        assert "ผู้ดูแลระบบที่ใช้งานอยู่อย่างน้อยหนึ่งคน" in str(err.value.messages)


def test_reset_password_and_unlock(app, admin_client, staff, check):
    uid = staff["officer"]
    with check():
        user = db.session.get(User, uid)
        user.locked_until = utcnow() + timedelta(minutes=10)
        db.session.commit()
    assert login(app.test_client(), "officer").status_code == 401
    page = admin_client.get(f"/staff/admin/users/{uid}").get_data(as_text=True)
    assert "ถูกระงับชั่วคราว" in page and f"/staff/admin/users/{uid}/unlock" in page
    r = post_form(admin_client, f"/staff/admin/users/{uid}/password", {"password": "officer", "password2": "officer"})
    assert r.status_code == 422 and "อย่างน้อย 10 ตัวอักษร" in r.get_data(as_text=True)
    assert post_form(admin_client, f"/staff/admin/users/{uid}/unlock", {}).status_code == 303
    assert login(app.test_client(), "officer").status_code == 303
    r = post_form(admin_client, f"/staff/admin/users/{uid}/password",
                  {"password": "new-secret-42", "password2": "new-secret-42"})
    assert r.status_code == 303
    assert login(app.test_client(), "officer").status_code == 401
    assert login(app.test_client(), "officer", "new-secret-42").status_code == 303
    with check():
        actions = db.session.scalars(select(AdminAudit.action).order_by(AdminAudit.id)).all()
    assert actions == ["unlock", "reset_password"]


def test_user_list_filters_and_unknown_user(admin_client, staff):
    html = admin_client.get("/staff/admin/users?role=officer").get_data(as_text=True)
    assert ">officer<" in html and ">agent<" not in html
    html = admin_client.get("/staff/admin/users?q=AUDIT&page=abc").get_data(as_text=True)
    assert ">auditor<" in html and ">officer<" not in html
    assert admin_client.get("/staff/admin/users/999999").status_code == 404
