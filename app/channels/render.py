"""What people read: Thai text for e-mail, LINE and SMS, rendered from ``app/templates/mail/``.

Complainants have no language setting, so notices are Thai whatever the language of the request that happened to
relay the job; dates are Buddhist era (``format_date``).
"""

from flask import current_app, render_template

from app.cases.models import Case
from app.common.i18n import catalogue, t
from app.common.templating import format_date
from app.extensions import db
from app.routing.models import Division

LOCALE = "th"


def tracking_url(case) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/track/{case.tracking_code}"


def unit_name(code: str | None, short: bool = False) -> str:
    division = db.session.get(Division, code) if code else None
    if division is None:
        return code or "-"
    return (division.abbr_th or division.name_th) if short else division.name_th


def resolve_due(case) -> str | None:
    """The open case's resolution deadline, as a Thai date."""
    resolve = next((d for d in case.deadlines if d.kind == "resolve" and d.met_at is None), None)
    return format_date(resolve.due_at, with_time=False, locale=LOCALE) if resolve and case.is_open else None


def headline(case, event, short: bool = False) -> str:
    """One sentence saying what happened (``channels.citizen.<kind>``; ``channels.citizen.update`` otherwise)."""
    key = f"channels.citizen.{event.kind}"
    if key not in catalogue():
        key = "channels.citizen.update"
    data = event.data or {}
    target = db.session.get(Case, case.merged_into_id) if case.merged_into_id else None
    return t(key, LOCALE, division=unit_name(data.get("division") or case.division_code, short),
             agency=data.get("agency") or case.referred_agency or "-",
             target=target.tracking_code if target else "-")


def citizen_message(case, event, channel: str) -> tuple[str, str]:
    """``(subject, text)`` of the notice of ``event`` for ``channel`` (``email``, ``line`` or ``sms``)."""
    note = ((event.data or {}).get("public_note") or "").strip() or None
    context = {
        "code": case.tracking_code, "headline": headline(case, event, short=channel == "sms"), "note": note,
        "when": format_date(event.created_at, locale=LOCALE), "url": tracking_url(case),
        "hotline": current_app.config["HOTLINE"],
        "due": resolve_due(case),
    }
    subject = t("channels.citizen.subject", LOCALE, code=case.tracking_code)
    if channel == "sms":
        return subject, sms_text(context, current_app.config["SMS_MAX_CHARS"])
    return subject, render_template(f"mail/citizen_{channel}.txt", **context).strip() + "\n"


def sms_text(context: dict, limit: int) -> str:
    """The one-line SMS, at most ``limit`` characters: the note is cut at a Thai word boundary first, then the
    headline; the tracking code and link are never cut."""

    def render(**changes) -> str:
        return " ".join(render_template("mail/citizen_sms.txt", **{**context, **changes}).split())

    text = render()
    if len(text) <= limit:
        return text
    bare = render(note=None)
    room = limit - len(bare) - 4  # the note's space, quotes and ellipsis
    if context["note"] and room >= 10:
        text = render(note=shorten(context["note"], room))
        if len(text) <= limit:
            return text
    over = len(bare) - limit
    if over <= 0:
        return bare
    return render(note=None, headline=shorten(context["headline"], max(len(context["headline"]) - over - 1, 1)))


def shorten(text: str, size: int) -> str:
    """``text`` cut to at most ``size`` characters plus ``…``, at a word boundary (Thai has no spaces)."""
    if len(text) <= size:
        return text
    from pythainlp.tokenize import word_tokenize  # loaded only when a text must be cut

    out = ""
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if len(out) + len(word) > size:
            break
        out += word
    return (out.rstrip() or text[:size]) + "…"
