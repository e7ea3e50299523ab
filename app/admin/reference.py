"""Units, categories and routing rules as an administrator edits them. Every save is logged and the routing
caches are cleared in the same request, so the next complaint is routed by the new data."""

from marshmallow import ValidationError
from sqlalchemy import func, or_, select

from app.admin.audit import record_change, snapshot
from app.admin.schemas import ESTATE_CHOICES
from app.common import geo
from app.common.i18n import t
from app.errors import NotFound
from app.extensions import db
from app.routing import services as routing
from app.routing.models import Category, Division, RoutingRule

DIVISION_FIELDS = ("code", "name_th", "name_en", "abbr_th", "kind", "province_code", "email", "restricted", "active")
CATEGORY_FIELDS = ("code", "name_th", "name_en", "description_th", "in_remit", "active")
RULE_FIELDS = ("name", "priority", "category_code", "province_code", "in_estate", "division", "joint_divisions",
               "description_th", "active")


def _get(model, key):
    row = db.session.get(model, key)
    if row is None:
        raise NotFound()
    return row


def get_division(code: str) -> Division:
    return _get(Division, code)


def get_category(code: str) -> Category:
    return _get(Category, code)


def get_rule(rule_id: int) -> RoutingRule:
    return _get(RoutingRule, rule_id)


def list_divisions(q: str = "", kind: str = "") -> list[Division]:
    query = select(Division).order_by(Division.kind != "triage", Division.kind == "provincial", Division.code)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Division.code).like(like), Division.name_th.like(f"%{q}%"),
                                func.lower(Division.name_en).like(like)))
    if kind:
        query = query.where(Division.kind == kind)
    return db.session.scalars(query).all()


def list_categories() -> list[Category]:
    return db.session.scalars(select(Category).order_by(Category.code)).all()


def list_rules() -> list[RoutingRule]:
    return db.session.scalars(select(RoutingRule).order_by(RoutingRule.category_code.is_(None),
                                                           RoutingRule.category_code, RoutingRule.priority,
                                                           RoutingRule.name)).all()


def _save(entity: str, obj, fields: tuple, data: dict, key: str, creating: bool, actor):
    """Copy the form's values onto ``obj`` (absent optional fields become empty), log, and clear caches. The first
    field is the row's key: set once, never changed, since cases and seed files refer to it."""
    before = None if creating else snapshot(obj, fields)
    for name in fields[0 if creating else 1:]:
        setattr(obj, name, data.get(name))
    if creating:
        db.session.add(obj)
    db.session.flush()
    record_change(entity, key, "create" if creating else "update", before, snapshot(obj, fields), actor=actor)
    routing.clear_caches()
    return obj


def save_division(data: dict, actor, division: Division | None = None) -> Division:
    """Create (``division`` is ``None``) or update a unit.

    :raises ValidationError: code taken; deactivating a unit that active rules still send cases to.
    """
    creating = division is None
    if creating and db.session.get(Division, data["code"]) is not None:
        raise ValidationError({"code": [t("admin.code_taken")]})
    if not creating and division.active and not data["active"]:
        senders = [r.name for r in list_rules() if r.active and division.code in (r.division, *r.joint_divisions)]
        if senders:
            raise ValidationError({"active": [t("admin.division_in_rules", rules=", ".join(senders))]})
    obj = Division() if creating else division
    return _save("division", obj, DIVISION_FIELDS, data, data.get("code") or division.code, creating, actor)


def save_category(data: dict, actor, category: Category | None = None) -> Category:
    """:raises ValidationError: code taken."""
    creating = category is None
    if creating and db.session.get(Category, data["code"]) is not None:
        raise ValidationError({"code": [t("admin.code_taken")]})
    obj = Category() if creating else category
    return _save("category", obj, CATEGORY_FIELDS, data, data.get("code") or category.code, creating, actor)


def _check_rule(data: dict, rule: RoutingRule | None) -> None:
    """Units and category exist, the lead can be resolved somewhere, and no active twin makes the choice arbitrary.

    :raises ValidationError: on the offending field.
    """
    units = set(db.session.scalars(select(Division.code).where(Division.active.is_(True))))
    if data["division"] != routing.PIO and data["division"] not in units:
        raise ValidationError({"division": [t("admin.division_unknown")]})
    if any(j != routing.PIO and j not in units for j in data["joint_divisions"]):
        raise ValidationError({"joint_divisions": [t("admin.division_unknown")]})
    if data["division"] in data["joint_divisions"]:
        raise ValidationError({"joint_divisions": [t("admin.lead_in_joint")]})
    if data["category_code"] and db.session.get(Category, data["category_code"]) is None:
        raise ValidationError({"category_code": [t("admin.category_unknown")]})
    if data["division"] == routing.PIO and data["province_code"] == geo.BANGKOK:
        raise ValidationError({"division": [t("admin.pio_in_bangkok")]})
    if rule is None and db.session.scalar(select(RoutingRule.id).where(RoutingRule.name == data["name"])):
        raise ValidationError({"name": [t("admin.rule_name_taken")]})
    if data["active"]:
        for other in list_rules():
            same = (other.category_code, other.province_code, other.in_estate, other.priority) == (
                data["category_code"], data["province_code"], data["in_estate"], data["priority"])
            if other.active and other is not rule and same:
                raise ValidationError({"priority": [t("admin.rule_twin", rule=other.name)]})


def save_rule(data: dict, actor, rule: RoutingRule | None = None) -> RoutingRule:
    """Create or update a routing rule; it routes the very next complaint.

    :raises ValidationError: see :func:`_check_rule`.
    """
    data = {**data, "in_estate": ESTATE_CHOICES[data["in_estate"]]}
    data["joint_divisions"] = list(dict.fromkeys(data["joint_divisions"]))
    _check_rule(data, rule)
    creating = rule is None
    return _save("routing_rule", RoutingRule() if creating else rule, RULE_FIELDS, data,
                 data.get("name") or rule.name, creating, actor)


def try_rules(category: str, province: str | None, in_estate: bool | None) -> dict:
    """Which rule and units a case of this category and place would get now (the rules page's check)."""
    rule, lead, joint = routing.match_rule(category, province or None, in_estate)
    return {"rule": rule, "lead": lead, "joint": joint}
