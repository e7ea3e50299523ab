"""The case workflow: every legal transition, every illegal one answers 409, and what each step records."""

import pytest
from sqlalchemy import select

from app.cases.models import CaseEvent, Status
from app.cases.states import TRANSITIONS
from app.extensions import db
from tests.cases.conftest import get_case

NOTE = {"public_note": "หน่วยงานตรวจสอบแล้ว สั่งให้โรงงานปรับปรุงระบบบำบัดกลิ่น"}


def act(client, headers, case_id, action, **body):
    return client.post(f"/api/v1/cases/{case_id}/actions", headers=headers, json={"action": action, **body})


# the path to each status from a freshly assigned case, by the DIW officer
PATHS = {
    Status.assigned: [],
    Status.acknowledged: [("acknowledge", {})],
    Status.in_progress: [("acknowledge", {}), ("start", {})],
    Status.awaiting_info: [("start", {}), ("request_info", {"public_note": "กรุณาส่งภาพถ่ายเพิ่มเติม"})],
    Status.concluded: [("start", {}), ("conclude", NOTE)],
    Status.not_concluded: [("start", {}), ("not_concluded", NOTE)],
    Status.closed: [("start", {}), ("conclude", NOTE), ("close", {})],
    Status.referred_out: [("refer_out", {"agency": "1567", "reason": "เป็นเรื่องของท้องถิ่น"})],
}

PARAMS = {
    "request_info": {"public_note": "กรุณาส่งภาพถ่ายเพิ่มเติม"},
    "conclude": NOTE, "not_concluded": NOTE,
    "reopen": {"reason": "ผู้ร้องแจ้งว่ายังมีกลิ่นอยู่"},
    "refer_out": {"agency": "local_authority", "reason": "อยู่ในอำนาจของเทศบาล"},
    "reroute": {"division": "PIO-20", "reason": "โรงงานอยู่ในจังหวัดชลบุรี"},
    "note": {"note": "โทรประสานโรงงานแล้ว"},
}


def _walk(client, headers, case_id, status):
    for action, body in PATHS[status]:
        r = act(client, headers, case_id, action, **body)
        assert r.status_code == 200, (action, r.get_json())


@pytest.mark.parametrize("status", list(PATHS))
@pytest.mark.parametrize("action", [a for a in TRANSITIONS if a not in ("merge", "assign")])
def test_every_transition_is_legal_exactly_from_its_sources(client, staff, new_case, status, action):
    case_id = new_case()
    _walk(client, staff["supervisor"], case_id, status)
    r = act(client, staff["supervisor"], case_id, action, **PARAMS.get(action, {}))
    if status in TRANSITIONS[action].sources:
        assert r.status_code == 200, r.get_json()
        target = TRANSITIONS[action].target
        assert r.get_json()["status"] == (target or status)
    else:
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_transition"


def test_officer_works_a_case_to_the_end_and_every_step_is_an_event(client, staff, new_case, ctx):
    case_id = new_case()
    off = staff["officer"]
    for action, body in [("acknowledge", {}), ("start", {"note": "นัดตรวจโรงงาน 25 พ.ย."}),
                         ("request_info", {"public_note": "ขอทราบเวลาที่ได้กลิ่น"}), ("resume", {}),
                         ("conclude", NOTE), ("close", {})]:
        r = act(client, off, case_id, action, **body)
        assert r.status_code == 200, (action, r.get_json())
    case = get_case(case_id)
    assert case.status == Status.closed and case.outcome == "concluded"
    assert case.acknowledged_at <= case.first_reported_at <= case.concluded_at <= case.closed_at
    kinds = [e.kind for e in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                                .order_by(CaseEvent.seq))]
    assert kinds[-6:] == ["acknowledged", "started", "info_requested", "resumed", "concluded", "closed"]
    met = {d.kind: d.met_at for d in case.deadlines}
    assert met["acknowledge"] is not None and met["resolve"] is not None


def test_internal_notes_never_reach_the_citizen(client, staff, new_case, ctx):
    case_id = new_case()
    act(client, staff["officer"], case_id, "start", note="ผู้ร้องเป็นญาติเจ้าของโรงงานคู่แข่ง")
    act(client, staff["officer"], case_id, "note", note="ภายใน: ตรวจสอบประวัติ")
    act(client, staff["officer"], case_id, "note", public_note="เจ้าหน้าที่ลงพื้นที่ตรวจแล้ว")
    code = get_case(case_id).tracking_code
    public = client.get(f"/api/v1/complaints/{code}").get_data(as_text=True)
    assert "ญาติ" not in public and "ภายใน" not in public and "ลงพื้นที่ตรวจแล้ว" in public
    staff_view = client.get(f"/api/v1/cases/{case_id}", headers=staff["officer"]).get_json()
    notes = [e["note"] for e in staff_view["events"] if e["note"]]
    assert any("ญาติ" in n for n in notes)


