"""Thai-first messages. Thai is the default; English is chosen by ``Accept-Language`` or ``?lang=en``.

Messages are data keyed by a stable code, so API errors, pages and e-mails share one catalogue: the common
``messages.yaml`` here plus one ``messages.yaml`` per domain folder (``app/<domain>/messages.yaml``).
"""

from functools import lru_cache
from pathlib import Path

import yaml
from flask import has_request_context, request

LOCALES = ("th", "en")
DEFAULT_LOCALE = "th"


@lru_cache(maxsize=1)
def catalogue() -> dict:
    here = Path(__file__).with_name("messages.yaml")
    merged: dict = {}
    for path in [here, *sorted(here.parent.parent.glob("*/messages.yaml"))]:
        if path == here and merged:
            continue
        for key, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in merged:
                raise ValueError(f"{path}: message key {key!r} is defined twice")
            merged[key] = entry
    return merged


def get_locale() -> str:
    """The request's language: ``?lang=`` or the remembered choice wins; the API then follows
    ``Accept-Language``; pages stay Thai (many Thai citizens browse with an English-language browser)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    lang = request.args.get("lang") or request.cookies.get("lang")
    if lang in LOCALES:
        return lang
    if request.path.startswith(("/api/", "/open311/")):
        return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE)
    return DEFAULT_LOCALE


def t(key: str, locale: str | None = None, **params) -> str:
    """Translate ``key``; unknown keys come back unchanged so a missing entry is visible, not fatal."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(locale or get_locale()) or entry[DEFAULT_LOCALE]
    return text.format(**params) if params else text
