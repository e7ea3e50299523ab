"""``flask users``: the first administrator of a production system, and a way back in."""

from sqlalchemy import select

from app.accounts.models import User
from app.admin.models import AdminAudit
from app.extensions import db
from tests.accounts.helpers import login


def test_create_the_first_admin_and_sign_in(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "boss"], input="boss-boss-boss\nboss-boss-boss\n")
    assert weak.exit_code != 0 and "ชื่อผู้ใช้" in weak.output
    ok = runner.invoke(args=["users", "create", "boss", "--full-name", "หัวหน้า"], input="Str0ng-enough\nStr0ng-enough\n")
    assert ok.exit_code == 0, ok.output
    assert login(app.test_client(), "boss", "Str0ng-enough").headers["Location"] == "/staff/admin/"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "boss"))
        assert user.role == "admin" and user.full_name == "หัวหน้า"
        row = db.session.scalar(select(AdminAudit))
        assert (row.actor_username, row.action, row.entity_key) == ("system", "create", "boss")


def test_set_password_from_the_command_line(app, staff):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "set-password", "nobody"], input="Str0ng-enough\nStr0ng-enough\n").exit_code
    r = runner.invoke(args=["users", "set-password", "admin"], input="Str0ng-enough\nStr0ng-enough\n")
    assert r.exit_code == 0, r.output
    assert login(app.test_client(), "admin", "Str0ng-enough").status_code == 303
    officer = runner.invoke(args=["users", "create", "nounit", "--role", "officer"], input="Str0ng-enough\n" * 2)
    assert officer.exit_code != 0 and "หน่วยงาน" in officer.output
