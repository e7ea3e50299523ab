"""Transports against real local servers: SMTP (a small socketserver SMTP server), the LINE push API and an SMS
gateway (a local HTTP server that keeps LINE's retry-key rule). Failing transports are retried, then ``failed``."""

import email
import email.policy
import json
import socketserver
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app import create_app
from app.audit.services import record_event
from app.cases.models import Case, CaseEvent
from app.common.db import commit
from app.extensions import db
from app.outbox.models import Notification, OutboxMessage
from app.outbox.notify import _deliver
from app.outbox.services import MAX_ATTEMPTS, handler, process, relay
from app.outbox.services import add as outbox_add
from tests.conftest import make_config
from tests.outbox.test_notify_citizen import LINE_ID, citizen_rows, make_case, public_step


class SmtpSink:
    """A real SMTP server on 127.0.0.1. ``mode``: ``accept``; ``tempfail`` (451 to MAIL: try later);
    ``reject`` (550 to RCPT: this recipient never)."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.mode = "accept"
        sink = self

        class Session(socketserver.StreamRequestHandler):
            def say(self, *lines):
                self.wfile.write(("\r\n".join(lines) + "\r\n").encode())

            def handle(self):
                self.say("220 localhost test SMTP")
                sender, rcpts = None, []
                while line := self.rfile.readline():
                    verb = line[:4].decode("ascii", "replace").upper()
                    if verb == "EHLO":
                        self.say("250-localhost", "250 8BITMIME")
                    elif verb == "MAIL":
                        if sink.mode == "tempfail":
                            self.say("451 4.3.0 try again later")
                        else:
                            sender, rcpts = line.decode().split(":", 1)[1].split()[0].strip("<>"), []
                            self.say("250 OK")
                    elif verb == "RCPT":
                        if sink.mode == "reject":
                            self.say("550 5.1.1 no such user")
                        else:
                            rcpts.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                            self.say("250 OK")
                    elif verb == "DATA":
                        self.say("354 go ahead")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        sink.messages.append((sender, rcpts, data))
                        self.say("250 OK queued")
                    elif verb == "QUIT":
                        self.say("221 bye")
                        return
                    else:  # HELO, RSET, NOOP
                        self.say("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self.server.daemon_threads = True
        self.url = f"smtp://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(data, policy=email.policy.default)
                for _, rcpts, data in self.messages if address in rcpts]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class HttpSink:
    """A local HTTP API. Answers follow ``script`` (then 200); ``"slow"`` accepts the request but answers after the
    client gave up. Like LINE, a request whose ``X-Line-Retry-Key`` was already accepted answers 409."""

    def __init__(self):
        self.requests: list[dict] = []
        self.accepted: list[dict] = []
        self.script: list = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                seen = {"path": self.path, "headers": dict(self.headers), "body": body}
                sink.requests.append(seen)
                key = self.headers.get("X-Line-Retry-Key")
                if key and any(r["headers"].get("X-Line-Retry-Key") == key for r in sink.accepted):
                    return self.answer(409, {"message": "The retry key is already accepted"})
                action = sink.script.pop(0) if sink.script else 200
                if action == "slow" or action == 200:
                    sink.accepted.append(seen)
                if action == "slow":
                    time.sleep(1.5)  # the client (timeout 0.5 s) has given up: it cannot know this was accepted
                    action = 200
                self.answer(action, {} if action == 200 else {"message": "scripted failure"})

            def answer(self, status, doc):
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def http():
    sink = HttpSink()
    yield sink
    sink.close()


def one_citizen_row(application, channel, **case_fields):
    """A case with a public step and its citizen rows committed (not yet run); the id of ``channel``'s row."""
    with application.test_request_context():
        case = make_case(**case_fields)
        rows = public_step(case, note="ตรวจสอบโรงงานแล้ว")
        db.session.commit()  # a plain commit: these tests run the rows themselves
        return {row.payload["channel"]: row.id for row in rows}[channel]


def notification(msg_id):
    return db.session.scalar(select(Notification).where(Notification.outbox_id == msg_id))


