"""SMS and LINE senders. The backend is chosen by a setting (``SMS_BACKEND``, ``LINE_BACKEND``); the default,
``record``, only writes the message to the notification log.

A backend answers ``send(to, text, key=None) -> status``: ``sent`` when a gateway accepted the message,
``recorded`` when it was only logged. ``key`` is stable for one outbox row, so a gateway that honours it (LINE's
``X-Line-Retry-Key``) drops a repeated send. It raises :class:`TransientError` when a later try may work (timeout,
refused connection, 429, 5xx, a missing or rejected token an operator can fix) and :class:`PermanentError` when the
message itself is refused (invalid recipient): retrying that would only fail again.
"""

import json
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import quote

from flask import current_app


class DeliveryError(Exception):
    """A transport did not take the message."""


class TransientError(DeliveryError):
    """Worth trying again later."""


class PermanentError(DeliveryError):
    """The message or its recipient was refused; retrying cannot help."""


#: answers meaning "this message is wrong", not "try later"
PERMANENT_STATUSES = frozenset({400, 404, 410, 422})


class Backend(Protocol):
    def send(self, to: str, text: str, key: str | None = None) -> str: ...


class RecordBackend:
    """The default: nothing leaves the service; the notification row is the record."""

    def __init__(self, config=None):
        pass

    def send(self, to: str, text: str, key: str | None = None) -> str:
        return "recorded"


def post_json(url: str, body: dict, headers: dict, timeout: float, key: str | None, what: str) -> str:
    """POST ``body`` as JSON; ``sent`` on 2xx (or 409 for a key already accepted), else raise."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            return "sent"
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace")
        if exc.code == 409 and key:
            return "sent"  # the gateway already accepted a request with this key: the earlier try went out
        cls = PermanentError if exc.code in PERMANENT_STATUSES else TransientError
        raise cls(f"{what} answered HTTP {exc.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransientError(f"{what} unreachable: {getattr(exc, 'reason', exc)}") from None


class LinePushBackend:
    """LINE Messaging API push message (``POST {LINE_API_BASE}/v2/bot/message/push``)."""

    MAX_TEXT = 5000  #: LINE's limit for one text message

    def __init__(self, config):
        self.url = config["LINE_API_BASE"].rstrip("/") + "/v2/bot/message/push"
        self.token = config.get("LINE_CHANNEL_TOKEN")
        self.timeout = config["CHANNEL_HTTP_TIMEOUT"]

    def send(self, to: str, text: str, key: str | None = None) -> str:
        if not self.token:
            raise TransientError("LINE_CHANNEL_TOKEN is not set")
        headers = {"Authorization": f"Bearer {self.token}"}
        if key:
            headers["X-Line-Retry-Key"] = key  # LINE runs a request with this key once; repeats answer 409
        body = {"to": to, "messages": [{"type": "text", "text": text[: self.MAX_TEXT]}]}
        return post_json(self.url, body, headers, self.timeout, key, "LINE")


class SmsHttpBackend:
    """A generic HTTPS SMS gateway: POST JSON ``{to, text, sender, reference}`` to ``SMS_HTTP_URL`` with
    ``Authorization: Bearer SMS_HTTP_TOKEN``. The URL is a template (``{to}``, ``{text}``, ``{ref}``, ``{sender}``),
    for gateways that take their parameters in the query string."""

    def __init__(self, config):
        self.url = config.get("SMS_HTTP_URL")
        self.token = config.get("SMS_HTTP_TOKEN")
        self.sender = config["SMS_SENDER"]
        self.timeout = config["CHANNEL_HTTP_TIMEOUT"]

    def send(self, to: str, text: str, key: str | None = None) -> str:
        if not self.url:
            raise TransientError("SMS_HTTP_URL is not set")
        url = self.url.format(to=quote(to, safe=""), text=quote(text, safe=""), ref=quote(key or "", safe=""),
                              sender=quote(self.sender, safe=""))
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        body = {"to": to, "text": text, "sender": self.sender, "reference": key}
        return post_json(url, body, headers, self.timeout, key, "SMS gateway")


#: channel → setting value → backend class (rules as data: a new gateway is one more entry)
BACKENDS: dict[str, dict[str, type]] = {
    "sms": {"record": RecordBackend, "http": SmsHttpBackend},
    "line": {"record": RecordBackend, "line_push": LinePushBackend},
}


def backend_for(channel: str) -> Backend:
    """The configured sender for ``channel`` (``sms`` or ``line``).

    :raises TransientError: an unknown backend name (a configuration error an operator fixes; the row waits).
    """
    name = current_app.config.get(f"{channel.upper()}_BACKEND") or "record"
    cls = BACKENDS.get(channel, {}).get(name)
    if cls is None:
        raise TransientError(f"unknown {channel} backend {name!r}; choose one of {sorted(BACKENDS.get(channel, {}))}")
    return cls(current_app.config)
