"""Published manual pages: ``/manual/`` (index, search without JavaScript), ``/manual/<slug>`` (printable),
``/manual/<slug>.pdf`` (WeasyPrint, Thai font, real Thai text layer)."""

import re

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from app.common.i18n import get_locale
from app.common.models import utcnow
from app.errors import NotFound
from app.manual import pdf as manual_pdf
from app.manual import services
from app.manual.presenters import page_helpers
from app.manual.stats import cached_stats

bp = Blueprint("manual", __name__, url_prefix="/manual")

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: public pages may be cached briefly by browsers and proxies; statistics move slowly
PUBLIC_MAX_AGE = 300


@bp.context_processor
def _helpers():
    return page_helpers()


def _cacheable(resp):
    staff = getattr(current_user, "is_authenticated", False)
    resp.headers["Cache-Control"] = "private, no-store" if staff else f"public, max-age={PUBLIC_MAX_AGE}"
    resp.headers["Vary"] = "Cookie"  # language choice and staff session change the page
    return resp


def _page_context(slug: str) -> dict:
    """The version asked for by ``?version=N`` (else the one in force) and what its page shows.

    :raises NotFound: unknown service or version.
    """
    if not SLUG.match(slug):
        raise NotFound("manual_not_found", slug=slug)
    in_force = services.version_in_force(slug, utcnow())
    number = request.args.get("version", type=int)
    version = in_force if number in (None, in_force.version) else services.get_version(slug, number)
    staff = getattr(current_user, "is_authenticated", False)
    return {"v": version, "c": version.content, "in_force": in_force, "history": services.versions_of(slug),
            "stats": cached_stats(slug), "now": utcnow(),
            "to_confirm": services.to_confirm(version) if staff else []}


@bp.get("/")
def index():
    q = " ".join((request.args.get("q") or "").split())[:100]
    versions = services.search(q) if q else services.current_versions()
    return _cacheable(make_response(render_template("manual/index.html", versions=versions, q=q)))


@bp.get("/<slug>")
def page(slug: str):
    return _cacheable(make_response(render_template("manual/page.html", **_page_context(slug))))


@bp.get("/<slug>.pdf")
def pdf(slug: str):
    ctx = _page_context(slug)
    body = manual_pdf.render(ctx, get_locale())
    resp = make_response(body)
    resp.headers["Content-Type"] = "application/pdf"
    resp.headers["Content-Disposition"] = f'inline; filename="{slug}-v{ctx["v"].version}.pdf"'
    return _cacheable(resp)
