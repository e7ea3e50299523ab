"""One error shape for the whole service: ``{"error": {"code", "message", "fields"?}}``.

Domain code raises :class:`AppError` subclasses; marshmallow's errors become 422 with per-field messages in the
request's language. Nothing about the server (trace, SQL, path) ever reaches a client.
"""

import logging
import re

from flask import Flask, jsonify, make_response, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from app.common.i18n import get_locale, t

log = logging.getLogger(__name__)


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, status: int | None = None, **params):
        super().__init__(code or self.code)
        self.code = code or self.code
        self.status = status or self.status
        self.params = params


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class PayloadTooLarge(AppError):
    status, code = 413, "payload_too_large"


# marshmallow's built-in English messages → our catalogue keys (with the numbers they carry).
_MM_PATTERNS = [
    (re.compile(r"^Missing data for required field\.$"), "field.required"),
    (re.compile(r"^Field may not be null\.$"), "field.null"),
    (re.compile(r"^Unknown field\.$"), "field.unknown"),
    (re.compile(r"^Not a valid (string|integer|number|boolean|mapping type|list|datetime)\.$"), "field.type"),
    (re.compile(r"^Invalid input type\.$"), "field.type"),
    (re.compile(r"^Not a valid email address\.$"), "field.email"),
    (re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"), "field.length_between"),
    (re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"), "field.length_min"),
    (re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"), "field.length_max"),
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$"),
     "field.range"),
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"), "field.choice"),
    (re.compile(r"^Not a valid (date|datetime)\.$"), "field.datetime"),
]


def localize(messages, locale: str):
    """Translate a marshmallow ``messages`` tree into ``locale``; our own codes are catalogue keys."""
    if isinstance(messages, dict):
        return {k: localize(v, locale) for k, v in messages.items()}
    if isinstance(messages, list):
        return [localize(m, locale) for m in messages]
    text = str(messages)
    for pattern, key in _MM_PATTERNS:
        m = pattern.match(text)
        if m:
            return t(key, locale, **m.groupdict())
    return t(text, locale)


def error_body(code: str, locale: str, fields=None, **params) -> dict:
    body = {"code": code, "message": t(f"error.{code}", locale, **params)}
    if fields is not None:
        body["fields"] = fields
    return {"error": body}


def wants_json() -> bool:
    """API paths and JSON clients get JSON; people get pages."""
    if request.path.startswith(("/api/", "/open311/")) or request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _respond(code: str, status: int, fields=None, headers=None, **params):
    locale = get_locale()
    if wants_json():
        resp = jsonify(error_body(code, locale, fields, **params))
    else:
        resp = make_response(render_template("error.html", code=code, status=status,
                                             message=t(f"error.{code}", locale, **params)))
    resp.status_code = status
    resp.headers["Content-Language"] = locale
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
               429: "rate_limited"}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def _app_error(e: AppError):
        return _respond(e.code, e.status, **e.params)

    @app.errorhandler(ValidationError)
    def _validation(e: ValidationError):
        return _respond("validation", 422, fields=localize(e.messages, get_locale()))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        code = _HTTP_CODES.get(e.code, "bad_request" if e.code < 500 else "internal")
        if code == "bad_request" and getattr(e, "description", "").startswith("The CSRF"):
            code = "csrf"
        headers = {"Retry-After": e.retry_after} if getattr(e, "retry_after", None) else None
        if e.code == 429 and getattr(e, "response", None) is not None:
            headers = {k: v for k, v in e.response.headers.items() if k.lower().startswith(("retry", "x-ratelimit"))}
        return _respond(code, e.code, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise e  # tests see the real trace instead of a polite 500
        # Logged with the trace for operators; the client only learns that something failed.
        log.exception("unhandled error on %s %s", request.method, request.path)
        from app.extensions import db

        db.session.rollback()
        return _respond("internal", 500)
