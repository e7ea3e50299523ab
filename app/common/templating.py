"""Template helpers: translations, Buddhist-era dates, locale switch."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, request, url_for
from flask_login import current_user
from pythainlp.util import thai_strftime

from app.common.i18n import get_locale, t

BANGKOK = ZoneInfo("Asia/Bangkok")

#: staff navigation: (endpoint, label key, roles allowed); a link shows only once its endpoint exists
STAFF_NAV = [
    ("cases.queue", "nav.queue", {"officer", "supervisor", "admin", "agent"}),
    ("console.index", "nav.console", {"agent", "supervisor", "admin"}),
    ("sla.dashboard", "nav.dashboard", {"supervisor", "admin"}),
    ("evidence.index", "nav.evidence", {"auditor", "supervisor", "admin"}),
    ("admin.index", "nav.admin", {"admin"}),
]


def format_date(value: datetime | None, with_time: bool = True, locale: str | None = None) -> str:
    """``22 พฤศจิกายน 2569 เวลา 14:05 น.`` in Thai (Buddhist era), ``22 November 2026, 14:05`` in English."""
    if value is None:
        return ""
    local = value.astimezone(BANGKOK)
    if (locale or get_locale()) == "en":
        return local.strftime("%-d %B %Y, %H:%M" if with_time else "%-d %B %Y")
    return thai_strftime(local, "%-d %B %Y เวลา %H:%M น." if with_time else "%-d %B %Y")


def register(app: Flask) -> None:
    from app.cases.schemas import event_label

    app.jinja_env.globals.update(t=t, get_locale=get_locale, event_label=event_label)
    app.jinja_env.filters["thaidate"] = format_date

    @app.context_processor
    def _locale_links():
        def switch_url(lang: str) -> str:
            args = request.args.to_dict()
            args["lang"] = lang
            return request.path + "?" + "&".join(f"{k}={v}" for k, v in args.items())

        return {"locale": get_locale(), "switch_url": switch_url, "hotline": app.config["HOTLINE"],
                "staff_nav": _staff_nav, "endpoints": app.view_functions}

    def _staff_nav() -> list[dict]:
        role = getattr(current_user, "role", None)
        return [{"url": url_for(ep), "label": label, "current": request.endpoint == ep}
                for ep, label, roles in STAFF_NAV if ep in app.view_functions and role in roles]

    @app.after_request
    def _remember_locale(resp):
        # an explicit ?lang= choice sticks for the next pages
        lang = request.args.get("lang")
        if lang in ("th", "en"):
            resp.set_cookie("lang", lang, max_age=365 * 86400, samesite="Lax")
        resp.headers.setdefault("Content-Language", get_locale())
        return resp
