"""Load reference data (units, categories, routing rules) from the YAML files beside this module. Idempotent:
rows are matched by their stable code or name and updated in place."""

from pathlib import Path

import yaml

from app.common import geo
from app.extensions import db
from app.routing.models import Category, Division, RoutingRule

DATA = Path(__file__).with_name("data")


def _load(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def provincial_offices() -> list[dict]:
    """One provincial industry office (สอจ.) per province outside Bangkok: 76 of them."""
    return [
        {"code": f"PIO-{p.code}", "kind": "provincial", "province_code": p.code,
         "name_th": f"สำนักงานอุตสาหกรรมจังหวัด{p.name_th}", "name_en": f"{p.name_en} Provincial Industry Office",
         "abbr_th": f"สอจ.{p.name_th}"}
        for p in geo.provinces().values() if p.code != geo.BANGKOK
    ]


def _upsert(model, key: str, rows: list[dict]) -> int:
    changed = 0
    for row in rows:
        obj = db.session.get(model, row[key]) if key != "name" else \
            db.session.query(model).filter_by(name=row["name"]).one_or_none()
        if obj is None:
            obj = model(**row)
            db.session.add(obj)
            changed += 1
        else:
            for k, v in row.items():
                if getattr(obj, k) != v:
                    setattr(obj, k, v)
                    changed += 1
    return changed


def seed_reference() -> dict:
    """Insert or update units, categories and routing rules; flushes, the caller commits."""
    divisions = _load("divisions.yaml") + provincial_offices()
    counts = {"divisions": _upsert(Division, "code", divisions)}
    counts["categories"] = _upsert(Category, "code", _load("categories.yaml"))
    db.session.flush()
    rules = [
        {"name": r["name"], "category_code": r.get("category"), "province_code": r.get("province"),
         "in_estate": r.get("in_estate"), "division": r["division"], "joint_divisions": r.get("joint", []),
         "priority": r.get("priority", 100)}
        for r in _load("routing_rules.yaml")
    ]
    counts["routing_rules"] = _upsert(RoutingRule, "name", rules)
    db.session.flush()
    return counts
