"""Tamper evidence: the chain page, ``flask export gecc`` + ``flask audit check-export`` proving a file matches."""

import json
from datetime import UTC, datetime

from sqlalchemy import text

from app.audit.services import record_event
from app.cases.models import Case
from app.extensions import db
from tests.evidence.helpers import auth, make_case, user

NOV = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def export(app, tmp_path, fmt="csv"):
    out = tmp_path / f"e.{fmt}"
    r = app.test_cli_runner().invoke(args=["export", "gecc", "--from", "2026-11-01", "--to", "2026-12-01",
                                           "--format", fmt, "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out, json.loads(r.output.strip().splitlines()[-1])


def check(app, path):
    r = app.test_cli_runner().invoke(args=["audit", "check-export", str(path)])
    return r.exit_code, json.loads(r.output.strip().splitlines()[0])


def seed(app):
    with app.app_context():
        officer = user("officer")
        return [make_case(app, NOV, ack=1, told=3, concluded=8, actor=officer), make_case(app, NOV, ack=1)]


def test_untouched_export_checks_out_and_later_work_is_explained(app, tokens, tmp_path):
    ids = seed(app)
    for fmt in ("csv", "xlsx", "pdf"):
        path, out = export(app, tmp_path, fmt)
        assert out["rows"] == 2 and out["chain_seq"] > 0
        code, report = check(app, path)
        assert code == 0 and report["ok"] and report["file_logged"], (fmt, report)
    csv_path = tmp_path / "e.csv"
    # later work on a case changes its row; its events after the seal explain the difference
    with app.app_context():
        case = db.session.get(Case, ids[1])
        case.concluded_at, case.outcome, case.status = datetime(2026, 11, 20, tzinfo=UTC), "concluded", "concluded"
        record_event(case, "concluded", actor=user("officer"), public=True)
        db.session.commit()
        code_, report = check(app, csv_path)
    assert code_ == 0 and report["ok"] and report["changed_since"] == [case_code(app, ids[1])]


def case_code(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).tracking_code


def test_edited_file_and_silently_changed_data_are_caught(app, tokens, tmp_path):
    ids = seed(app)
    path, _ = export(app, tmp_path)
    edited = tmp_path / "edited.csv"
    edited.write_text(path.read_text(encoding="utf-8-sig").replace(",yes,", ",no,", 1), encoding="utf-8-sig")
    code, report = check(app, edited)
    assert code == 1 and not report["ok"] and not report["file_logged"] and report["rows_match_log"] is False
    # the database changed behind the chain's back (no event): the row no longer matches and nothing explains it
    with app.app_context():
        db.session.execute(text("UPDATE cases SET channel = 'letter' WHERE id = :i"), {"i": ids[0]})
        db.session.commit()
    code, report = check(app, path)
    assert code == 1 and report["unexplained"] == [case_code(app, ids[0])]


def test_a_broken_chain_fails_every_export(app, tokens, tmp_path):
    seed(app)
    path, out = export(app, tmp_path, "pdf")
    with app.app_context():
        db.session.execute(text("UPDATE case_events SET kind = 'forged' WHERE seq = 1"))
        db.session.commit()
    code, report = check(app, path)
    assert code == 1 and not report["chain_ok"] and "changed at seq 1" in report["problems"][0]


def test_unknown_file_is_refused(app, tmp_path):
    stray = tmp_path / "x.pdf"
    stray.write_bytes(b"%PDF-1.7 not ours")
    code, report = check(app, stray)
    assert code == 1 and "not one the service delivered" in report["problems"][0]


def test_chain_page_for_auditors(app, client, tokens):
    seed(app)
    h = auth(tokens["auditor"])
    r = client.get("/staff/evidence/chain", headers=h)
    assert r.status_code == 200 and "ถูกต้องครบถ้วน" in r.get_data(as_text=True)
    assert client.get("/staff/evidence/chain", headers=auth(tokens["officer"])).status_code == 403
    with app.app_context():
        db.session.execute(text("DELETE FROM case_events WHERE seq = 2"))
        db.session.commit()
    r = client.get("/staff/evidence/chain?lang=en", headers=h)
    assert r.status_code == 409 and "an event was deleted at seq 3" in r.get_data(as_text=True)


def test_evidence_page_shows_figures_charts_and_exports(app, client, tokens):
    seed(app)
    r = client.get("/staff/evidence?from=2026-11-01&to=2026-12-01", headers=auth(tokens["auditor"]))
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<svg" in page and "แจ้งผู้ร้องภายใน 15 วัน" in page
    assert "/staff/evidence/export?" in page and "format=xlsx" in page
    r = client.get("/staff/evidence/export?from=2026-11-01&to=2026-12-01&format=csv", headers=auth(tokens["auditor"]))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert client.get("/staff/evidence?from=bad&to=2026-12-01", headers=auth(tokens["auditor"])).status_code == 422
