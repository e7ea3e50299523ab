"""Citizen pages: landing, the complaint form (works without JavaScript), confirmation and tracking."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from app.common import geo
from app.common.db import commit
from app.common.i18n import get_locale
from app.errors import AppError, localize
from app.extensions import limiter
from app.intake import services
from app.intake.schemas import ComplaintIn
from app.intake.views import find_public_case

bp = Blueprint("pages", __name__, template_folder="templates")

FORM_FIELDS = {
    "subject": ("subject",), "description": ("description",),
    "name": ("complainant", "name"), "phone": ("complainant", "phone"), "email": ("complainant", "email"),
    "national_id": ("complainant", "national_id"),
    "province": ("location", "province"), "district": ("location", "district"),
    "subdistrict": ("location", "subdistrict"), "address": ("location", "address"),
    "respondent_name": ("respondent", "name"), "factory_no": ("respondent", "factory_registration_no"),
}


def form_to_payload(form) -> dict:
    """Flat form fields → the API's nested document; empty fields are left out."""
    data = {"channel": "web", "anonymous": form.get("anonymous") == "on"}
    for field, path in FORM_FIELDS.items():
        value = (form.get(field) or "").strip()
        if not value:
            continue
        if len(path) == 1:
            data[path[0]] = value
        else:
            data.setdefault(path[0], {})[path[1]] = value
    return data


def flatten_errors(messages: dict) -> dict:
    """``{"complainant": {"phone": [..]}}`` → ``{"phone": "..."}`` keyed by form field."""
    reverse = {path: field for field, path in FORM_FIELDS.items()}
    out = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            for sub, msgs in value.items():
                field = reverse.get((key, sub), key)
                out[field] = msgs[0] if isinstance(msgs, list) else str(msgs)
        else:
            out[reverse.get((key,), key)] = value[0] if isinstance(value, list) else str(value)
    return out


@bp.get("/")
def index():
    return render_template("index.html")


@bp.route("/complaints/new", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_INTAKE"], methods=["POST"])
def new_complaint():
    errors, form = {}, request.form
    if request.method == "POST":
        try:
            data = ComplaintIn().load(form_to_payload(form))
            files = [(f.filename, f.read(current_app.config["ATTACHMENT_MAX_BYTES"] + 1))
                     for f in request.files.getlist("attachments") if f and f.filename]
            if len(files) > current_app.config["ATTACHMENT_MAX_COUNT"]:
                raise AppError("attachment_count", 422, max=current_app.config["ATTACHMENT_MAX_COUNT"])
            case = services.create_complaint(data, files)
            code = case.tracking_code
            commit()
            session["last_tracking_code"] = code
            return redirect(url_for("pages.submitted"), code=303)
        except ValidationError as exc:
            errors = flatten_errors(localize(exc.messages, get_locale()))
        except AppError as exc:
            from app.common.i18n import t

            errors = {"attachments": t(f"error.{exc.code}", **exc.params)}
    status = 422 if errors else 200
    provinces = sorted(geo.provinces().values(), key=lambda p: p.name_th)
    return render_template("complaint_form.html", form=form, errors=errors, provinces=provinces), status


@bp.get("/complaints/submitted")
def submitted():
    code = session.get("last_tracking_code")
    if not code:
        return redirect(url_for("pages.new_complaint"))
    return render_template("submitted.html", code=code)


@bp.get("/track")
def track_form():
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for("pages.track", code=services.normalise_tracking_code(code) or code))
    return render_template("track_form.html")


@bp.get("/track/<code>")
def track(code):
    case = find_public_case(code)
    return render_template("track.html", case=case, timeline=[e for e in case.events if e.public])
