"""Helpers for the manual's tests: edited copies of the real manual files, and cleanup of test versions
(``manual_versions`` is reference data kept between tests, so a test that publishes removes what it added)."""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import delete

from app.extensions import db
from app.manual.models import ManualVersion

SERVICES = Path(__file__).resolve().parents[2] / "citizen_manual" / "services"
SLUGS = ("complaint-handling", "contact-centre-inquiry", "factory-class2-notification", "factory-licence",
         "tis-licence")
TEST_PREFIX = "test-"


def real(slug: str) -> dict:
    return yaml.safe_load((SERVICES / f"{slug}.yaml").read_text(encoding="utf-8"))


def write(folder: Path, doc: dict, name: str | None = None) -> Path:
    path = folder / f"{name or doc['slug']}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def test_versions(app):
    """Publish test services (slugs ``test-…``) freely; they are deleted afterwards."""
    yield
    with app.app_context():
        db.session.execute(delete(ManualVersion).where(ManualVersion.slug.startswith(TEST_PREFIX)))
        db.session.commit()
