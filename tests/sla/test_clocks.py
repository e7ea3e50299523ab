"""Clocks per case from the citizen manual: started at intake, met, paused, resumed, recomputed."""

from datetime import date, timedelta

from sqlalchemy import event, select, update

from app.cases.models import Case, Status
from app.common.db import commit
from app.extensions import db
from app.outbox.models import JobRun
from app.sla import admin, rules
from app.sla.models import CaseSla, Deadline, UnitHours
from app.sla.recompute import recompute, recompute_for_version
from app.sla.services import calendar, new_clocks, on_case_change, set_service
from tests.sla.conftest import bkk, clocks, file_case, step

MON = bkk(2026, 11, 16, 10, 0)  # Monday 16 November 2026


def test_intake_starts_the_manual_clocks_in_working_days(users):
    case = file_case(MON)
    c = clocks(case)
    assert {k for k, _ in c} == {"acknowledge", "first_report", "resolve"}
    assert c["acknowledge", 0].due_at == bkk(2026, 11, 17, 16, 30)
    # 15 working days; Saturday 5 December's holiday is observed on Monday 7 December
    assert c["first_report", 0].due_at == bkk(2026, 12, 8, 16, 30)
    assert c["first_report", 0].basis == "working_days:15" and c["resolve", 0].basis == "working_days:30"
    assert c["resolve", 0].due_at == calendar().deadline(MON, 30, "working_days")
    cs = db.session.get(CaseSla, case.id)
    assert (cs.service_slug, cs.manual_version, cs.licence) == ("complaint-handling", 1, False)
    assert c["resolve", 0].risk_at < c["resolve", 0].due_at


