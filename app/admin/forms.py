"""HTML forms → schema input, and schema errors → one Thai message per field (pages, not the JSON API)."""

from flask import request
from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from app.common.i18n import get_locale
from app.errors import localize

PER_PAGE = 50


def form_dict(form: MultiDict, lists: tuple = (), bools: tuple = ()) -> dict:
    """Empty text fields are left out (so "required" means filled in); checkboxes are always ``True``/``False``."""
    data = {}
    for key in form:
        if key in lists or key in bools or key == "csrf_token":
            continue
        value = (form.get(key) or "").strip()
        if value:
            data[key] = value
    for key in lists:
        data[key] = [v.strip() for v in form.getlist(key) if v.strip()]
    for key in bools:
        data[key] = form.get(key) in ("on", "1", "true", "yes")
    return data


def flatten(messages) -> dict:
    """``{"name_th": ["…"], "_schema": ["…"]}`` → ``{"name_th": "…", "form": "…"}`` in the page's language."""
    out = {}
    for key, value in localize(messages, get_locale()).items():
        while isinstance(value, (list, dict)):
            value = next(iter(value.values() if isinstance(value, dict) else value), "")
        out["form" if key == "_schema" else key] = str(value)
    return out


def parse(schema: Schema, lists: tuple = (), bools: tuple = ()) -> tuple[dict, dict]:
    """``(data, {})`` when the posted form is valid, else ``(raw form, errors)`` to show it again."""
    raw = form_dict(request.form, lists, bools)
    try:
        return schema.load(raw), {}
    except ValidationError as exc:
        return raw, flatten(exc.messages)


def page_arg() -> int:
    """The ``page`` query argument, at least 1 (a bad value is page 1, not an error)."""
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() and len(value) < 7 else 1
