"""The sweep: set-based transitions, alerts, escalation and citizens' notices through the outbox; idempotent."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from app.audit.services import verify_chain
from app.cases.models import CaseEvent
from app.common.models import utcnow
from app.extensions import db
from app.outbox.models import JobRun, Notification, OutboxMessage
from app.outbox.services import relay
from app.sla.models import SlaAlert
from app.sla.services import set_service
from app.sla.sweep import run_sweep, sweep
from tests.sla.conftest import bkk, clocks, file_case, step

MON = bkk(2026, 11, 16, 10, 0)


def n(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def sla_outbox(job: str) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.job == job)).all()


def test_overdue_then_at_risk_with_alerts_and_digests_and_a_second_sweep_adds_nothing(users):
    case = file_case(MON)
    first = sweep(bkk(2026, 11, 17, 16, 31))  # acknowledgement was due at 16:30
    db.session.commit()
    assert (first["overdue"], first["at_risk"], first["alerts"]) == (1, 0, 1)
    assert first["sla_unit_alerts"] == 1 and first["sla_escalate"] == 1
    assert clocks(case)["acknowledge", 0].state == "overdue"
    again = sweep(bkk(2026, 11, 17, 16, 31))
    db.session.commit()
    assert {k: v for k, v in again.items() if k != "at"} == dict.fromkeys(
        ("overdue", "at_risk", "alerts", "delay_chains", "citizen_notices", "sla_unit_alerts", "sla_escalate"), 0)
    assert n(SlaAlert) == 1 and len(sla_outbox("sla_escalate")) == 1
    later = sweep(bkk(2026, 12, 4, 10, 0))  # first report (due 8 Dec) is in its last fifth
    db.session.commit()
    assert later["at_risk"] == 1 and later["overdue"] == 0 and later["sla_escalate"] == 0
    assert clocks(case)["first_report", 0].state == "at_risk"
    assert len(sla_outbox("sla_unit_alerts")) == 2


def test_escalation_mails_the_supervisors_and_records_chained_events(app, users):
    case = file_case(MON)
    result = run_sweep(bkk(2027, 3, 1, 9, 0))  # everything overdue by then
    assert result["overdue"] == 3 and result["relayed"] >= 2
    db.session.expire_all()
    esc = db.session.scalar(select(Notification).join(OutboxMessage, OutboxMessage.id == Notification.outbox_id)
                            .where(OutboxMessage.job == "sla_escalate"))
    assert esc.recipient == app.config["SLA_ESCALATION_EMAIL"] and case.tracking_code in esc.body
    unit = db.session.scalar(select(Notification).join(OutboxMessage, OutboxMessage.id == Notification.outbox_id)
                             .where(OutboxMessage.job == "sla_unit_alerts"))
    assert "เกินกำหนด" in unit.body and "3" in unit.subject
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "sla_escalated")).all()
    assert len(events) == 3 and not any(e.public for e in events)
    assert verify_chain().ok
    assert n(SlaAlert, SlaAlert.sent_at.is_(None)) == 0
    assert db.session.scalar(select(JobRun).where(JobRun.kind == "sla_sweep")).status == "done"


def test_progress_notices_go_to_the_citizen_every_15_working_days(users):
    case = file_case(MON)
    step(case, "acknowledge")  # the first report: the progress clock starts
    progress = clocks(case)["progress", 1]
    at = progress.due_at + timedelta(minutes=1)
    result = run_sweep(at)
    assert result["citizen_notices"] == 1
    db.session.expire_all()
    c = clocks(case)
    assert c["progress", 1].state == "met" and c["progress", 2].state == "ok"
    assert c["progress", 2].due_at > at
    mail = db.session.scalar(select(Notification).where(Notification.case_id == case.id,
                                                        Notification.subject.contains("ความคืบหน้า")))
    assert mail.recipient == "somying@example.com" and case.tracking_code in mail.body
    public = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.kind == "sla_progress_notice")).all()
    assert len(public) == 1 and public[0].public
    assert run_sweep(at)["citizen_notices"] == 0  # the same moment again: nothing new


def test_paused_clocks_are_not_swept(users):
    case = file_case(MON)
    step(case, "acknowledge")
    step(case, "request_info", public_note="ขอภาพถ่าย")
    result = sweep(utcnow() + timedelta(days=400))
    db.session.commit()
    c = clocks(case)
    assert c["resolve", 0].state == "paused" and c["progress", 1].state == "paused"
    assert result["citizen_notices"] == 0 and result["overdue"] == 0


def test_a_late_licence_gets_s10_notices_every_7_days_copied_to_opdc(app, users):
    case = file_case(MON)
    set_service(case, "tis-licence")
    db.session.commit()
    due = clocks(case)["resolve", 0].due_at
    at = due + timedelta(minutes=1)
    result = run_sweep(at)
    assert result["delay_chains"] == 1 and result["citizen_notices"] == 1
    relay(grace=timedelta(0))  # the OPDC copy was queued by the notice's own job
    db.session.expire_all()
    c = clocks(case)
    assert c["delay_notice", 1].state == "met" and c["delay_notice", 2].state == "ok"
    assert c["delay_notice", 2].due_at.date() >= (due + timedelta(days=7)).date()
    opdc = db.session.scalar(select(Notification).where(Notification.recipient == app.config["SLA_OPDC_EMAIL"]))
    assert opdc is not None and case.tracking_code in opdc.body and "สมหญิง" not in opdc.body
    assert run_sweep(at)["delay_chains"] == 0


def test_cli_sweep_reports_counts_and_rejects_a_bad_moment(app, users):
    file_case(MON)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["sla", "sweep", "--at", "2026-11-18T09:00:00+07:00"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["overdue"] == 1
    bad = runner.invoke(args=["sla", "sweep", "--at", "เมื่อวาน"])
    assert bad.exit_code == 2 and "ISO 8601" in bad.output
