"""Every administration page is for administrators only: other roles get 403, signed-out people the sign-in page.
Every form on these pages (and sign-out) needs a CSRF token."""

import pytest
from sqlalchemy import func, select

from app.admin.models import AdminAudit
from app.extensions import db
from app.routing.models import RoutingRule
from tests.accounts.helpers import login

REFUSED_ROLES = ("agent", "officer", "supervisor", "auditor")


def _admin_urls(app, staff, method: str) -> list[str]:
    """Every ``admin.*`` URL for ``method``, with real ids filled in (so no route is forgotten)."""
    with app.app_context():
        rule_id = db.session.scalar(select(func.min(RoutingRule.id)))
    args = {"user_id": staff["officer"], "code": "DIW", "rule_id": rule_id}
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and method in rule.methods:
            values = {a: args[a] for a in rule.arguments}
            if rule.endpoint == "admin.category_edit":
                values["code"] = "MINING"
            urls.append(adapter.build(rule.endpoint, values))
    return sorted(urls)


def test_every_admin_page_is_listed(app, staff):
    urls = _admin_urls(app, staff, "GET")
    assert {"/staff/admin/", "/staff/admin/users", "/staff/admin/units", "/staff/admin/categories",
            "/staff/admin/rules", "/staff/admin/audit"} <= set(urls) and len(urls) >= 12


def test_admin_may_open_every_page(app, staff):
    client = app.test_client()
    login(client, "admin")
    for url in _admin_urls(app, staff, "GET"):
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.get_data(as_text=True)
        assert '<html lang="th">' in html and 'name="viewport"' in html, url
    english = client.get("/staff/admin/rules?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Routing rules" in english and "Try the rules" in english


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_are_refused(app, staff, role):
    client = app.test_client()
    assert login(client, role).status_code == 303
    for method in ("GET", "POST"):
        for url in _admin_urls(app, staff, method):
            r = client.open(url, method=method, data={})
            assert r.status_code in (403, 400), (method, url, r.status_code)
            if method == "GET":
                assert r.status_code == 403 and "ท่านไม่มีสิทธิ์" in r.get_data(as_text=True), url


def test_other_roles_are_refused_even_with_a_valid_form(app, staff):
    from tests.accounts.helpers import csrf_token

    client = app.test_client()
    login(client, "supervisor")
    token = csrf_token(client, "/complaints/new")  # a valid token from a page this user may open
    r = client.post("/staff/admin/categories/new", data={"csrf_token": token, "code": "X_NEW", "name_th": "ก",
                                                         "name_en": "x", "active": "on"})
    assert r.status_code == 403


def test_signed_out_people_are_sent_to_sign_in(app, staff, client):
    for url in _admin_urls(app, staff, "GET"):
        r = client.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/staff/login?next=/staff/admin"), url


def test_every_form_needs_a_csrf_token(app, staff):
    client = app.test_client()
    login(client, "admin")
    posts = _admin_urls(app, staff, "POST")
    assert len(posts) >= 9
    for url in posts + ["/staff/logout"]:
        r = client.post(url, data={"name_th": "ไม่ควรบันทึก", "name_en": "x", "kind": "department",
                                   "password": "a-brand-new-secret", "password2": "a-brand-new-secret"})
        assert r.status_code == 400 and "แบบฟอร์มหมดอายุ" in r.get_data(as_text=True), url
    with app.app_context():
        assert db.session.scalar(select(func.count(AdminAudit.id))) == 0  # nothing was changed
    assert client.get("/staff/admin/").status_code == 200  # and the sign-out did not happen either