def test_new_clocks_cost_no_query_once_the_rules_are_cached(app, users, monkeypatch):
    monkeypatch.setitem(app.config, "SLA_RULES_CACHE_SECONDS", 60)  # production's setting (tests read at once)
    file_case(MON)  # warms the calendar, hours and manual caches
    case = Case(tracking_code="ID-TEST-0000-0001", description="x" * 20, division_code="DIW", received_at=MON)
    seen = []

    def count(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.session.no_autoflush:
            sla, rows = new_clocks(case)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(rows) == 3 and seen == [] and sla.resolve_due_at == rows[-1].due_at
    assert sla not in db.session and not any(d in db.session for d in rows)  # intake writes them with the case
    db.session.rollback()


def test_a_units_own_hours_move_its_deadlines_on_reroute(users):
    db.session.add(UnitHours(division_code="PIO-20", opens="08:00", closes="15:30", breaks=[["12:00", "13:00"]]))
    db.session.commit()
    rules.invalidate()
    case = file_case(MON)
    assert clocks(case)["acknowledge", 0].due_at == bkk(2026, 11, 17, 16, 30)
    step(case, "reroute", division="PIO-20", reason="โรงงานอยู่ชลบุรี")
    assert clocks(case)["acknowledge", 0].due_at == bkk(2026, 11, 17, 15, 30)


def test_pause_while_awaiting_the_citizen_moves_the_due_by_working_time(users):
    case = file_case(MON)
    before = {k: d.due_at for k, d in clocks(case).items()}
    case.status = Status.awaiting_info
    on_case_change(case, "info_requested", "in_progress", now=bkk(2026, 11, 23, 9, 0))  # Monday
    db.session.commit()
    c = clocks(case)
    assert c["resolve", 0].state == "paused" and c["first_report", 0].state == "paused"
    assert c["acknowledge", 0].state != "paused"  # the unit's own step does not wait for the citizen
    case.status = Status.in_progress
    on_case_change(case, "resumed", "awaiting_info", now=bkk(2026, 11, 25, 9, 0))  # Wednesday: 2 working days
    db.session.commit()
    c = clocks(case)
    assert c["resolve", 0].paused_seconds == 2 * 7 * 3600
    assert c["resolve", 0].due_at == calendar().add_working_seconds(before["resolve", 0], 14 * 3600)
    assert c["acknowledge", 0].due_at == before["acknowledge", 0]
    assert c["resolve", 0].state in ("ok", "at_risk", "overdue")
    assert db.session.get(CaseSla, case.id).paused_at is None


def test_the_workflow_pauses_resumes_and_meets_the_clocks(users):
    case = file_case(MON)
    step(case, "acknowledge")
    c = clocks(case)
    assert c["acknowledge", 0].met_at == case.acknowledged_at and c["acknowledge", 0].state == "met"
    assert c["first_report", 0].met_at == case.first_reported_at  # acknowledging is told to the citizen
    assert c["progress", 1].state == "ok" and c["progress", 1].basis == "working_days:15"
    step(case, "request_info", public_note="ขอภาพถ่ายเพิ่มเติม")
    assert clocks(case)["resolve", 0].state == "paused"
    assert db.session.get(CaseSla, case.id).paused_at is not None
    step(case, "resume")
    assert clocks(case)["resolve", 0].state != "paused"
    step(case, "conclude", public_note="ตรวจสอบแล้ว สั่งให้ปรับปรุงแก้ไข")
    c = clocks(case)
    assert c["resolve", 0].met_at == case.concluded_at
    assert all(d.state == "met" for d in c.values())


def test_reopening_restarts_resolution(users):
    case = file_case(MON)
    step(case, "start")
    step(case, "conclude", public_note="ยุติ")
    step(case, "reopen", reason="ผู้ร้องแจ้งว่ายังมีกลิ่น")
    c = clocks(case)
    assert c["resolve", 0].met_at is None and c["resolve", 0].started_at > MON
    assert c["resolve", 0].due_at > c["first_report", 0].due_at
    assert any(k == "progress" and d.met_at is None for (k, _), d in c.items())


def test_a_licence_process_takes_its_manual_times_and_no_progress_chain(users):
    case = file_case(MON)
    set_service(case, "factory-licence")
    db.session.commit()
    c = clocks(case)
    cs = db.session.get(CaseSla, case.id)
    assert cs.licence and cs.notice_basis == "days:7"
    assert c["first_report", 0].basis == "working_days:30"
    step(case, "acknowledge")
    assert not any(k == "progress" for k, _ in clocks(case))


def test_a_calendar_closure_recomputes_the_open_clocks_it_spans(users):
    open_case, done = file_case(MON), file_case(MON)
    step(done, "start")
    step(done, "conclude", public_note="ยุติ")
    resolve_before = clocks(open_case)["resolve", 0].due_at
    done_before = clocks(done)["resolve", 0].due_at
    _, run_id = admin.add_day(date(2026, 11, 20), "closed", "วันหยุดพิเศษ", users["admin"])
    commit()  # the recomputation runs after commit (inline: no Redis in this test)
    run = db.session.get(JobRun, run_id)
    assert run.status == "done" and run.result["changed"] >= 2
    assert clocks(open_case)["resolve", 0].due_at == calendar().add_working_seconds(resolve_before, 7 * 3600)
    assert clocks(done)["resolve", 0].due_at == done_before  # a met clock stays as it was
    # a closure after every open clock's span moves nothing
    _, run_id = admin.add_day(date(2027, 6, 30), "closed", "ไกลเกินกำหนด", users["admin"])
    commit()
    assert db.session.get(JobRun, run_id).result["changed"] == 0


def test_a_manual_version_recompute_rebases_pinned_cases(users):
    case = file_case(MON)
    db.session.execute(update(Deadline).where(Deadline.case_id == case.id, Deadline.kind == "resolve")
                       .values(basis="working_days:99"))
    assert recompute(Deadline.case_id == case.id) == 1  # a stored due always follows its basis
    db.session.commit()
    assert clocks(case)["resolve", 0].due_at == calendar().deadline(MON, 99, "working_days")
    assert recompute_for_version("complaint-handling", 1) >= 1
    db.session.commit()
    d = clocks(case)["resolve", 0]
    assert d.basis == "working_days:30" and d.due_at == calendar().deadline(MON, 30, "working_days")


def test_recompute_keeps_the_sweeps_states_only_while_they_hold(users):
    case = file_case(MON - timedelta(days=200))
    d = clocks(case)["acknowledge", 0]
    d.state = "overdue"
    db.session.commit()
    on_case_change(case, "note", case.status)
    assert clocks(case)["acknowledge", 0].state == "overdue"
    assert db.session.scalar(select(Deadline.state).where(Deadline.id == d.id)) == "overdue"
