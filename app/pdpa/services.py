"""Personal-data rights (PDPA B.E. 2562): a data subject's copy of their data, erasure, and retention.

Erasure anonymises the person, not the case: the Complainant row stays (so the case keeps its statistics) with its
fields wiped and ``anonymised_at`` set; their name, phone, e-mail and ID are masked wherever they appear in the
texts of their cases, ratings and the notification log. Events are append-only and hash-chained, so they never
hold personal data in the first place; each erasure adds one event per case saying that it happened.
"""

import hashlib
from datetime import timedelta

import phonenumbers
from flask import current_app
from sqlalchemy import exists, func, or_, select, update
from stdnum.th import pin

from app.audit.services import record_event
from app.cases.models import OPEN_STATUSES, Case
from app.common.models import utcnow
from app.csat.models import Feedback
from app.errors import AppError, Conflict, NotFound
from app.evidence.masking import known_values, mask_phone, mask_text
from app.evidence.seal import start_log
from app.extensions import db
from app.intake.models import Complainant
from app.outbox.models import Notification

PERSONAL_FIELDS = ("name", "phone", "email", "national_id", "line_user_id")


def normalise(identifier: dict) -> dict:
    """The identifiers as stored (E.164 phone, 13-digit ID, lower-case e-mail). :raises AppError: 422."""
    out = {}
    if identifier.get("national_id"):
        out["national_id"] = pin.compact(identifier["national_id"])
    if identifier.get("phone"):
        try:
            number = phonenumbers.parse(identifier["phone"], "TH")
        except phonenumbers.NumberParseException:
            raise AppError("pdpa_identifier", 422) from None
        out["phone"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if identifier.get("email"):
        out["email"] = identifier["email"].strip().lower()
    if not out:
        raise AppError("pdpa_identifier", 422)
    return out


def find_people(identifier: dict) -> list[Complainant]:
    """Every complainant row matching any of the identifiers. :raises NotFound: none (``pdpa_not_found``)."""
    ids = normalise(identifier)
    conds = [func.lower(Complainant.email) == ids["email"]] if "email" in ids else []
    conds += [getattr(Complainant, k) == v for k, v in ids.items() if k != "email"]
    people = db.session.scalars(select(Complainant).where(or_(*conds), Complainant.anonymised_at.is_(None))
                                .order_by(Complainant.id)).all()
    if not people:
        raise NotFound("pdpa_not_found")
    return people


def subject_ref(identifier: dict) -> str:
    """A hash naming the request in the log without writing the identifier itself there."""
    ids = normalise(identifier)
    return "subject:" + hashlib.sha256(repr(sorted(ids.items())).encode()).hexdigest()[:16]


def access_package(identifier: dict, actor, fmt: str = "zip") -> tuple[dict, int]:
    """Everything the service holds on the person, logged (export log + an event on each case)."""
    people = find_people(identifier)
    cases = db.session.scalars(select(Case).where(Case.complainant_id.in_([p.id for p in people]))
                               .order_by(Case.received_at)).all()
    log = start_log("pdpa_access", fmt, actor=actor, note=subject_ref(identifier))
    package = {
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "controller": "กระทรวงอุตสาหกรรม (ศูนย์รับเรื่องร้องเรียน i-Dee)",
        "legal_basis": "พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 มาตรา 24(4)(6) และสิทธิขอเข้าถึงตามมาตรา 30",
        "people": [{k: getattr(p, k) for k in PERSONAL_FIELDS} | {"created_at": p.created_at.isoformat()}
                   for p in people],
        "cases": [_case_dict(c) for c in cases],
        "notifications": [{"channel": n.channel, "recipient": n.recipient, "subject": n.subject, "body": n.body,
                           "status": n.status, "created_at": n.created_at.isoformat()}
                          for n in _notifications(cases, people)],
    }
    for case in cases:
        record_event(case, "personal_data_viewed", actor=actor, public=False, purpose="pdpa_access", export=log.id)
    log.rows, log.status, log.finished_at = len(cases), "done", utcnow()
    return package, log.id


def _case_dict(c: Case) -> dict:
    fb = db.session.scalar(select(Feedback).where(Feedback.case_id == c.id))
    return {"tracking_code": c.tracking_code, "received_at": c.received_at.isoformat(), "channel": c.channel,
            "status": c.status, "subject": c.subject, "description": c.description, "address": c.address,
            "province_code": c.province_code, "respondent_name": c.respondent_name,
            "category": c.category_code, "division": c.division_code,
            "timeline": [{"at": e.created_at.isoformat(), "kind": e.kind, "note": (e.data or {}).get("public_note")}
                         for e in c.events if e.public],
            "feedback": {"score": fb.score, "comment": fb.comment, "created_at": fb.created_at.isoformat()}
            if fb else None}


def _notifications(cases, people) -> list[Notification]:
    addresses = {v for p in people for v in (p.email, p.phone, p.line_user_id) if v}
    if not cases or not addresses:
        return []
    return db.session.scalars(select(Notification).where(Notification.case_id.in_([c.id for c in cases]),
                                                         Notification.recipient.in_(addresses))).all()


def anonymise(people: list[Complainant], *, actor=None, reason: str, log_id: int | None = None) -> int:
    """Wipe ``people`` and mask them in their cases' texts; one event per case. Returns the cases touched."""
    if not people:
        return 0
    now = utcnow()
    known_by_person = {p.id: known_values(*(getattr(p, k) for k in PERSONAL_FIELDS)) for p in people}
    cases = db.session.scalars(select(Case).where(Case.complainant_id.in_(list(known_by_person)))).all()
    for case in cases:
        known = known_by_person[case.complainant_id]
        case.subject, case.description = mask_text(case.subject, known), mask_text(case.description, known)
        case.address = mask_text(case.address, known)
        record_event(case, "personal_data_erased", actor=actor, public=False, reason=mask_text(reason),
                     export=log_id)
    case_ids = [c.id for c in cases]
    if case_ids:
        for fb in db.session.scalars(select(Feedback).where(Feedback.case_id.in_(case_ids))):
            fb.comment = mask_text(fb.comment, known_by_person[fb.case.complainant_id])
        for note in _notifications(cases, people):
            known = tuple(v for vals in known_by_person.values() for v in vals)
            note.recipient = mask_phone(note.recipient) if note.channel == "sms" else "***"
            note.body, note.subject = mask_text(note.body, known), mask_text(note.subject, known)
    db.session.execute(update(Complainant).where(Complainant.id.in_(list(known_by_person)))
                       .values(**{k: None for k in PERSONAL_FIELDS}, anonymised_at=now))
    return len(cases)


def erase(identifier: dict, actor, reason: str, force: bool = False) -> dict:
    """Erase the person (flushed). :raises Conflict: ``pdpa_open_cases`` while a case of theirs is open, unless
    ``force`` (the unit may still need to contact them to finish it)."""
    people = find_people(identifier)
    open_codes = db.session.scalars(select(Case.tracking_code).where(
        Case.complainant_id.in_([p.id for p in people]), Case.status.in_(OPEN_STATUSES))).all()
    if open_codes and not force:
        raise Conflict("pdpa_open_cases", codes=", ".join(open_codes[:10]))
    log = start_log("pdpa_erase", "json", actor=actor, note=subject_ref(identifier))
    touched = anonymise(people, actor=actor, reason=reason, log_id=log.id)
    log.rows, log.status, log.finished_at = touched, "done", utcnow()
    return {"people": len(people), "cases": touched, "export_log_id": log.id}


def retention_candidates(now=None, limit: int = 500) -> list[int]:
    """Complainants not yet anonymised whose every case was decided and closed over the retention period ago."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["PDPA_RETENTION_DAYS"])
    ended = func.coalesce(Case.closed_at, Case.concluded_at)
    keep = exists().where(Case.complainant_id == Complainant.id,
                          or_(Case.status.in_(OPEN_STATUSES), ended.is_(None), ended >= cutoff))
    return list(db.session.scalars(
        select(Complainant.id).where(Complainant.anonymised_at.is_(None), Complainant.created_at < cutoff, ~keep)
        .order_by(Complainant.id).limit(limit)))


def run_retention(now=None, progress=None) -> dict:
    """Anonymise every retention candidate, ``PDPA_RETENTION_BATCH`` people per committed transaction."""
    batch, people_done, cases_done, log_id = current_app.config["PDPA_RETENTION_BATCH"], 0, 0, None
    while ids := retention_candidates(now, batch):
        if log_id is None:
            log_id = start_log("pdpa_retention", "json", via="job", note="retention").id
        people = db.session.scalars(select(Complainant).where(Complainant.id.in_(ids))).all()
        cases_done += anonymise(people, reason="retention", log_id=log_id)
        people_done += len(people)
        db.session.commit()
        if progress:
            progress(len(people))
    if log_id is not None:
        from app.evidence.models import ExportLog

        log = db.session.get(ExportLog, log_id)
        log.rows, log.status, log.finished_at = people_done, "done", utcnow()
        db.session.commit()
    return {"people": people_done, "cases": cases_done}
