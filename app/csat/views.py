"""CSAT endpoints: the citizen's rating (API and tracking-page form) and the agent's phone rating."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from marshmallow import ValidationError

from app.cases import access
from app.common.auth import current_staff, require_roles
from app.common.db import commit
from app.common.http import json_body
from app.common.i18n import get_locale, t
from app.csat import services
from app.csat.schemas import FeedbackIn, FeedbackOut, StaffFeedbackIn
from app.errors import AppError, localize
from app.extensions import limiter
from app.intake.views import find_public_case

api = Blueprint("csat_api", __name__)
pages = Blueprint("csat", __name__)
FEEDBACK_IN, STAFF_IN, OUT = FeedbackIn(), StaffFeedbackIn(), FeedbackOut()


def _limit():
    return current_app.config["RATELIMIT_CSAT"]


@api.post("/api/v1/complaints/<code>/feedback")
@limiter.limit(_limit)
def rate(code):
    data = FEEDBACK_IN.load(json_body())
    case = find_public_case(code)
    fb = services.submit(case, data["score"], data.get("comment"), source="web")
    out = OUT.dump(fb)
    commit()
    return out, 201


@api.post("/api/v1/cases/<int:case_id>/feedback")
@require_roles("agent", "supervisor")
def rate_for_citizen(case_id):
    staff = current_staff()
    data = STAFF_IN.load(json_body())
    case = access.get_visible(case_id, staff)
    fb = services.submit(case, data["score"], data.get("comment"), source=data["source"], actor=staff)
    out = OUT.dump(fb)
    commit()
    return out, 201


@pages.app_template_global()
def csat_state(case) -> str:
    """For ``csat/form.html`` on the tracking page."""
    return services.rating_state(case)


@pages.post("/track/<code>/feedback")
@limiter.limit(_limit)
def rate_page(code):
    case = find_public_case(code)
    form = {"score": request.form.get("score", ""), "comment": request.form.get("comment") or None}
    try:
        data = FEEDBACK_IN.load({"score": int(form["score"]) if form["score"].isdigit() else form["score"],
                                 "comment": form["comment"]})
        services.submit(case, data["score"], data.get("comment"), source="web")
        commit()
    except ValidationError as exc:
        errors = localize(exc.messages, get_locale())
        field = "score" if "score" in errors else next(iter(errors))
        text = f"{t('csat.field.' + field)}: {errors[field][0]}"
        return render_template("csat/page.html", case=case, error_text=text, form=form), 422
    except AppError as exc:
        text = t(f"error.{exc.code}", **exc.params)
        return render_template("csat/page.html", case=case, error_text=text, form=form), exc.status
    return redirect(url_for("pages.track", code=case.tracking_code, _anchor="csat"), code=303)
