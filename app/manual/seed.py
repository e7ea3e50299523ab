"""Publish the manual files as versions (``flask seed``). Idempotent and all-or-nothing:

- an unchanged file (same content hash) does nothing;
- a file with a new ``version`` (higher than every published one, effective no earlier) becomes a new row;
- a changed file that keeps a published version number is refused: a published version never changes, since
  cases already run on it.
"""

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.manual.content import ManualFile, load_all
from app.manual.models import ManualVersion
from app.manual.services import search_text

BANGKOK = ZoneInfo("Asia/Bangkok")


class ManualError(ValueError):
    """The manual files cannot be published; ``errors`` name file and field."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def effective_instant(day: date) -> datetime:
    """Midnight at the start of ``day`` in Bangkok, as UTC."""
    return datetime.combine(day, time(0), tzinfo=BANGKOK).astimezone(UTC)


def _check_history(f: ManualFile) -> tuple[str, list[str]]:
    """``("unchanged" | "new", errors)`` for a valid file against what is already published."""
    c, name = f.content, f.path.name
    same = db.session.scalars(select(ManualVersion).filter_by(slug=f.slug, version=c["version"])).first()
    if same is not None:
        if same.sha256 == f.sha256:
            return "unchanged", []
        return "new", [f"{name}: version: version {c['version']} is already published with different content; "
                       f"give the change a new version and effective_date"]
    latest = db.session.scalars(select(ManualVersion).where(ManualVersion.slug == f.slug)
                                .order_by(ManualVersion.version.desc()).limit(1)).first()
    errors = []
    if latest is not None and c["version"] < latest.version:
        errors.append(f"{name}: version: {c['version']} is older than the published version {latest.version}")
    if latest is not None and date.fromisoformat(c["effective_date"]) < latest.effective_date:
        errors.append(f"{name}: effective_date: {c['effective_date']} is before version {latest.version}'s "
                      f"effective date {latest.effective_date.isoformat()}")
    return "new", errors


def seed_manual(directory: Path | None = None) -> dict:
    """Validate every manual file, then add a version row for each new version; flushes, the caller commits.

    :raises ManualError: a file is invalid or would rewrite a published version (nothing is added then).
    """
    files = load_all(directory)
    errors = [e for f in files for e in f.errors]
    new = []
    for f in files:
        if f.ok:
            state, problems = _check_history(f)
            errors += problems
            if state == "new" and not problems:
                new.append(f)
    if errors:
        raise ManualError(errors)
    for f in new:
        c = f.content
        day = date.fromisoformat(c["effective_date"])
        db.session.add(ManualVersion(slug=f.slug, version=c["version"], effective_date=day,
                                     effective_at=effective_instant(day), title=c["title"],
                                     search_text=search_text(c), content=c, sha256=f.sha256))
    db.session.flush()
    total = db.session.scalar(select(func.count()).select_from(ManualVersion))
    return {"manual_versions_added": len(new), "manual_versions": total}