def test_email_goes_through_a_real_smtp_server_once(app, smtp):
    application = create_app(make_config(SMTP_URL=smtp.url))
    msg_id = one_citizen_row(application, "email")
    with application.app_context():
        assert process(msg_id) == "done" and process(msg_id) == "done"
        note = notification(msg_id)
        assert note.status == "sent" and note.attempts == 1 and note.sent_at is not None
    [mail] = smtp.to("somying@example.com")
    assert mail["Subject"] == note.subject and note.subject.startswith("ความคืบหน้าเรื่องร้องเรียน ID-")
    assert mail["Message-ID"].startswith(f"<{note.reference}@")
    body = mail.get_content()
    assert "รับเรื่องของท่านแล้ว" in body and "ตรวจสอบโรงงานแล้ว" in body and "/track/ID-" in body


def test_smtp_refusing_for_now_is_retried_then_failed(app, smtp):
    smtp.mode = "tempfail"
    application = create_app(make_config(SMTP_URL=smtp.url))
    msg_id = one_citizen_row(application, "email")
    with application.app_context():
        statuses = [process(msg_id) for _ in range(MAX_ATTEMPTS)]
        assert statuses == ["pending"] * (MAX_ATTEMPTS - 1) + ["failed"]
        msg, note = db.session.get(OutboxMessage, msg_id), notification(msg_id)
        assert msg.attempts == MAX_ATTEMPTS and "451" in msg.last_error
        assert note.status == "failed" and note.attempts == MAX_ATTEMPTS and "451" in note.error
        smtp.mode = "accept"
        relay(grace=timedelta(0))  # the periodic relay runs the case's other rows but leaves a failed one alone
        assert db.session.get(OutboxMessage, msg_id).status == "failed" and smtp.to("somying@example.com") == []
        assert process(msg_id) == "done"  # an operator's explicit retry sends it, once
        assert notification(msg_id).status == "sent"
    assert len(smtp.to("somying@example.com")) == 1


def test_a_worker_raises_on_failure_so_rq_retries(app, smtp):
    smtp.mode = "tempfail"
    application = create_app(make_config(SMTP_URL=smtp.url, REDIS_URL="redis://127.0.0.1:1/0"))
    msg_id = one_citizen_row(application, "email")
    with application.app_context():
        with pytest.raises(Exception, match="451"):
            process(msg_id)
        assert db.session.get(OutboxMessage, msg_id).status == "pending"
        smtp.mode = "accept"
        assert process(msg_id) == "done"
        assert notification(msg_id).status == "sent" and notification(msg_id).attempts == 2
    assert len(smtp.messages) == 1


def test_a_refused_recipient_is_final_at_once(app, smtp):
    smtp.mode = "reject"
    application = create_app(make_config(SMTP_URL=smtp.url))
    msg_id = one_citizen_row(application, "email")
    with application.app_context():
        assert process(msg_id) == "done"  # nothing to retry: the address itself is refused
        note = notification(msg_id)
        assert note.status == "failed" and note.error.startswith("refused") and "550" in note.error


def line_app(http, **extra):
    return create_app(make_config(**{"LINE_BACKEND": "line_push", "LINE_API_BASE": http.url,
                                     "LINE_CHANNEL_TOKEN": "test-channel-token", "CHANNEL_HTTP_TIMEOUT": 0.5,
                                     **extra}))


def test_line_push_request(app, http):
    application = line_app(http)
    msg_id = one_citizen_row(application, "line", line_user_id=LINE_ID)
    with application.app_context():
        assert process(msg_id) == "done"
        note = notification(msg_id)
    [req] = http.requests
    assert req["path"] == "/v2/bot/message/push"
    assert req["headers"]["Authorization"] == "Bearer test-channel-token"
    assert req["headers"]["X-Line-Retry-Key"] == note.reference
    assert req["body"]["to"] == LINE_ID
    [message] = req["body"]["messages"]
    assert message["type"] == "text" and "ตรวจสอบโรงงานแล้ว" in message["text"]
    assert note.status == "sent" and note.recipient == LINE_ID


def test_line_acceptance_lost_to_a_timeout_is_not_sent_twice(app, http):
    http.script = ["slow"]
    application = line_app(http)
    msg_id = one_citizen_row(application, "line", line_user_id=LINE_ID)
    with application.app_context():
        assert process(msg_id) == "pending"
        assert notification(msg_id).status == "failed" and "unreachable" in notification(msg_id).error
        assert process(msg_id) == "done"  # the retry carries the same key: LINE answers 409, it already went out
        assert notification(msg_id).status == "sent" and notification(msg_id).attempts == 2
    assert len(http.requests) == 2 and len(http.accepted) == 1


