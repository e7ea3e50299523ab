"""The agent's console: look up the caller, see their earlier cases, file a complaint for them (with the
classifier's suggestion while typing), answer a question from the citizen manual, transfer to a unit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from app.cases import workflow
from app.cases.schemas import mask_name
from app.common import geo
from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.i18n import get_locale, t
from app.console import services
from app.errors import AppError, localize
from app.extensions import db
from app.intake import services as intake
from app.intake.pages import flatten_errors, form_to_payload
from app.intake.schemas import ComplaintIn
from app.routing.models import Division

bp = Blueprint("console", __name__, url_prefix="/staff/console")
AGENTS = ("agent", "supervisor", "admin")


def _page(form=None, errors=None, status=200, inquiry_errors=None):
    phone, cases, lookup_error = request.values.get("phone", "").strip(), [], None
    if phone:
        try:
            cases = services.caller_cases(phone, current_staff())
        except AppError as err:
            lookup_error = t(f"error.{err.code}")
    return render_template(
        "console/index.html", phone=phone, cases=cases, lookup_error=lookup_error, mask_name=mask_name,
        form=form or {"phone": phone}, errors=errors or {}, inquiry_errors=inquiry_errors or {},
        provinces=sorted(geo.provinces().values(), key=lambda p: p.name_th), manual=services.manual_services(),
        divisions=db.session.query(Division).filter(Division.active.is_(True)).order_by(Division.code).all(),
    ), status


@bp.get("/")
@require_roles(*AGENTS)
def index():
    return _page()


@bp.post("/complaint")
@require_roles(*AGENTS)
def file_complaint():
    """File the caller's complaint (channel phone, walk-in or letter; received_at when it came earlier)."""
    form, agent = request.form, current_staff()
    payload = form_to_payload(form)
    payload["channel"] = form.get("channel") or "phone"
    if form.get("received_at"):
        payload["received_at"] = form["received_at"] + (":00" if len(form["received_at"]) == 16 else "") + "+07:00"
    try:
        data = ComplaintIn().load(payload)
        case = intake.create_complaint(data, actor=agent)
        db.session.flush()
        if form.get("division") and form["division"] != case.division_code:
            workflow.act(case.id, "reroute", agent, {"division": form["division"],
                                                     "reason": t("console.transfer_reason", "th")})
        services.log_call(agent, kind="complaint", channel=payload["channel"] if payload["channel"] in (
            "phone", "walk_in") else "phone", phone=(payload.get("complainant") or {}).get("phone"),
            case_id=case.id)
        case_id, code = case.id, case.tracking_code
        commit()
    except ValidationError as exc:
        db.session.rollback()
        return _page(form, flatten_errors(localize(exc.messages, get_locale())), 422)
    except AppError as exc:
        db.session.rollback()
        return _page(form, {"description": t(f"error.{exc.code}", **exc.params)}, exc.status)
    flash(t("console.filed", code=code), "ok")
    return redirect(url_for("cases.case_page", case_id=case_id), code=303)


@bp.post("/inquiry")
@require_roles(*AGENTS)
def log_inquiry():
    """A question answered from the citizen manual: counted, not a case."""
    form = request.form
    errors = {k: t("console.required") for k in ("question", "answer") if len(form.get(k, "").strip()) < 3}
    if not errors:
        try:
            services.log_call(current_staff(), kind="inquiry", channel=form.get("channel") or "phone",
                              phone=form.get("phone") or None, manual_slug=form.get("manual_slug") or None,
                              question=form["question"].strip()[:2000], answer=form["answer"].strip()[:5000])
            commit()
            flash(t("console.inquiry_logged"), "ok")
            return redirect(url_for("console.index"), code=303)
        except AppError as exc:
            db.session.rollback()
            errors = {"phone": t(f"error.{exc.code}")}
    return _page(inquiry_errors=errors, status=422)
