"""Template helpers: translations, Buddhist-era dates, locale switch."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, request
from pythainlp.util import thai_strftime

from app.common.i18n import get_locale, t

BANGKOK = ZoneInfo("Asia/Bangkok")


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

        return {"locale": get_locale(), "switch_url": switch_url, "hotline": app.config["HOTLINE"]}

    @app.after_request
    def _remember_locale(resp):
        # an explicit ?lang= choice sticks for the next pages
        lang = request.args.get("lang")
        if lang in ("th", "en"):
            resp.set_cookie("lang", lang, max_age=365 * 86400, samesite="Lax")
        resp.headers.setdefault("Content-Language", get_locale())
        return resp
