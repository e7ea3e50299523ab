"""Large exports run as jobs: a JobRun with progress, the file under EXPORT_DIR, a download link; inline and on a
real RQ worker process."""

import io
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from redis import Redis
from sqlalchemy import select

from app import create_app
from app.evidence.models import ExportLog
from app.extensions import db
from app.outbox.models import JobRun, OutboxMessage
from tests.conftest import DB_URL, make_config
from tests.evidence.helpers import auth, make_case
from tests.outbox.test_outbox import ROOT

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
QUERY = "/api/v1/exports/gecc?from=2026-11-01&to=2026-12-01&format=csv"


def test_over_the_threshold_an_export_becomes_a_job(app, client, tokens, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_ASYNC_ROWS", 1)
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    make_case(app, NOV, ack=1)
    make_case(app, NOV)
    h = auth(tokens["auditor"])
    r = client.get(QUERY, headers=h)
    assert r.status_code == 202
    job = r.get_json()
    assert r.headers["Location"] == job["url"]
    # no Redis: the job ran inline after the commit
    done = client.get(job["url"], headers=h).get_json()
    assert done["status"] == "done" and done["progress"] == 100 and done["rows"] == 2
    file = client.get(done["download_url"], headers=h)
    assert file.status_code == 200 and file.get_data().startswith("\ufeff# i-Dee".encode())
    with app.app_context():
        log = db.session.scalar(select(ExportLog))
        assert log.via == "job" and log.rows == 2 and log.job_run_id == job["id"] and log.path
    assert client.get(done["download_url"], headers=auth(tokens["officer"])).status_code == 403
    assert client.get("/api/v1/exports/jobs/999/download", headers=h).status_code == 404
    page = client.get(f"/staff/evidence/jobs/{job['id']}", headers=h)
    assert page.status_code == 200 and "download" in page.get_data(as_text=True)


@pytest.fixture
def redis_app(redis_url):
    Redis.from_url(redis_url).flushdb()
    application = create_app(make_config(REDIS_URL=redis_url, EXPORT_ASYNC_ROWS=0))
    yield application
    Redis.from_url(redis_url).flushdb()


def test_export_job_on_a_real_worker(app, redis_app, redis_url):
    make_case(app, NOV, ack=1)
    from app.accounts.seed import seed_demo_users

    with redis_app.app_context():
        seed_demo_users()
        db.session.commit()
    client = redis_app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "auditor", "password": app.config["DEMO_PASSWORD"]})
    h = auth(token.get_json()["token"])
    r = client.get(QUERY.replace("csv", "xlsx"), headers=h)
    assert r.status_code == 202
    job_id = r.get_json()["id"]
    with redis_app.app_context():
        assert db.session.get(JobRun, job_id).status == "queued"  # handed to Redis, not run here
    env = {**os.environ, "DATABASE_URL": DB_URL, "REDIS_URL": redis_url, "APP_ENV": "testing",
           "SECRET_KEY": "test", "FLASK_APP": "wsgi"}
    out = subprocess.run([sys.executable, "-m", "flask", "worker", "--burst"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    done = client.get(f"/api/v1/exports/jobs/{job_id}", headers=h).get_json()
    assert done["status"] == "done" and done["rows"] == 1, done
    file = client.get(done["download_url"], headers=h)
    from openpyxl import load_workbook

    assert "metadata" in load_workbook(io.BytesIO(file.get_data()), read_only=True).sheetnames
    with redis_app.app_context():
        assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.job == "export_gecc")) == "done"
        log = db.session.scalar(select(ExportLog))
        (ROOT / "instance" / "exports" / log.path).unlink(missing_ok=True)
