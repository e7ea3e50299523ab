"""People teach the classifier: every staff re-route is a training label; retraining is a tracked job."""

from flask import current_app
from sqlalchemy import select

from app.audit.services import record_event
from app.cases.models import Case, CaseUnit, Status
from app.common.models import utcnow
from app.errors import AppError, InvalidTransition, NotFound
from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import JobRun
from app.routing.models import Category, Division, TrainingLabel
from app.routing.services import match_rule

REROUTABLE = (Status.received, Status.triage, Status.assigned, Status.acknowledged, Status.in_progress)


def _visible(case: Case, actor) -> bool:
    if actor.role in ("agent", "supervisor", "admin"):
        return True
    return bool({u.division_code for u in case.units} & actor.division_codes)


def reroute_case(case_id: int, actor, category: str | None, division: str | None, reason: str,
                 note: str | None = None, public_note: str | None = None) -> Case:
    """Move a case to another category and/or unit; a category change becomes a training label.

    With only a category, the routing rules pick the unit. :raises NotFound: (also for a case the officer's
    units cannot see), :raises InvalidTransition: closed case, :raises AppError: unknown category or unit.
    """
    case = db.session.get(Case, case_id)
    if case is None or not _visible(case, actor):
        raise NotFound("case_not_found")
    if case.status not in REROUTABLE:
        raise InvalidTransition()
    if not category and not division:
        raise AppError("reroute_empty", 422)
    if category and db.session.get(Category, category) is None:
        raise AppError("category_unknown", 422)
    joint, rule_name = [], None
    if division is None:
        rule, division, joint = match_rule(category, case.province_code, case.in_estate)
        if rule is None:
            raise AppError("no_rule_for_place", 422)
        rule_name = rule.name
    target = db.session.get(Division, division)
    if target is None or not target.active:
        raise AppError("division_unknown", 422)
    before = {"category": case.category_code or case.suggested_category, "division": case.division_code}
    if category and category != before["category"]:
        db.session.add(TrainingLabel(case_id=case.id, text=_text(case), label=category,
                                     previous_label=before["category"], model_version=case.model_version,
                                     actor_id=actor.id, reason=reason))
    case.category_code = category or case.category_code
    case.division_code = division
    case.routing_mode, case.routing_rule, case.routing_reason = "manual", rule_name, "staff"
    case.units = [CaseUnit(division_code=division, role="lead")] + [
        CaseUnit(division_code=j, role="joint") for j in joint if j != division]
    if case.status in (Status.received, Status.triage):
        case.status = Status.assigned
    record_event(case, "rerouted", actor=actor, public=True, division=division, joint=joint,
                 category=case.category_code, previous=before, reason=reason, note=note, public_note=public_note)
    for code in [division, *joint]:
        outbox.add("notify_unit_new_case", {"case_id": case.id, "division": code},
                   dedupe_key=f"reroute:{case.id}:{code}:{utcnow().timestamp()}")
    db.session.flush()
    return case


def _text(case: Case) -> str:
    return " ".join(filter(None, [case.subject, case.description, case.respondent_name]))


def pending_labels() -> list[tuple[str, str]]:
    """Every human label, newest decision per case (a case re-routed twice teaches its final answer)."""
    rows = db.session.scalars(select(TrainingLabel).order_by(TrainingLabel.id)).all()
    latest = {r.case_id: (r.text, r.label) for r in rows}
    return list(latest.values())


def request_retrain(actor=None) -> JobRun:
    """Queue a retraining job (tracked by a JobRun row); runs inline without Redis."""
    run = JobRun(kind="retrain", requested_by=getattr(actor, "id", None))
    db.session.add(run)
    db.session.flush()
    outbox.add("retrain_classifier", {"job_run_id": run.id}, dedupe_key=f"retrain:{run.id}")
    return run


@outbox.handler("retrain_classifier")
def _run_retrain(msg) -> None:
    run_retrain(msg.payload["job_run_id"])


def run_retrain(job_run_id: int) -> JobRun:
    """Train a candidate on the corpus plus human labels; promote only if not worse (classifier.train.retrain)."""
    from classifier.train import retrain

    run = db.session.get(JobRun, job_run_id)
    if run.status == "done":
        return run
    run.status, run.started_at, run.progress = "running", utcnow(), 5
    db.session.commit()
    labels = pending_labels()
    card, promoted = retrain(labels, out_dir=current_app.config.get("CLASSIFIER_ARTIFACTS"),
                             cv=current_app.config["CLASSIFIER_RETRAIN_CV"])
    if promoted:
        db.session.query(TrainingLabel).filter(TrainingLabel.used_in_version.is_(None)).update(
            {"used_in_version": card["version"]})
    run.status, run.progress, run.finished_at = "done", 100, utcnow()
    run.result = {"version": card["version"], "promoted": promoted, "labels": len(labels),
                  "validation_macro_f1": card["validation"]["macro_f1"], "promotion": card.get("promotion")}
    run.message = "promoted" if promoted else "kept the current model (candidate was worse)"
    db.session.flush()
    return run
