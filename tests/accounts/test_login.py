"""Staff sign-in and sign-out: Thai accessible form, generic failures, lockout, rate limit, safe redirects."""

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.accounts.helpers import PASSWORD, csrf_token, login, make_user

FAILED = "เข้าสู่ระบบไม่สำเร็จ"


def test_login_page_is_thai_labelled_and_protected(client):
    r = client.get("/staff/login")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and '<html lang="th">' in html and "เข้าสู่ระบบสำหรับเจ้าหน้าที่" in html
    for field in ("username", "password"):
        assert f'for="f-{field}"' in html and f'id="f-{field}"' in html
    assert 'autocomplete="current-password"' in html and 'name="csrf_token"' in html


@pytest.mark.parametrize(("role", "landing"), [("admin", "/staff/admin/"), ("auditor", None), ("officer", None),
                                               ("agent", None), ("supervisor", None)])
def test_success_lands_on_the_role_page(app, client, staff, role, landing):
    from app.accounts.pages import LANDING

    r = login(client, role)
    assert r.status_code == 303
    expected = next((app.url_map.bind("localhost").build(ep) for ep in LANDING[role] if ep in app.view_functions), "/")
    assert r.headers["Location"] == (landing or expected)
    assert client.get(r.headers["Location"]).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(client, staff):
    wrong = login(client, "officer", "not-the-password")
    unknown = login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    for r in (wrong, unknown):
        html = r.get_data(as_text=True)
        assert FAILED in html and 'role="alert"' in html and PASSWORD not in html


def test_empty_fields_are_named(client):
    r = client.post("/staff/login", data={"username": " ", "password": "", "csrf_token": csrf_token(client)})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "กรุณากรอกชื่อผู้ใช้" in html and "กรุณากรอกรหัสผ่าน" in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_lockout_after_five_failures_then_unlock(app, client, staff, ctx):
    for _ in range(5):
        assert login(client, "officer", "wrong-password!").status_code == 401
    locked = login(client, "officer")  # the right password is refused while locked, with the same message
    assert locked.status_code == 401 and FAILED in locked.get_data(as_text=True)
    api = client.post("/api/v1/auth/token", json={"username": "officer", "password": PASSWORD})
    assert api.status_code == 401  # the API shares the lockout
    user = db.session.scalar(select(User).where(User.username == "officer"))
    assert user.locked_until is not None
    user.locked_until = None
    db.session.commit()
    assert login(client, "officer").status_code == 303


def test_inactive_user_cannot_sign_in(app, client, ctx):
    make_user("gone", "officer", ["DIW"], active=False)
    assert login(client, "gone").status_code == 401


def test_login_is_rate_limited_per_address(limited_app, staff):
    c = limited_app.test_client()
    codes = [login(c, "officer", "wrong-password!").status_code for _ in range(3)]
    r = login(c, "officer")  # even the right password: the address is over its limit
    assert codes == [401, 401, 401] and r.status_code == 429
    assert "ส่งคำขอถี่เกินไป" in r.get_data(as_text=True) and r.headers.get("Retry-After")


def test_csrf_is_required_to_sign_in_and_out(client, staff):
    r = client.post("/staff/login", data={"username": "admin", "password": PASSWORD})
    assert r.status_code == 400 and "แบบฟอร์มหมดอายุ" in r.get_data(as_text=True)
    assert login(client, "admin").status_code == 303
    assert client.post("/staff/logout").status_code == 400  # no token: still signed in
    assert client.get("/staff/admin/").status_code == 200


def test_logout_ends_the_session(client, staff):
    login(client, "admin")
    token = csrf_token(client, "/staff/admin/")
    assert client.get("/staff/logout").status_code == 405  # a link or an image cannot sign anyone out
    r = client.post("/staff/logout", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"] == "/staff/login"
    assert "ออกจากระบบเรียบร้อยแล้ว" in client.get("/staff/login").get_data(as_text=True)
    after = client.get("/staff/admin/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/staff/login")


def test_next_goes_to_a_local_page(client, staff):
    r = login(client, "admin", next_url="/staff/admin/rules?x=1")
    assert r.status_code == 303 and r.headers["Location"] == "/staff/admin/rules?x=1"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "\\\\evil.example", "javascript:alert(1)", "http:/evil.example", "staff/admin",
                                    "/x\r\nLocation: https://evil.example", "///evil.example"])
def test_no_open_redirect(client, staff, target):
    r = login(client, "admin", next_url=target)
    assert r.status_code == 303 and r.headers["Location"] == "/staff/admin/"
    page = client.get("/staff/login", query_string={"next": target})  # signed in already: straight on
    assert page.status_code == 302 and page.headers["Location"] == "/staff/admin/"


def test_signing_in_starts_a_new_session(app, client, staff):
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    login(client, "admin")
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess["_user_id"] == str(staff["admin"])
