"""The classifier in the service: /api/v1/classify, automatic routing at intake, learning from staff."""

from sqlalchemy import select

from app.cases.models import Case, CaseEvent, CaseUnit
from app.extensions import db
from app.outbox.models import JobRun
from app.routing.models import TrainingLabel
from tests.conftest import valid_complaint

FACTORY = "โรงงานผลิตสีปล่อยกลิ่นเหม็นฉุนและควันดำทุกคืน ชาวบ้านแสบจมูกนอนไม่หลับ ขอให้มาตรวจสอบโรงงานด่วน"
ROAD = "ถนนหน้าหมู่บ้านเป็นหลุมเป็นบ่อ ไฟส่องสว่างดับทั้งซอย ขับรถกลางคืนอันตรายมาก ขอให้เขตมาซ่อมถนน"


def road_doc() -> dict:
    return valid_complaint(description=ROAD, subject=None, respondent=None)


def test_classify_without_a_model_says_so(client):
    r = client.post("/api/v1/classify", json={"text": FACTORY})
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "classifier_unavailable"


def test_classify_answers_the_contract(client, with_model):
    r = client.post("/api/v1/classify", json={"text": FACTORY, "location": {"province": "ชลบุรี"}})
    assert r.status_code == 200
    body = r.get_json()
    assert body["category"] == "FACTORY_POLLUTION" and 0 < body["confidence"] <= 1
    assert body["mode"] in ("auto", "triage") and body["model_version"] == with_model["version"]
    assert body["alternatives"][0]["category"] == "FACTORY_POLLUTION" and len(body["alternatives"]) == 3
    if body["mode"] == "auto":
        assert body["division"]["code"] == "PIO-20"
    road = client.post("/api/v1/classify", json={"text": ROAD}).get_json()
    assert road["category"] == "OUT_OF_REMIT" and road["mode"] == "triage" and road["division"]["code"] == "TRIAGE"
    assert client.post("/api/v1/classify", json={"text": ""}).status_code == 422
    assert client.post("/api/v1/classify", json={"txt": FACTORY}).status_code == 422


def test_intake_routes_automatically_and_records_why(client, with_model, ctx):
    r = client.post("/api/v1/complaints", json=valid_complaint(description=FACTORY,
                                                               location={"province": "ชลบุรี"}))
    body = r.get_json()
    case = db.session.scalar(select(Case))
    assert case.model_version == with_model["version"] and case.suggested_category == "FACTORY_POLLUTION"
    assert case.routing_confidence == body["routing"]["confidence"]
    if body["routing"]["mode"] == "auto":
        assert body["category"] == "FACTORY_POLLUTION" and body["division"]["code"] == "PIO-20"
        assert case.routing_rule == "factory-pollution-province" and case.status == "assigned"
    else:
        assert body["division"]["code"] == "TRIAGE" and case.routing_reason == "low_confidence"
    routed = db.session.scalar(select(CaseEvent).where(CaseEvent.kind == "routed"))
    assert routed.data["model_version"] == with_model["version"] and routed.data["confidence"] is not None


def test_out_of_remit_goes_to_triage_with_the_suggestion(client, with_model):
    body = client.post("/api/v1/complaints", json=road_doc()).get_json()
    assert body["routing"]["mode"] == "triage" and body["division"]["code"] == "TRIAGE"
    assert body["routing"]["suggested_category"] == "OUT_OF_REMIT" and body["category"] is None


def test_staff_reroute_becomes_a_training_label_and_retrain_is_a_tracked_job(client, staff_token, with_model,
                                                                              ctx, monkeypatch, tmp_path):
    code = client.post("/api/v1/complaints", json=road_doc()).get_json()["tracking_code"]
    case = db.session.scalar(select(Case).where(Case.tracking_code == code))
    auth = {"Authorization": f"Bearer {staff_token}"}
    r = client.post(f"/api/v1/cases/{case.id}/actions", headers=auth,
                    json={"action": "reroute", "category": "MINING", "reason": "ผู้ร้องแจ้งทางโทรศัพท์ว่าเป็นโรงโม่หิน"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["division"]["code"] == "DPIM"
    db.session.expire_all()
    label = db.session.scalar(select(TrainingLabel))
    assert label.label == "MINING" and label.previous_label == "OUT_OF_REMIT" and label.reason.startswith("ผู้ร้อง")
    assert label.actor_id is not None and label.model_version == with_model["version"]
    units = {u.division_code: u.role for u in db.session.scalars(select(CaseUnit))}
    assert units == {"DPIM": "lead", "PIO-21": "joint"}
    assert client.post(f"/api/v1/cases/{case.id}/actions", json={"action": "reroute", "category": "MINING",
                                                                  "reason": "x"}).status_code == 401
    bad = client.post(f"/api/v1/cases/{case.id}/actions", headers=auth, json={"action": "reroute", "reason": "ไม่ระบุ"})
    assert bad.status_code == 422
    assert client.post(f"/api/v1/cases/{case.id}/actions", headers=auth,
                       json={"action": "fly", "reason": "x"}).status_code == 422

    # retraining on a copy of the artifacts: a tracked job that promotes only a model that is not worse
    import shutil

    art = tmp_path / "art"
    shutil.copytree(with_model_dir(), art)
    monkeypatch.setenv("IDEE_CLASSIFIER_ARTIFACTS", str(art))
    from app.routing.learning import request_retrain

    run = request_retrain()
    run_id = run.id
    from app.common.db import commit

    commit()
    run = db.session.get(JobRun, run_id)
    assert run.status == "done" and run.result["labels"] == 1
    assert "promoted" in run.result and run.result["validation_macro_f1"] > 0.8


def with_model_dir():
    import os

    return os.environ["IDEE_CLASSIFIER_ARTIFACTS"]