@pytest.mark.parametrize(("answer", "status", "outcome"), [(500, "pending", "failed"), (429, "pending", "failed"),
                                                           (401, "pending", "failed"), (400, "done", "failed")])
def test_line_errors(app, http, answer, status, outcome):
    http.script = [answer]
    application = line_app(http)
    msg_id = one_citizen_row(application, "line", line_user_id=LINE_ID)
    with application.app_context():
        assert process(msg_id) == status  # 400 is the message's fault: final; the others may pass later
        assert notification(msg_id).status == outcome and f"HTTP {answer}" in notification(msg_id).error


def test_line_without_a_token_waits_for_the_operator(app, http):
    application = line_app(http, LINE_CHANNEL_TOKEN=None)
    msg_id = one_citizen_row(application, "line", line_user_id=LINE_ID)
    with application.app_context():
        assert process(msg_id) == "pending"
        assert "LINE_CHANNEL_TOKEN" in db.session.get(OutboxMessage, msg_id).last_error
    assert http.requests == []


def test_sms_gateway_request(app, http):
    application = create_app(make_config(SMS_BACKEND="http", SMS_HTTP_URL=http.url + "/send?to={to}&ref={ref}",
                                         SMS_HTTP_TOKEN="gw-token"))
    msg_id = one_citizen_row(application, "sms")
    with application.app_context():
        assert process(msg_id) == "done"
        note = notification(msg_id)
    [req] = http.requests
    assert req["path"] == f"/send?to=%2B66812345678&ref={note.reference}"
    assert req["headers"]["Authorization"] == "Bearer gw-token"
    assert req["body"]["to"] == "+66812345678" and req["body"]["text"] == note.body and len(note.body) <= 140
    assert note.status == "sent"


def test_an_unknown_backend_is_a_visible_configuration_error(app):
    application = create_app(make_config(SMS_BACKEND="carrier-pigeon"))
    msg_id = one_citizen_row(application, "sms")
    with application.app_context():
        assert process(msg_id) == "pending"
        assert "unknown sms backend 'carrier-pigeon'" in db.session.get(OutboxMessage, msg_id).last_error


def test_inline_commit_sends_every_channel(app, smtp, http):
    """Without Redis the request's commit runs the rows: e-mail to SMTP, LINE to the API, SMS recorded."""
    application = line_app(http, SMTP_URL=smtp.url)
    with application.test_request_context():
        case = make_case(line_user_id=LINE_ID)
        public_step(case)
        commit()
        assert {n.channel: n.status for n in citizen_rows()} == {"email": "sent", "line": "sent", "sms": "recorded"}
    assert len(smtp.to("somying@example.com")) == 1 and len(http.accepted) == 1


@handler("test_event_then_email")
def _event_then_email(msg):
    """A handler that writes before it sends, as the SLA notices do."""
    case = db.session.get(Case, msg.payload["case_id"])
    record_event(case, "sla_progress_notice", public=True)
    if msg.payload["flush"]:
        db.session.flush()  # on SQLite the handler now holds the only writer's lock
    _deliver(msg, "email", "somying@example.com", "subject", "body", case.id)


@pytest.mark.parametrize("flush", [False, True])
def test_a_failed_send_rolls_back_the_handlers_own_writes(app, smtp, flush):
    smtp.mode = "tempfail"
    application = create_app(make_config(SMTP_URL=smtp.url))
    with application.test_request_context():
        case = make_case()
        row = outbox_add("test_event_then_email", {"case_id": case.id, "flush": flush})
        db.session.commit()
        assert process(row.id) == "pending"
        kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
        assert "sla_progress_notice" not in kinds  # all-or-nothing with the outbox row
        note = notification(row.id)
        # SQLite: the event was written at once, so the handler holds the only writer's lock; the log rode in the
        # handler's transaction (no deadlock) and the outbox row keeps the error instead
        if db.engine.dialect.name == "sqlite":
            assert note is None and "451" in db.session.get(OutboxMessage, row.id).last_error
        else:  # the log's own transaction kept the failure on record
            assert note.status == "failed" and "451" in note.error
        smtp.mode = "accept"
        assert process(row.id) == "done" and process(row.id) == "done"
        kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
        assert kinds.count("sla_progress_notice") == 1 and notification(row.id).status == "sent"
    assert len(smtp.to("somying@example.com")) == 1
