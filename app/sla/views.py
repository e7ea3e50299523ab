"""SLA endpoints: the supervisors' dashboard page, the summary API, and the calendar editing API.

| method | path                               | roles                       |
|--------|------------------------------------|-----------------------------|
| GET    | /staff/sla                         | supervisor, admin           |
| GET    | /api/v1/sla/summary                | supervisor, admin, auditor  |
| GET    | /api/v1/sla/calendar?year=         | supervisor, admin           |
| POST   | /api/v1/sla/calendar               | admin                       |
| DELETE | /api/v1/sla/calendar/<YYYY-MM-DD>  | admin                       |
| PUT    | /api/v1/sla/hours/<unit code|*>    | admin                       |
"""

from datetime import date

from flask import Blueprint, current_app, render_template, request
from marshmallow import ValidationError

from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.http import json_body
from app.common.i18n import t
from app.common.models import utcnow
from app.errors import AppError
from app.extensions import db
from app.routing.models import Division
from app.sla import admin, svg
from app.sla.calendar import BANGKOK
from app.sla.dashboard import summary
from app.sla.schemas import CalendarDayIn, HoursIn, SummaryIn, YearIn

bp = Blueprint("sla", __name__)
api = Blueprint("sla_api", __name__)


def _summary_args() -> dict:
    data = SummaryIn().load(request.args.to_dict())
    if data.get("division") and db.session.get(Division, data["division"]) is None:
        raise ValidationError({"division": ["sla.field.division"]})
    return data


@api.get("/api/v1/sla/summary")
@require_roles("supervisor", "admin", "auditor")
def summary_api():
    args = _summary_args()
    return summary(args["frm"], args["to"], args.get("division"))


@bp.get("/staff/sla")
@require_roles("supervisor", "admin")
def dashboard():
    args = _summary_args()
    data = summary(args["frm"], args["to"], args.get("division"))
    target = current_app.config["SLA_ON_TIME_TARGET"]
    charts = {
        "unit": svg.rate_bars(data["by_unit"], t("sla.by_unit"), target),
        "category": svg.rate_bars(data["by_category"], t("sla.by_category"), target),
        "channel": svg.rate_bars(data["by_channel"], t("sla.by_channel"), target),
        "backlog": svg.count_columns([(b["label"], b["open"]) for b in data["backlog"]], t("sla.backlog")),
    }
    divisions = db.session.query(Division).filter_by(active=True).order_by(Division.code).all()
    return render_template("sla/dashboard.html", s=data, charts=charts, divisions=divisions, args=args)


@api.get("/api/v1/sla/calendar")
@require_roles("supervisor", "admin")
def calendar_get():
    year = YearIn().load(request.args.to_dict()).get("year") or utcnow().astimezone(BANGKOK).year
    return admin.calendar_year(year)


@api.post("/api/v1/sla/calendar")
@require_roles("admin")
def calendar_add():
    data = CalendarDayIn().load(json_body())
    row, run_id = admin.add_day(data["day"], data["kind"], data["name"], current_staff())
    commit()
    return {**row, "recompute_job": run_id}, 201


@api.delete("/api/v1/sla/calendar/<day>")
@require_roles("admin")
def calendar_remove(day):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise AppError("sla_bad_day", 422) from None
    run_id = admin.remove_day(parsed, current_staff())
    commit()
    return {"day": parsed.isoformat(), "recompute_job": run_id}


@api.put("/api/v1/sla/hours/<code>")
@require_roles("admin")
def hours_set(code):
    data = HoursIn().load(json_body())
    row, run_id = admin.set_hours(code, data, current_staff())
    commit()
    return {**row, "recompute_job": run_id}
