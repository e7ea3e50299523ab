"""Administration pages for units, categories and routing rules (reference data that routes every case)."""

from flask import flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from app.admin import reference
from app.admin.audit import snapshot
from app.admin.blueprint import bp
from app.admin.forms import flatten, parse
from app.admin.schemas import (
    DIVISION_KINDS,
    ESTATE_CHOICES,
    CategoryCreateIn,
    CategoryIn,
    DivisionCreateIn,
    DivisionIn,
    RuleCreateIn,
    RuleIn,
)
from app.common import geo
from app.common.auth import current_staff
from app.common.db import commit
from app.common.i18n import get_locale, t
from app.routing.services import PIO, division_name


def _save(save, schema, bools: tuple, lists: tuple, obj, endpoint: str, key_arg: str, render):
    """Parse the posted form, save through ``save``, commit and go back to the edit page; or show the errors."""
    data, errors = parse(schema, lists, bools)
    if not errors:
        try:
            obj = save(data, current_staff(), obj)
        except ValidationError as exc:
            errors = flatten(exc.messages)
        else:
            commit()
            flash(t("admin.saved"), "status")
            key = obj.id if key_arg == "rule_id" else obj.code
            return redirect(url_for(endpoint, **{key_arg: key}), code=303)
    return render(data, errors, obj, 422)


def _provinces() -> list[tuple[str, str]]:
    """``(code, name)`` choices, in Thai alphabetical order unless the page is English."""
    locale = get_locale()
    names = [(p.code, p.name_en if locale == "en" else p.name_th) for p in geo.provinces().values()]
    return sorted(names, key=lambda item: item[1])


def _kinds() -> list[tuple[str, str]]:
    return [(k, t(f"admin.kind.{k}")) for k in DIVISION_KINDS]


def _units(with_pio: bool = False) -> list[tuple[str, str]]:
    units = [(d.code, f"{d.code} — {d.name(get_locale())}") for d in reference.list_divisions() if d.active]
    return ([(PIO, t("admin.pio_option"))] if with_pio else []) + units


def _categories() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} — {c.name(get_locale())}") for c in reference.list_categories()]


# ---- units ----------------------------------------------------------------------------------------------------

def _division_form(form, errors, division=None, status=200):
    return render_template("admin/division_form.html", form=form, errors=errors, division=division,
                           kind_options=_kinds(), province_options=_provinces()), status


@bp.get("/units")
def divisions():
    q, kind = (request.args.get("q") or "").strip()[:80], request.args.get("kind") or ""
    kind = kind if kind in DIVISION_KINDS else ""
    return render_template("admin/divisions.html", divisions=reference.list_divisions(q, kind), q=q, kind=kind,
                           kind_options=_kinds())


@bp.route("/units/new", methods=["GET", "POST"])
def division_new():
    if request.method == "GET":
        return _division_form({"active": True, "kind": "department"}, {})
    return _save(reference.save_division, DivisionCreateIn(), ("restricted", "active"), (), None,
                 "admin.division_edit", "code", _division_form)


@bp.route("/units/<code>", methods=["GET", "POST"])
def division_edit(code: str):
    division = reference.get_division(code)
    if request.method == "GET":
        return _division_form(snapshot(division, reference.DIVISION_FIELDS), {}, division)
    return _save(reference.save_division, DivisionIn(), ("restricted", "active"), (), division,
                 "admin.division_edit", "code", _division_form)


# ---- categories -----------------------------------------------------------------------------------------------

def _category_form(form, errors, category=None, status=200):
    return render_template("admin/category_form.html", form=form, errors=errors, category=category), status


@bp.get("/categories")
def categories():
    return render_template("admin/categories.html", categories=reference.list_categories())


@bp.route("/categories/new", methods=["GET", "POST"])
def category_new():
    if request.method == "GET":
        return _category_form({"active": True, "in_remit": True}, {})
    return _save(reference.save_category, CategoryCreateIn(), ("in_remit", "active"), (), None,
                 "admin.category_edit", "code", _category_form)


@bp.route("/categories/<code>", methods=["GET", "POST"])
def category_edit(code: str):
    category = reference.get_category(code)
    if request.method == "GET":
        return _category_form(snapshot(category, reference.CATEGORY_FIELDS), {}, category)
    return _save(reference.save_category, CategoryIn(), ("in_remit", "active"), (), category,
                 "admin.category_edit", "code", _category_form)


# ---- routing rules --------------------------------------------------------------------------------------------

def _rule_form(form, errors, rule=None, status=200):
    return render_template("admin/rule_form.html", form=form, errors=errors, rule=rule,
                           category_options=_categories(), unit_options=_units(with_pio=True),
                           province_options=_provinces()), status


def _rule_values(rule) -> dict:
    values = snapshot(rule, reference.RULE_FIELDS)
    values["in_estate"] = {True: "yes", False: "no"}.get(rule.in_estate, "")
    return values


@bp.get("/rules")
def rules():
    tried = None
    category = request.args.get("try_category")
    if category:
        estate = ESTATE_CHOICES.get(request.args.get("try_estate") or "")
        province = request.args.get("try_province") or None
        tried = reference.try_rules(category, province if province in geo.provinces() else None, estate)
    return render_template("admin/rules.html", rules=reference.list_rules(), tried=tried, args=request.args,
                           category_options=_categories(), province_options=_provinces(),
                           province_name=geo.province_name, unit_name=division_name)


@bp.route("/rules/new", methods=["GET", "POST"])
def rule_new():
    if request.method == "GET":
        return _rule_form({"active": True, "priority": 100, "joint_divisions": []}, {})
    return _save(reference.save_rule, RuleCreateIn(), ("active",), ("joint_divisions",), None,
                 "admin.rule_edit", "rule_id", _rule_form)


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
def rule_edit(rule_id: int):
    rule = reference.get_rule(rule_id)
    if request.method == "GET":
        return _rule_form(_rule_values(rule), {}, rule)
    return _save(reference.save_rule, RuleIn(), ("active",), ("joint_divisions",), rule,
                 "admin.rule_edit", "rule_id", _rule_form)
