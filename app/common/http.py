"""Request parsing shared by the API views."""

from flask import current_app, request

from app.errors import AppError, PayloadTooLarge


def json_body() -> dict:
    """The request's JSON object.

    :raises PayloadTooLarge: over ``MAX_JSON_BYTES``.
    :raises AppError: not JSON (415), malformed (400) or not an object (422).
    """
    limit = current_app.config["MAX_JSON_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge()
    if not request.is_json:
        raise AppError("unsupported_media_type", 415)
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise PayloadTooLarge()
    data = request.get_json(silent=True)
    if data is None:
        raise AppError("invalid_json", 400)
    if not isinstance(data, dict):
        raise AppError("body_object", 422)
    return data
