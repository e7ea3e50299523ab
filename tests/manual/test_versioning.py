"""Publishing the manual as versions, and the service API the SLA engine reads."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.errors import NotFound
from app.extensions import db
from app.manual import services
from app.manual.models import ManualVersion
from app.manual.seed import ManualError, seed_manual
from tests.manual.conftest import SLUGS, real, write

pytestmark = pytest.mark.usefixtures("test_versions")


def count(slug=None) -> int:
    stmt = select(func.count()).select_from(ManualVersion)
    return db.session.scalar(stmt.where(ManualVersion.slug == slug) if slug else stmt)


def test_seed_publishes_every_file_once_and_is_idempotent(ctx):
    assert sorted(db.session.scalars(select(ManualVersion.slug))) == sorted(SLUGS)  # seeded by the app fixture
    before = count()
    assert seed_manual() == {"manual_versions_added": 0, "manual_versions": before}
    v = services.get_version("factory-licence", 1)
    assert v.effective_date == date(2026, 1, 1)
    assert v.effective_at == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # midnight in Bangkok
    assert v.content["steps"][0]["key"] == "receive_check_documents" and "keywords" in v.content


def test_a_new_version_is_a_new_row_and_in_force_from_its_effective_date(ctx, tmp_path):
    doc = real("tis-licence")
    doc["slug"] = "test-tis"
    write(tmp_path, doc)
    assert seed_manual(tmp_path)["manual_versions_added"] == 1
    assert seed_manual(tmp_path)["manual_versions_added"] == 0  # unchanged file: nothing
    # a comment or a different layout is not a change: the hash is of the parsed content
    path = tmp_path / "test-tis.yaml"
    path.write_text("# แก้ไขหมายเหตุ\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert seed_manual(tmp_path)["manual_versions_added"] == 0

    doc.update(version=2, effective_date=date(2027, 1, 1))
    doc["total_time"]["value"] = 20
    doc["steps"][1]["duration"]["value"] = 10
    doc["sla"]["resolve"]["value"] = 20
    doc["legal_time_limit"]["days"] = 20
    write(tmp_path, doc)
    assert seed_manual(tmp_path)["manual_versions_added"] == 1
    assert count("test-tis") == 2
    db.session.commit()

    new_year_bkk = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert services.version_in_force("test-tis", datetime(2026, 12, 31, 16, 59, tzinfo=UTC)).version == 1
    assert services.version_in_force("test-tis", new_year_bkk).version == 2
    assert services.version_in_force("test-tis", datetime(2026, 6, 1, tzinfo=UTC)).version == 1
    # before the first version's effective date, the first version applies
    assert services.version_in_force("test-tis", datetime(2020, 1, 1, tzinfo=UTC)).version == 1
    assert services.sla_policy(services.get_version("test-tis", 1))["resolve"]["days"] == 15
    assert services.sla_policy(services.get_version("test-tis", 2))["resolve"]["days"] == 20
    assert [v.version for v in services.versions_of("test-tis")] == [2, 1]


def test_changing_a_published_version_is_refused(ctx, tmp_path):
    doc = real("complaint-handling")
    doc["slug"] = "test-complaints"
    write(tmp_path, doc)
    seed_manual(tmp_path)
    doc["criteria"].append("เกณฑ์ใหม่ที่เพิ่มโดยไม่เปลี่ยนฉบับ")
    write(tmp_path, doc)
    with pytest.raises(ManualError) as exc:
        seed_manual(tmp_path)
    assert exc.value.errors == ["test-complaints.yaml: version: version 1 is already published with different "
                                "content; give the change a new version and effective_date"]
    doc.update(version=2, effective_date=date(2025, 6, 1))
    write(tmp_path, doc)
    with pytest.raises(ManualError, match="test-complaints.yaml: effective_date: 2025-06-01 is before version 1's"):
        seed_manual(tmp_path)
    assert count("test-complaints") == 1


def test_publishing_is_all_or_nothing(ctx, tmp_path):
    good, bad = real("factory-licence"), real("tis-licence")
    good["slug"], bad["slug"] = "test-good", "test-bad"
    bad["sla"]["acknowledge"]["unit"] = "fortnights"
    write(tmp_path, good)
    write(tmp_path, bad)
    with pytest.raises(ManualError) as exc:
        seed_manual(tmp_path)
    assert exc.value.errors[0].startswith("test-bad.yaml: sla.acknowledge.unit: Must be one of")
    assert count("test-good") == 0


def test_flask_seed_publishes_the_manual(app):
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert '"manual_versions_added": 0' in result.output


def test_flask_seed_reports_manual_errors(app, tmp_path):
    doc = real("factory-licence")
    doc["slug"] = "test-cli"
    doc.pop("forms")
    write(tmp_path, doc)
    app.config["MANUAL_DIR"] = str(tmp_path)
    try:
        result = app.test_cli_runner().invoke(args=["seed"])
    finally:
        app.config.pop("MANUAL_DIR")
    assert result.exit_code == 1
    assert "test-cli.yaml: forms: Missing data for required field." in result.output


def test_unknown_slug_or_version_is_not_found(ctx):
    with pytest.raises(NotFound):
        services.version_in_force("no-such-service", datetime.now(UTC))
    with pytest.raises(NotFound):
        services.get_version("factory-licence", 99)


def test_sla_policy_gives_value_unit_and_kind_of_every_clock(ctx):
    complaints = services.sla_policy(services.version_in_force("complaint-handling", datetime.now(UTC)))
    assert complaints["acknowledge"] == {"value": 1, "unit": "working_days", "kind": "working", "days": 1}
    assert complaints["first_report"]["days"] == 15 and complaints["progress_every"]["days"] == 15
    assert complaints["resolve"] == {"value": 30, "unit": "working_days", "kind": "working", "days": 30}
    assert complaints["total_time"]["days"] == 15 and complaints["licence_type"] is False
    assert complaints["working_day_minutes"] == 420
    licence = services.sla_policy(services.get_version("factory-licence", 1))
    assert licence["licence_type"] is True
    assert licence["progress_every"] == {"value": 7, "unit": "days", "kind": "calendar", "days": 7}
    inquiry = services.sla_policy(services.get_version("contact-centre-inquiry", 1))
    assert inquiry["acknowledge"] == {"value": 10, "unit": "minutes", "kind": "working", "minutes": 10}
