"""The manual as PDF with WeasyPrint and a Thai font from fonts-thai-tlwg.

Two measures keep the PDF's text layer real Thai (WeasyPrint maps each glyph to the text of the first place it
is drawn, which goes wrong for Thai):

- the font's ``ccmp`` substitutions are switched off: they swap tone marks and ญ/ฐ for contextual glyph variants
  that then copy out as the wrong letters (the cost: ญ and ฐ keep their tails above a lower vowel);
- SARA AM (ำ) is written as its compatibility decomposition NIKHAHIT + SARA AA (ํา), exactly what the shaper
  draws anyway, so neither glyph is mapped to the whole vowel; text copied out is NFKC-equal to the source.
"""

import hashlib
from collections import OrderedDict
from threading import Lock

from flask import current_app, render_template

#: fonts-thai-tlwg families, first found wins; setting MANUAL_PDF_FONTS
PDF_FONTS = '"Garuda", "Loma", "Norasi", "Waree", sans-serif'
SARA_AM, DECOMPOSED = "\u0e33", "\u0e4d\u0e32"
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = Lock()


def _css() -> str:
    with current_app.open_resource("static/manual.css") as f:
        return f.read().decode("utf-8")


def render_html(ctx: dict) -> str:
    fonts = current_app.config.get("MANUAL_PDF_FONTS") or PDF_FONTS
    html = render_template("manual/pdf.html", css=_css(), pdf_fonts=fonts, **ctx)
    return html.replace(SARA_AM, DECOMPOSED)


def render(ctx: dict, locale: str) -> bytes:
    """PDF bytes for a page context; the same HTML is rendered once (WeasyPrint takes about a second)."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_html(ctx)
    key = hashlib.sha256(f"{locale}\0{html}".encode()).hexdigest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    # no base_url: the document is self-contained, so WeasyPrint never fetches anything
    body = HTML(string=html).write_pdf()
    with _LOCK:
        _CACHE[key] = body
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return body
