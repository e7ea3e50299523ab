"""Every role against every case-work endpoint: allowed, refused (403), unknown to it (404), or not signed in
(401). The table is the access policy in one place; a new endpoint under these paths must be added to it."""

import pytest

from tests.cases.conftest import ROLES

ALL = set(ROLES)
OFFICERS = {"officer", "officer2"}
#: (method, path, body) → roles allowed; the case is a DIW case, so ``officer2`` (Chonburi) gets 404 on it
MATRIX = [
    ("GET", "/api/v1/cases", None, ALL),
    ("GET", "/api/v1/cases/{id}", None, ALL - {"officer2"}),
    ("POST", "/api/v1/cases/{id}/actions", {"action": "note", "note": "ทดสอบสิทธิ์"},
     {"agent", "officer", "supervisor", "admin"}),
    ("POST", "/api/v1/cases/{id}/complainant", {"reason": "ทดสอบสิทธิ์"}, {"agent", "officer", "supervisor"}),
    ("POST", "/api/v1/cases/similar", {"text": "โรงงานปล่อยกลิ่นเหม็น"}, {"agent", "officer", "officer2",
                                                                        "supervisor", "admin"}),
    ("POST", "/api/v1/cases/{id}/feedback", {"score": 4}, {"agent", "supervisor"}),
    ("GET", "/api/v1/console/caller?phone=0812345678", None, {"agent", "supervisor", "admin"}),
    ("POST", "/api/v1/console/calls", {"question": "ถามเวลาทำการ", "answer": "08:30-16:30 น."},
     {"agent", "supervisor", "admin"}),
]
#: where a role that may not see the case gets 404 rather than 403 (ids must not leak)
HIDES_CASE = {"/api/v1/cases/{id}", "/api/v1/cases/{id}/actions", "/api/v1/cases/{id}/complainant"}


@pytest.mark.parametrize("method,path,body,allowed", MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_role_matrix(client, staff, new_case, method, path, body, allowed):
    case_id = new_case("DIW")
    url = path.format(id=case_id)
    anonymous = client.open(url, method=method, json=body)
    assert anonymous.status_code == 401, url
    for role in ROLES:
        r = client.open(url, method=method, json=body, headers=staff[role])
        if role in allowed:  # let through; the step itself may still be refused for the case's state (409)
            assert r.status_code in (200, 201, 409), (role, url, r.get_json())
        elif role == "officer2" and path in HIDES_CASE:
            assert r.status_code == 404, (role, url, r.status_code)
        else:
            assert r.status_code == 403, (role, url, r.status_code)


def test_the_matrix_covers_every_case_work_endpoint(app):
    covered = {path.split("?")[0].replace("{id}", "<int:case_id>") for _, path, *_ in MATRIX}
    routes = {r.rule for r in app.url_map.iter_rules()
              if r.rule.startswith(("/api/v1/cases", "/api/v1/console"))}
    assert routes - covered == set(), "add the new endpoint to MATRIX"


PAGES = [("/staff/cases/", {"agent", "officer", "officer2", "supervisor", "admin", "auditor"}),
         ("/staff/cases/{id}", {"agent", "officer", "supervisor", "admin", "auditor"}),
         ("/staff/console/", {"agent", "supervisor", "admin"})]


@pytest.mark.parametrize("path,allowed", PAGES)
def test_pages_by_role(client, staff, new_case, app, path, allowed):
    from tests.accounts.helpers import login

    case_id = new_case("DIW")
    url = path.format(id=case_id)
    r = client.get(url)
    assert r.status_code == 302 and "/staff/login" in r.headers["Location"]
    for role in ROLES:
        client.post("/staff/logout")
        with client.session_transaction() as sess:
            sess.clear()
        assert login(client, role, app.config["DEMO_PASSWORD"]).status_code in (302, 303)
        status = client.get(url).status_code
        expected = 200 if role in allowed else (404 if role == "officer2" and "{id}" in path else 403)
        assert status == expected, (role, url, status)
