"""Administration pages for staff accounts: list, create, edit role/units/active, reset password, unlock."""

from flask import flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from app.accounts.models import Role
from app.admin import users
from app.admin.blueprint import bp
from app.admin.forms import PER_PAGE, flatten, page_arg, parse
from app.admin.reference import list_divisions
from app.admin.schemas import PasswordIn, UserCreateIn, UserEditIn, check_new_password
from app.common.auth import current_staff
from app.common.db import commit
from app.common.i18n import get_locale, t

LISTS, BOOLS = ("divisions",), ("active",)


def _user_form(form: dict, errors: dict, user=None, pw_errors=None, status: int = 200):
    roles = [(r.value, t(f"role.{r.value}")) for r in Role]
    units = [(d.code, f"{d.code} — {d.name(get_locale())}" + ("" if d.active else f" ({t('admin.inactive')})"))
             for d in list_divisions()]
    return render_template("admin/user_form.html", form=form, errors=errors, user=user, role_options=roles,
                           unit_options=units, pw_errors=pw_errors or {},
                           locked=user is not None and users.is_locked(user)), status


def _values(user) -> dict:
    return {"full_name": user.full_name, "email": user.email, "role": user.role, "active": user.active,
            "divisions": sorted(user.division_codes)}


@bp.get("/users")
def users_list():
    q, role = (request.args.get("q") or "").strip()[:80], request.args.get("role") or ""
    role = role if role in {r.value for r in Role} else ""
    page = page_arg()
    rows, total = users.list_users(q, role, page, PER_PAGE)
    return render_template("admin/users.html", users=rows, total=total, page=page, per_page=PER_PAGE, q=q,
                           role=role, roles=[r.value for r in Role], is_locked=users.is_locked)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    if request.method == "GET":
        return _user_form({"active": True, "divisions": []}, {})
    data, errors = parse(UserCreateIn(), LISTS, BOOLS)
    if not errors:
        try:
            user = users.create_user(data, current_staff())
        except ValidationError as exc:
            errors = flatten(exc.messages)
        else:
            commit()
            flash(t("admin.saved"), "status")
            return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    data.pop("password", None), data.pop("password2", None)  # never echo a password back into the page
    return _user_form(data, errors, status=422)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = users.get_user(user_id)
    if request.method == "GET":
        return _user_form(_values(user), {}, user)
    data, errors = parse(UserEditIn(), LISTS, BOOLS)
    if not errors:
        try:
            users.update_user(user, data, current_staff())
        except ValidationError as exc:
            errors = flatten(exc.messages)
        else:
            commit()
            flash(t("admin.saved"), "status")
            return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
    return _user_form(data, errors, user, status=422)


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    user = users.get_user(user_id)
    data, errors = parse(PasswordIn())
    if not errors:
        try:
            check_new_password(user.username, data)
        except ValidationError as exc:
            errors = flatten(exc.messages)
    if errors:
        return _user_form(_values(user), {}, user, pw_errors=errors, status=422)
    users.reset_password(user, data["password"], current_staff())
    commit()
    flash(t("admin.password_reset_done"), "status")
    return redirect(url_for("admin.user_edit", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/unlock")
def user_unlock(user_id: int):
    user = users.get_user(user_id)
    users.unlock_user(user, current_staff())
    commit()
    flash(t("admin.unlocked"), "status")
    return redirect(url_for("admin.user_edit", user_id=user.id), code=303)
