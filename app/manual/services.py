"""Reading the published manual: the version in force at a moment, the SLA policy it sets, search.

This is the API the SLA engine uses: a case keeps the :class:`ManualVersion` in force when it was received
(:func:`version_in_force`), and its clocks come from :func:`sla_policy` of that version.
"""

from datetime import datetime

from sqlalchemy import select

from app.common.models import utcnow
from app.errors import NotFound
from app.extensions import db
from app.manual.content import find_to_confirm, working_day_minutes
from app.manual.models import ManualVersion
from app.manual.schemas import UNITS

#: the clocks of the ``sla`` block, in the order a case meets them
CLOCKS = ("acknowledge", "first_report", "progress_every", "resolve")


def version_in_force(slug: str, at: datetime) -> ManualVersion:
    """The version of ``slug`` in force at ``at``: the latest whose effective date has begun (Bangkok time).

    A moment before the first version's effective date gets the first version: it was the first published
    standard, and a case must never be left without one.

    :raises NotFound: no version of ``slug`` has been published.
    """
    row = db.session.scalars(
        select(ManualVersion).where(ManualVersion.slug == slug, ManualVersion.effective_at <= at)
        .order_by(ManualVersion.effective_at.desc(), ManualVersion.version.desc()).limit(1)).first()
    if row is None:
        row = db.session.scalars(select(ManualVersion).where(ManualVersion.slug == slug)
                                 .order_by(ManualVersion.effective_at, ManualVersion.version).limit(1)).first()
    if row is None:
        raise NotFound("manual_not_found", slug=slug)
    return row


def get_version(slug: str, version: int) -> ManualVersion:
    """One published version.

    :raises NotFound: no such slug or version.
    """
    row = db.session.scalars(select(ManualVersion).filter_by(slug=slug, version=version)).first()
    if row is None:
        raise NotFound("manual_version_not_found", slug=slug, version=version)
    return row


def versions_of(slug: str) -> list[ManualVersion]:
    """Every published version of ``slug``, newest first (the page's history list)."""
    return list(db.session.scalars(select(ManualVersion).where(ManualVersion.slug == slug)
                                   .order_by(ManualVersion.version.desc())))


def clock(duration: dict) -> dict:
    """``{"value": 15, "unit": "working_days"}`` → adds ``kind`` and ``days`` (day units) or ``minutes`` (business
    minutes, for minutes and hours)."""
    unit = UNITS[duration["unit"]]
    out = {"value": duration["value"], "unit": duration["unit"], "kind": unit["kind"]}
    if "days" in unit:
        out["days"] = duration["value"] * unit["days"]
    else:
        out["minutes"] = duration["value"] * unit["minutes"]
    return out


def sla_policy(version: ManualVersion) -> dict:
    """The clocks a case under ``version`` runs on.

    ``{"slug", "version", "manual_version_id", "licence_type", "working_day_minutes", "acknowledge",
    "first_report", "progress_every", "resolve", "total_time"}``; each clock is ``{"value", "unit", "kind"
    ("working"|"calendar"), "days" | "minutes"}`` (see :func:`clock`).
    """
    content = version.content
    policy = {"slug": version.slug, "version": version.version, "manual_version_id": version.id,
              "licence_type": content["licence_type"], "working_day_minutes": working_day_minutes()}
    for name in CLOCKS:
        policy[name] = clock(content["sla"][name])
    policy["total_time"] = clock(content["total_time"])
    return policy


def current_versions(at: datetime | None = None) -> list[ManualVersion]:
    """The version in force of every published service (rule of :func:`version_in_force`), by title."""
    at = at or utcnow()
    rows = db.session.scalars(select(ManualVersion).order_by(ManualVersion.slug, ManualVersion.effective_at,
                                                             ManualVersion.version))
    chosen: dict[str, ManualVersion] = {}
    for row in rows:  # ascending: the last one already in force wins, else the first one stays
        if row.slug not in chosen or row.effective_at <= at:
            chosen[row.slug] = row
    return sorted(chosen.values(), key=lambda v: v.title)


def search_text(content: dict) -> str:
    """What the index search matches: title, keywords and slug, lower-cased (Thai has no case)."""
    return " ".join([content["title"], *content.get("keywords", []), content["slug"]]).lower()


def search(query: str, at: datetime | None = None) -> list[ManualVersion]:
    """Services in force whose title or keywords contain every word of ``query`` (substring match: Thai is
    written without spaces, so a word is found inside a longer run of text)."""
    current = current_versions(at)
    words = query.lower().split()
    if not words:
        return current
    stmt = select(ManualVersion.id).where(ManualVersion.id.in_([v.id for v in current]))
    for word in words[:10]:
        stmt = stmt.where(ManualVersion.search_text.contains(word, autoescape=True))
    hits = set(db.session.scalars(stmt))
    return [v for v in current if v.id in hits]


def to_confirm(version: ManualVersion) -> list[tuple[str, str]]:
    """``[(field path, text)]`` of the values marked ``[ต้องยืนยัน]`` in this version."""
    return find_to_confirm(version.content)
