"""End to end: real Redis, real ``flask worker --burst`` processes, real SMTP and LINE API servers on loopback.
A citizen's notice relayed twice is delivered once per channel; officers are told through the same worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.common.db import commit
from app.extensions import db
from app.outbox.models import Notification, OutboxMessage
from app.outbox.services import relay
from app.routing.models import Division
from tests.conftest import DB_URL, make_config
from tests.outbox.test_notify_citizen import LINE_ID, make_case, public_step
from tests.outbox.test_notify_transports import HttpSink, SmtpSink

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def servers():
    smtp, http = SmtpSink(), HttpSink()
    yield smtp, http
    smtp.close()
    http.close()


def settings(redis_url, smtp, http) -> dict:
    """The same settings for the web side (this process) and the worker (environment of a subprocess)."""
    return {"REDIS_URL": redis_url, "SMTP_URL": smtp.url, "LINE_BACKEND": "line_push", "LINE_API_BASE": http.url,
            "LINE_CHANNEL_TOKEN": "test-channel-token", "PUBLIC_BASE_URL": "https://idee.example.go.th"}


def run_worker(env_settings):
    env = {**os.environ, **env_settings, "DATABASE_URL": DB_URL, "APP_ENV": "testing", "SECRET_KEY": "test",
           "FLASK_APP": "wsgi"}
    out = subprocess.run([sys.executable, "-m", "flask", "worker", "--burst"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]


def test_a_notice_relayed_twice_is_delivered_once(app, redis_url, servers):
    smtp, http = servers
    Redis.from_url(redis_url).flushdb()
    env_settings = settings(redis_url, smtp, http)
    web = create_app(make_config(**env_settings))
    with web.test_request_context():
        user = User(username="o1", full_name="o1", email="o1@industry.go.th", role="officer",
                    divisions=[db.session.get(Division, "TRIAGE")])
        user.set_password("x" * 12)
        db.session.add(user)
        case = make_case(line_user_id=LINE_ID, keep_jobs=True)  # with the receipt and the unit's notices
        rows = public_step(case, kind="concluded", note="โรงงานติดตั้งระบบบำบัดกลิ่นแล้ว")
        commit()  # relays every new row to Redis once
        ids = [row.id for row in rows]
        assert relay(ids) == 3  # and again, as the periodic sweep or a retried request would
        assert {db.session.get(OutboxMessage, i).status for i in ids} == {"pending"}
        code = case.tracking_code
    run_worker(env_settings)
    run_worker(env_settings)  # a second worker run finds nothing left to send
    with web.app_context():
        assert {db.session.get(OutboxMessage, i).status for i in ids} == {"done"}
        notes = {n.channel: n for n in db.session.scalars(select(Notification).where(Notification.outbox_id.in_(ids)))}
        assert {c: n.status for c, n in notes.items()} == {"email": "sent", "line": "sent", "sms": "recorded"}
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
        assert set(statuses) == {"done"}, statuses
    receipt, mail = sorted(smtp.to("somying@example.com"), key=lambda m: "ยุติเรื่องแล้ว" in m.get_content())
    assert code in receipt.get_content() and "ยุติเรื่องแล้ว" not in receipt.get_content()
    assert "ยุติเรื่องแล้ว" in mail.get_content() and f"https://idee.example.go.th/track/{code}" in mail.get_content()
    assert len(http.accepted) == 2 and {m["body"]["to"] for m in http.accepted} == {LINE_ID}  # receipt, result
    assert len(smtp.to("o1@industry.go.th")) == 1  # the officer row the unit job wrote ran in the same worker
    assert len(smtp.to("gecc-triage@industry.go.th")) == 1
    Redis.from_url(redis_url).flushdb()
