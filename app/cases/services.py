"""Reading cases for staff: queues with filters and Thai search, case detail, related cases, complainant reveal."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.audit.services import record_event
from app.cases import access, duplicates, search
from app.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseUnit
from app.common.models import utcnow
from app.errors import AppError, Forbidden
from app.extensions import db
from app.sla.models import Deadline

MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


def queue(user, *, status=None, division=None, category=None, overdue=None, q=None, mine=False,
          page: int = 1, per_page: int = 25) -> Page:
    """The cases ``user`` may see, nearest resolution deadline first, with filters and search."""
    resolve = aliased(Deadline)
    stmt = (select(Case, resolve.due_at)
            .outerjoin(resolve, and_(resolve.case_id == Case.id, resolve.kind == "resolve"))
            .where(access.visible_clause(user)))
    if status == "open":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    elif status:
        stmt = stmt.where(Case.status.in_(status.split(",")))
    if division:
        stmt = stmt.where(Case.id.in_(select(CaseUnit.case_id).where(CaseUnit.division_code == division)))
    if category:
        stmt = stmt.where(or_(Case.category_code == category,
                              and_(Case.category_code.is_(None), Case.suggested_category == category)))
    if overdue is not None:
        late = and_(resolve.met_at.is_(None), resolve.due_at < utcnow())
        stmt = stmt.where(late if overdue else ~late)
    if mine:
        stmt = stmt.where(Case.assignee_id == user.id)
    if q:
        stmt = _search(stmt, q)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows = db.session.execute(
        stmt.order_by(resolve.due_at.is_(None), resolve.due_at, Case.id)
        .offset((max(page, 1) - 1) * per_page).limit(per_page)
        .options(selectinload(Case.deadlines), selectinload(Case.units))
    ).all()
    return Page([case for case, _ in rows], total, max(page, 1), per_page)


def _search(stmt, q: str):
    if search.looks_like_tracking_code(q):
        from app.intake.services import normalise_tracking_code

        code = normalise_tracking_code(q)
        return stmt.where(Case.tracking_code == code)
    ids = search.matching_ids(q)
    if ids is None:
        return stmt.where(Case.id.is_(None))  # nothing searchable: an honest empty result
    return stmt.where(Case.id.in_(ids))


def detail(case_id: int, user) -> Case:
    """The case for a staff view (404 when ``user`` may not see it)."""
    return access.get_visible(case_id, user)


def related(case: Case, user) -> list[Case]:
    """Cases by the same complainant, the case this one was merged into, and cases merged into it."""
    conds = [Case.merged_into_id == case.id]
    if case.merged_into_id:
        conds.append(Case.id == case.merged_into_id)
    if case.complainant_id and not access.is_restricted(case):
        conds.append(Case.complainant_id == case.complainant_id)
        person = case.complainant
        if person is not None and person.phone:
            from app.intake.models import Complainant

            same_phone = select(Complainant.id).where(Complainant.phone == person.phone)
            conds.append(Case.complainant_id.in_(same_phone))
    stmt = (select(Case).where(or_(*conds), Case.id != case.id, access.visible_clause(user))
            .order_by(Case.received_at.desc()).limit(20))
    return list(db.session.scalars(stmt))


def possible_duplicates(case: Case, user) -> list[duplicates.Candidate]:
    return duplicates.for_case(case, visible=access.visible_clause(user))


def reveal_complainant(case_id: int, user, reason: str):
    """The complainant's contact details for a role that needs them; the view itself is a case event."""
    case = access.get_visible(case_id, user)
    if not access.can_see_complainant(case, user):
        raise Forbidden("personal_data_forbidden")
    if not reason or len(reason.strip()) < 3:
        raise AppError("reason_required", 422)
    record_event(case, "personal_data_viewed", actor=user, public=False, reason=reason.strip()[:500])
    return case.complainant


def note_duplicates(case: Case) -> None:
    """Note possible duplicates on ``case`` for the officer (an internal event), once: a rerun adds nothing."""
    if db.session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id,
                                                    CaseEvent.kind == "duplicates_suggested")):
        return
    found = duplicates.for_case(case)
    if found:
        record_event(case, "duplicates_suggested", public=False,
                     candidates=[{"id": c.case.id, "code": c.case.tracking_code, "score": c.score} for c in found])
