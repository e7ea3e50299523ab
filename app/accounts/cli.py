"""``flask users …``: the first administrator of a production system (``seed --demo`` is refused there), and a
way back in when every administrator is locked out. Changes are logged like the pages' (actor ``system``)."""

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError
from sqlalchemy import select

from app.accounts.models import Role, User
from app.common.db import commit
from app.extensions import db


def _fail(exc: ValidationError) -> None:
    messages = "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in exc.messages.items())
    raise click.ClickException(messages)


@click.group("users")
def users_cli():
    """Staff accounts (everything else is on the administration pages)."""


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.admin.value, show_default=True)
@click.option("--full-name", default="", help="Shown on pages and in the logs.")
@click.option("--unit", "units", multiple=True, help="Unit code (repeatable); officers need one.")
@click.password_option(help="Asked for when not given (never put it in shell history).")
@with_appcontext
def create(username, role, full_name, units, password):
    """Create a staff account (an administrator by default)."""
    from app.admin.schemas import UserCreateIn
    from app.admin.users import create_user

    try:
        data = UserCreateIn().load({"username": username, "full_name": full_name or username, "role": role,
                                    "divisions": list(units), "active": True, "password": password,
                                    "password2": password})
        user = create_user(data, actor=None)
    except ValidationError as exc:
        _fail(exc)
    commit()
    click.echo(f"created {user.username} ({user.role})")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option()
@with_appcontext
def set_password(username, password):
    """Set a new password (and lift a lockout); the account's sessions and API tokens end."""
    from app.admin.schemas import check_new_password
    from app.admin.users import reset_password

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        check_new_password(username, {"password": password, "password2": password})
    except ValidationError as exc:
        _fail(exc)
    reset_password(user, password, actor=None)
    commit()
    click.echo(f"password set for {username}")
