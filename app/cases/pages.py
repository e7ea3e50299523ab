"""Staff pages for case work: the division queue and the case page (server-rendered, forms with CSRF)."""

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from app.accounts.models import User
from app.cases import access, services, workflow
from app.cases.schemas import ActionIn, QueueArgs, complainant_summary
from app.cases.states import TRANSITIONS, actions_for
from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.i18n import t
from app.common.models import utcnow
from app.errors import AppError
from app.extensions import db
from app.routing.models import Category, Division

bp = Blueprint("cases", __name__, url_prefix="/staff/cases")
READERS = ("agent", "officer", "supervisor", "admin", "auditor")


def countdown(due: datetime | None, met: datetime | None = None, now: datetime | None = None) -> dict:
    """How a deadline reads on screen: days and hours left, or overdue by, or met (on time or late)."""
    if due is None:
        return {"state": "none", "text": ""}
    if met is not None:
        state = "met" if met <= due else "met_late"
        return {"state": state, "text": t(f"deadline.{state}")}
    left = due - (now or utcnow())
    hours = int(abs(left.total_seconds()) // 3600)
    days, hours = divmod(hours, 24)
    state = "overdue" if left.total_seconds() < 0 else ("soon" if days < 2 else "ok")
    return {"state": state, "text": t(f"deadline.{'overdue' if state == 'overdue' else 'left'}",
                                      days=days, hours=hours)}


@bp.get("/")
@require_roles(*READERS)
def queue():
    try:
        args = QueueArgs().load(request.args)
    except ValidationError:
        args = {}
    user = current_staff()
    if "status" not in args:
        args["status"] = "open"
    page = services.queue(user, **args)
    units = sorted(user.division_codes) if user.role == "officer" else None
    divisions = db.session.query(Division).filter(Division.active.is_(True)).order_by(Division.code).all()
    return render_template("cases/queue.html", page=page, args=args, units=units, countdown=countdown,
                           divisions=divisions, categories=db.session.query(Category).all())


@bp.get("/<int:case_id>")
@require_roles(*READERS)
def case_page(case_id):
    user = current_staff()
    case = services.detail(case_id, user)
    officers = []
    if "assign" in actions_for(case.status, user.role):
        officers = [u for u in db.session.query(User).filter(User.role == "officer", User.active.is_(True))
                    if case.division_code in u.division_codes]
    actions = [a for a in actions_for(case.status, user.role)
               if a == "note" or user.role != "officer" or access.is_lead_officer(case, user)]
    return render_template(
        "cases/case.html", case=case, actions=actions, transitions=TRANSITIONS, countdown=countdown,
        related=services.related(case, user), duplicates=services.possible_duplicates(case, user),
        complainant=complainant_summary(case), can_reveal=access.can_see_complainant(case, user),
        revealed=None, officers=officers, agencies=workflow.agencies(),
        divisions=db.session.query(Division).filter(Division.active.is_(True)).order_by(Division.code).all(),
        categories=db.session.query(Category).all(), users={u.id: u for u in db.session.query(User)})


@bp.post("/<int:case_id>/act")
@require_roles("agent", "officer", "supervisor", "admin")
def act(case_id):
    """One workflow step from the case page's forms; errors come back as a message on the page."""
    form = {k: v for k, v in request.form.items() if v.strip() and k != "csrf_token"}
    for key in ("target", "assignee"):
        if form.get(key, "").isdigit():
            form[key] = int(form[key])
    try:
        data = ActionIn().load(form)
        workflow.act(case_id, data.pop("action"), current_staff(), data)
        commit()
        flash(t("case.step_done"), "ok")
    except ValidationError as err:
        db.session.rollback()
        flash(t("error.validation") + " " + ", ".join(err.messages), "error")
    except AppError as err:
        db.session.rollback()
        if err.status == 404:
            raise
        flash(t(f"error.{err.code}", **err.params), "error")
    return redirect(url_for("cases.case_page", case_id=case_id) + "#actions")


@bp.post("/<int:case_id>/reveal")
@require_roles("agent", "officer", "supervisor")
def reveal(case_id):
    """Show the complainant's contact details once, for a reason; the view is recorded on the case."""
    user = current_staff()
    try:
        person = services.reveal_complainant(case_id, user, request.form.get("reason", ""))
    except AppError as err:
        db.session.rollback()
        if err.status == 404:
            raise
        flash(t(f"error.{err.code}", **err.params), "error")
        return redirect(url_for("cases.case_page", case_id=case_id))
    revealed = {"name": person.name, "phone": person.phone, "email": person.email,
                "national_id": person.national_id}
    commit()
    case = services.detail(case_id, user)
    return render_template("cases/revealed.html", case=case, revealed=revealed)
