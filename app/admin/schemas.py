"""What the administration forms accept. Messages are translated when a form is checked (request time)."""

import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.accounts import services as accounts
from app.accounts.models import Role
from app.common import geo
from app.common.i18n import t

DIVISION_KINDS = ("department", "agency", "provincial", "centre", "triage")
ESTATE_CHOICES = {"": None, "yes": True, "no": False}


def _pattern(regex: str, key: str):
    compiled = re.compile(regex)

    def check(value: str) -> None:
        if not compiled.fullmatch(value):
            raise ValidationError(t(key))

    return check


def _province(value: str) -> None:
    if value not in geo.provinces():
        raise ValidationError(t("admin.province_unknown"))


class _Form(Schema):
    class Meta:
        unknown = EXCLUDE  # buttons and the CSRF token ride along with every form


class PasswordIn(_Form):
    password = fields.String(required=True, validate=validate.Length(max=200))
    password2 = fields.String(required=True)


def check_new_password(username: str, data: dict) -> None:
    """The password policy, for an administrator setting someone's password.

    :raises ValidationError: too short, contains the user name, too simple, or the two entries differ.
    """
    if data["password"] != data["password2"]:
        raise ValidationError({"password2": [t("accounts.password_mismatch")]})
    problems = accounts.password_problems(username, data["password"])
    if problems:
        raise ValidationError({"password": [t(key, **params) for key, params in problems]})


class UserEditIn(_Form):
    full_name = fields.String(required=True, validate=validate.Length(max=200))
    email = fields.Email(validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    divisions = fields.List(fields.String(), load_default=list)
    active = fields.Boolean(load_default=False)

    @validates_schema
    def _officer_has_units(self, data, **_):
        if data.get("role") == Role.officer and not data.get("divisions"):
            raise ValidationError({"divisions": [t("admin.officer_needs_unit")]})


class UserCreateIn(UserEditIn, PasswordIn):
    username = fields.String(required=True, validate=_pattern(r"[a-z0-9][a-z0-9._-]{2,79}", "admin.username_format"))

    @validates_schema
    def _password_policy(self, data, **_):
        if {"username", "password", "password2"} <= set(data):
            check_new_password(data["username"], data)


class DivisionIn(_Form):
    name_th = fields.String(required=True, validate=validate.Length(max=200))
    name_en = fields.String(required=True, validate=validate.Length(max=200))
    abbr_th = fields.String(validate=validate.Length(max=40))
    kind = fields.String(required=True, validate=validate.OneOf(DIVISION_KINDS))
    province_code = fields.String(validate=_province)
    email = fields.Email(validate=validate.Length(max=200))
    restricted = fields.Boolean(load_default=False)
    active = fields.Boolean(load_default=False)


class DivisionCreateIn(DivisionIn):
    code = fields.String(required=True, validate=_pattern(r"[A-Z][A-Z0-9-]{1,15}", "admin.code_format"))


class CategoryIn(_Form):
    name_th = fields.String(required=True, validate=validate.Length(max=200))
    name_en = fields.String(required=True, validate=validate.Length(max=200))
    description_th = fields.String(validate=validate.Length(max=2000))
    in_remit = fields.Boolean(load_default=False)
    active = fields.Boolean(load_default=False)


class CategoryCreateIn(CategoryIn):
    code = fields.String(required=True, validate=_pattern(r"[A-Z][A-Z0-9_]{1,31}", "admin.code_format"))


class RuleIn(_Form):
    priority = fields.Integer(load_default=100, validate=validate.Range(min=0, max=10000))
    category_code = fields.String(load_default=None)
    province_code = fields.String(load_default=None, validate=_province)
    in_estate = fields.String(load_default="", validate=validate.OneOf(list(ESTATE_CHOICES)))
    division = fields.String(required=True)
    joint_divisions = fields.List(fields.String(), load_default=list)
    description_th = fields.String(load_default=None, validate=validate.Length(max=2000))
    active = fields.Boolean(load_default=False)


class RuleCreateIn(RuleIn):
    name = fields.String(required=True, validate=_pattern(r"[a-z0-9][a-z0-9-]{1,79}", "admin.rule_name_format"))
