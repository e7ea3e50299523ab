"""Formatting for the manual's pages and PDF: durations, Thai months (Buddhist era), percentages, the
``[ต้องยืนยัน]`` marker, and the monthly bar chart drawn as SVG on the server."""

from datetime import datetime

from markupsafe import Markup, escape
from pythainlp.util import thai_strftime

from app.common.i18n import get_locale, t
from app.common.templating import BANGKOK
from app.manual.content import TO_CONFIRM
from app.manual.schemas import UNITS
from app.manual.stats import Month


def duration_label(d: dict) -> str:
    """``{"value": 15, "unit": "working_days"}`` → ``15 วันทำการ`` (manual content: always Thai)."""
    return f"{d['value']:,} {UNITS[d['unit']]['th']}"


def month_label(m: Month | None) -> str:
    """``พฤศจิกายน 2569`` (Buddhist era) or ``November 2026``."""
    if m is None:
        return ""
    first = datetime(m.year, m.month, 1, tzinfo=BANGKOK)
    return first.strftime("%B %Y") if get_locale() == "en" else thai_strftime(first, "%B %Y")


def pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}"


def number(value: float | None, places: int = 1) -> str:
    return "" if value is None else f"{value:,.{places}f}"


def marked(text: str) -> Markup:
    """Escape ``text`` and show the ``[ต้องยืนยัน]`` marker as a badge, so readers see what is unconfirmed."""
    if TO_CONFIRM not in text:
        return escape(text)
    badge = Markup('<span class="to-confirm">{}</span>').format(t("manual.to_confirm_badge"))
    return badge + escape(text.replace(TO_CONFIRM, "").strip())


def bar_chart(months: list[Month], width: int = 640, height: int = 160) -> Markup:
    """Cases per month as an accessible inline SVG (no script, prints and renders in the PDF)."""
    if not months:
        return Markup("")
    top = max(m.count for m in months) or 1
    gap, base, pad = 6, height - 34, 16
    bar = (width - gap * (len(months) + 1)) / len(months)
    parts = [Markup('<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
                    'xmlns="http://www.w3.org/2000/svg">').format(w=width, h=height,
                                                                   label=t("manual.stats_chart"))]
    for i, m in enumerate(months):
        x = gap + i * (bar + gap)
        h = (base - pad) * m.count / top
        parts.append(Markup('<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="#0b4f8a">'
                            '<title>{title}: {n}</title></rect>').format(x=x, y=base - h, bw=bar, h=h,
                                                                          title=month_label(m), n=m.count))
        parts.append(Markup('<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="11">{n}</text>').format(
            x=x + bar / 2, y=base - h - 3, n=m.count))
        short = f"{m.month}/{(m.year + 543) % 100:02d}" if get_locale() != "en" else f"{m.month}/{m.year % 100:02d}"
        parts.append(Markup('<text x="{x:.1f}" y="{y}" text-anchor="middle" font-size="11">{label}</text>').format(
            x=x + bar / 2, y=height - 16, label=short))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def page_helpers() -> dict:
    return {"duration_label": duration_label, "month_label": month_label, "pct": pct,
            "number": number, "marked": marked, "bar_chart": bar_chart}
