"""Administration pages: the overview and the administration log. Users, units, categories and rules have
their own modules, imported at the end so their routes join this blueprint."""

from flask import render_template, request
from sqlalchemy import func, select

from app.accounts.models import User
from app.admin import audit
from app.admin.blueprint import bp
from app.admin.forms import PER_PAGE, page_arg
from app.extensions import db
from app.routing.models import Category, Division, RoutingRule


@bp.get("/")
def index():
    counts = {name: db.session.scalar(select(func.count()).select_from(model))
              for name, model in (("users", User), ("divisions", Division), ("categories", Category),
                                  ("rules", RoutingRule))}
    recent, _ = audit.list_changes(per_page=10)
    return render_template("admin/index.html", counts=counts, recent=recent)


@bp.get("/audit")
def audit_log():
    entity = request.args.get("entity") if request.args.get("entity") in audit.ENTITIES else None
    key = (request.args.get("key") or "").strip()[:80] or None
    page = page_arg()
    rows, total = audit.list_changes(entity, key, page, PER_PAGE)
    return render_template("admin/audit.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
                           entity=entity, key=key, entities=audit.ENTITIES)


from app.admin import reference_pages, user_pages  # noqa: E402,F401  (their routes join ``bp``)
