"""Who may see a case and who may see its complainant.

An officer sees only the cases of their units (another unit's case answers 404, so ids do not leak). The
complainant's contact details are for the roles that must contact them; a restricted unit's cases (the
anti-corruption centre) hide the complainant from everyone outside that unit. Every reveal is a case event.
"""

from sqlalchemy import exists, select, true

from app.cases.models import Case, CaseUnit
from app.errors import NotFound
from app.extensions import db
from app.routing.models import Division

#: roles that see every case (read); officers see their units' cases
SEE_ALL = frozenset({"agent", "supervisor", "admin", "auditor"})
#: roles that may reveal a complainant's contact details (with a reason, logged)
PII_ROLES = frozenset({"agent", "officer", "supervisor"})


def restricted_units() -> set[str]:
    return set(db.session.scalars(select(Division.code).where(Division.restricted.is_(True))))


def visible_clause(user):
    """A WHERE clause limiting ``Case`` to what ``user`` may see."""
    if user.role in SEE_ALL:
        return true()
    codes = user.division_codes or {"-"}
    return exists().where(CaseUnit.case_id == Case.id, CaseUnit.division_code.in_(codes))


def can_view(case: Case, user) -> bool:
    if user.role in SEE_ALL:
        return True
    return bool({u.division_code for u in case.units} & user.division_codes)


def get_visible(case_id: int, user, *, lock: bool = False) -> Case:
    """The case, if ``user`` may see it. :raises NotFound: otherwise (same answer as a missing id)."""
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update(of=Case)  # only the case row (its eager joins cannot be locked)
    case = db.session.scalar(stmt)
    if case is None or not can_view(case, user):
        raise NotFound("case_not_found")
    return case


def is_lead_officer(case: Case, user) -> bool:
    return user.role == "officer" and case.division_code in user.division_codes


#: a misconduct complaint stays restricted even while it waits at the triage desk
RESTRICTED_CATEGORIES = frozenset({"OFFICIAL_MISCONDUCT"})


def is_restricted(case: Case) -> bool:
    return bool(case.division is not None and case.division.restricted) or (
        case.category_code in RESTRICTED_CATEGORIES or case.suggested_category in RESTRICTED_CATEGORIES)


def can_see_complainant(case: Case, user) -> bool:
    """Whether ``user`` may reveal this case's complainant (anonymous cases have none to reveal)."""
    if case.complainant_id is None or user.role not in PII_ROLES:
        return False
    if is_restricted(case):
        return bool(user.division_codes & restricted_units())
    if user.role == "officer":
        return is_lead_officer(case, user)
    return True
