"""Possible duplicates: open cases about the same respondent or place whose text shares most of its words.

Scored by Jaccard similarity of the cases' search terms, computed in SQL over the term index, so no case text
is loaded to compare. Staff confirm a merge; nothing is merged automatically.
"""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.cases.models import OPEN_STATUSES, Case, CaseSearchTerm
from app.cases.search import terms
from app.extensions import db

#: below this share of common words two complaints are about different things
MIN_SCORE = 0.3
LIMIT = 5
#: open cases in the same place looked at, newest first (a busy district's backlog, not all of history)
CANDIDATES = 200


@dataclass
class Candidate:
    case: Case
    score: float
    shared: int


def _norm(name: str | None) -> str | None:
    if not name:
        return None
    cut = name.replace("บริษัท", "").replace("จำกัด", "").replace("(มหาชน)", "")
    return "".join(cut.split()).lower() or None


def similar(words: list[str], *, province_code=None, district_code=None, respondent_name=None,
            exclude_id=None, visible=None, limit: int = LIMIT) -> list[Candidate]:
    """Open cases with at least ``MIN_SCORE`` of ``words`` in common, in the same district (or province when no
    district is known) or against the same respondent; best first."""
    if not words:
        return []
    place = []
    if district_code:
        place.append(Case.district_code == district_code)
    elif province_code:
        place.append(Case.province_code == province_code)
    if (key := _norm(respondent_name)) is not None:
        place.append(func.lower(func.replace(Case.respondent_name, " ", "")).contains(key[:40]))
    if not place:
        return []
    # candidates first (open, same place or respondent, most recent), so the word counting below never
    # scans the whole term index, however many cases share a common word like "โรงงาน"
    nearby = (select(Case.id).where(Case.status.in_(OPEN_STATUSES), or_(*place))
              .order_by(Case.received_at.desc()).limit(CANDIDATES))
    if exclude_id is not None:
        nearby = nearby.where(Case.id != exclude_id)
    if visible is not None:
        nearby = nearby.where(visible)
    nearby = nearby.subquery()
    shared = (select(CaseSearchTerm.case_id, func.count().label("shared"))
              .where(CaseSearchTerm.term.in_(words), CaseSearchTerm.case_id.in_(select(nearby.c.id)))
              .group_by(CaseSearchTerm.case_id).order_by(func.count().desc()).limit(50).subquery())
    size = (select(CaseSearchTerm.case_id, func.count().label("size"))
            .where(CaseSearchTerm.case_id.in_(select(shared.c.case_id)))
            .group_by(CaseSearchTerm.case_id).subquery())
    stmt = (select(Case, shared.c.shared, size.c.size)
            .join(shared, shared.c.case_id == Case.id).join(size, size.c.case_id == Case.id))
    out = []
    for case, common, total in db.session.execute(stmt):
        score = common / (len(words) + total - common)
        if score >= MIN_SCORE:
            out.append(Candidate(case, round(score, 3), common))
    out.sort(key=lambda c: c.score, reverse=True)
    return out[:limit]


def for_case(case: Case, visible=None) -> list[Candidate]:
    words = list(db.session.scalars(select(CaseSearchTerm.term).where(CaseSearchTerm.case_id == case.id)))
    return similar(words, province_code=case.province_code, district_code=case.district_code,
                   respondent_name=case.respondent_name, exclude_id=case.id, visible=visible)


def for_text(text: str, **where) -> list[Candidate]:
    """For a complaint not yet filed (the agent's console while typing)."""
    return similar(terms(text, inner=True), **where)