def test_results_need_words_for_the_citizen_and_reopen_needs_a_reason(client, staff, new_case):
    case_id = new_case()
    act(client, staff["officer"], case_id, "start")
    r = act(client, staff["officer"], case_id, "conclude")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "public_note_required"
    assert act(client, staff["officer"], case_id, "conclude", **NOTE).status_code == 200
    assert act(client, staff["officer"], case_id, "reopen").status_code == 422
    r = act(client, staff["officer"], case_id, "reopen", reason="ยังมีกลิ่นอยู่")
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress" and r.get_json()["outcome"] is None


def test_refer_out_closes_locally_with_the_agency(client, staff, new_case, ctx):
    case_id = new_case(division=None)  # still at the triage desk
    r = act(client, staff["agent"], case_id, "refer_out", agency="1567", reason="ถนนชำรุด เป็นเรื่องของท้องถิ่น")
    assert r.status_code == 200, r.get_json()
    case = get_case(case_id)
    assert case.status == Status.referred_out and case.closed_at and "1567" in case.referred_agency
    timeline = client.get(f"/api/v1/complaints/{case.tracking_code}").get_json()["timeline"]
    assert "ศูนย์ดำรงธรรม" in timeline[-1]["label"]


def test_merge_a_duplicate_into_its_open_case(client, staff, new_case, ctx):
    first, dup = new_case(), new_case()
    r = act(client, staff["officer"], dup, "merge", target=first)
    assert r.status_code == 200, r.get_json()
    assert get_case(dup).merged_into_id == first and get_case(dup).status == Status.merged
    merged_from = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == first,
                                                            CaseEvent.kind == "merged_from"))
    assert merged_from is not None and not merged_from.public
    code = get_case(dup).tracking_code
    label = client.get(f"/api/v1/complaints/{code}").get_json()["timeline"][-1]["label"]
    assert get_case(first).tracking_code in label  # the citizen is told which case carries on
    # a merged case cannot take another merge, nor be merged into
    assert act(client, staff["officer"], dup, "merge", target=first).status_code == 409
    third = new_case()
    assert act(client, staff["officer"], third, "merge", target=dup).status_code == 409
    assert act(client, staff["officer"], third, "merge", target=third).status_code == 422


def test_joint_units_may_note_but_not_change_status(client, staff, new_case, ctx):
    # MINING in Chonburi: DPIM leads, the Chonburi office joins
    case_id = new_case(division=None, location={"province": "ชลบุรี", "district": "เมืองชลบุรี"})
    r = act(client, staff["supervisor"], case_id, "reroute", category="MINING", reason="โรงโม่หิน")
    assert r.status_code == 200 and {u["code"] for u in r.get_json()["units"]} == {"DPIM", "PIO-20"}
    assert act(client, staff["officer2"], case_id, "note", note="สอจ.ชลบุรี ลงพื้นที่ร่วม").status_code == 200
    r = act(client, staff["officer2"], case_id, "acknowledge")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "joint_unit_read_only"


def test_assign_to_an_officer_of_the_lead_unit_only(client, staff, new_case, ctx):
    from app.accounts.models import User

    case_id = new_case()
    officer = db.session.scalar(select(User).where(User.username == "officer")).id
    officer2 = db.session.scalar(select(User).where(User.username == "officer2")).id
    assert act(client, staff["supervisor"], case_id, "assign", assignee=officer2).status_code == 422
    r = act(client, staff["supervisor"], case_id, "assign", assignee=officer)
    assert r.status_code == 200 and r.get_json()["assignee_id"] == officer


def test_bad_action_bodies_are_422_not_500(client, staff, new_case):
    case_id = new_case()
    h = staff["supervisor"]
    assert act(client, h, case_id, "fly").status_code == 422
    assert act(client, h, case_id, "merge", target="abc").status_code == 422
    assert act(client, h, case_id, "refer_out").status_code == 422
    assert act(client, h, case_id, "note").status_code == 422
    assert act(client, h, case_id, "start", colour="red").status_code == 422
    assert client.post(f"/api/v1/cases/{case_id}/actions", headers=h, data="x").status_code == 415
    assert act(client, h, 999999, "start").status_code == 404
