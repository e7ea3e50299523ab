"""The manual files' schema and cross-field checks: every problem names its file and field."""

import copy

import pytest

from app.manual.content import load_all, load_file
from tests.manual.conftest import SLUGS, real, write


def errors_of(tmp_path, doc, name=None):
    return load_file(write(tmp_path, doc, name)).errors


def test_the_shipped_manual_files_are_valid_and_complete():
    files = {f.slug: f for f in load_all()}
    assert sorted(files) == sorted(SLUGS)
    for f in files.values():
        assert f.ok, f.errors
        assert len(f.sha256) == 64
        c = f.content
        for key in ("criteria", "channels", "steps", "total_time", "documents", "fees", "complaint_channels",
                    "forms", "remarks", "sla", "legal_time_limit", "owner_agency"):
            assert key in c
    # values marked [ต้องยืนยัน] are allowed and listed with their field path
    paths = [p for p, _ in files["factory-licence"].to_confirm]
    assert "fees.0.remark" in paths and all(p.startswith(("remarks.", "fees.")) for p in paths)


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["steps"][2]["duration"].update(unit="weeks"),
     "factory-licence.yaml: steps.2.duration.unit: Must be one of: minutes, hours, working_days, days."),
    (lambda d: d.pop("fees"), "factory-licence.yaml: fees: Missing data for required field."),
    (lambda d: d.update(colour="red"), "factory-licence.yaml: colour: Unknown field."),
    (lambda d: d["steps"][0]["duration"].update(value="1"), "factory-licence.yaml: steps.0.duration.value: "),
    (lambda d: d["steps"][1].update(type="ตรวจ"), "factory-licence.yaml: steps.1.type: Must be one of"),
    (lambda d: d["documents"]["other"][0].update(originals=0, copies=0),
     "factory-licence.yaml: documents.other.0.copies: A document needs at least one original or one copy."),
    (lambda d: d["steps"][1].update(key=d["steps"][0]["key"]), "factory-licence.yaml: steps.1.key: Step key"),
    (lambda d: d.update(licence_type="yes"), "factory-licence.yaml: licence_type: "),
    (lambda d: d["channels"].clear(), "factory-licence.yaml: channels: "),
    (lambda d: d.update(effective_date="1 ม.ค. 2569"), "factory-licence.yaml: effective_date: "),
    (lambda d: d["fees"][0].update(amount_baht=-5), "factory-licence.yaml: fees.0.amount_baht: "),
])
def test_schema_errors_name_file_and_field(tmp_path, edit, expected):
    doc = real("factory-licence")
    edit(doc)
    errors = errors_of(tmp_path, doc)
    assert any(e.startswith(expected) for e in errors), errors


def test_steps_must_add_up_to_the_total_time(tmp_path):
    doc = real("factory-licence")
    doc["steps"][0]["duration"]["value"] = 2
    assert errors_of(tmp_path, doc) == [
        "factory-licence.yaml: total_time: the steps add up to 31 working days but total_time is 30 working days"]


def test_minutes_and_hours_add_up_into_working_days(tmp_path):
    doc = real("contact-centre-inquiry")  # 10 + 20 minutes + 6 hours + 30 minutes = 1 working day of 420 minutes
    assert errors_of(tmp_path, doc) == []
    doc["steps"][0]["duration"]["value"] = 11
    assert errors_of(tmp_path, doc) == ["contact-centre-inquiry.yaml: total_time: the steps add up to 421 working "
                                        "minutes but total_time is 1 working days"]


def test_calendar_days_cannot_be_added_to_working_time(tmp_path):
    doc = real("tis-licence")
    doc["steps"][1]["duration"] = {"value": 5, "unit": "days"}
    assert errors_of(tmp_path, doc) == [
        "tis-licence.yaml: steps.1.duration.unit: counts calendar time but total_time counts working time; "
        "working and calendar time cannot be added up"]


def test_sla_clocks_and_licence_notices(tmp_path):
    doc = real("tis-licence")
    doc["sla"]["first_report"] = {"value": 20, "unit": "working_days"}
    doc["sla"]["progress_every"] = {"value": 15, "unit": "working_days"}
    errors = errors_of(tmp_path, doc)
    assert "tis-licence.yaml: sla.resolve: is shorter than sla.first_report" in errors
    assert any(e.startswith("tis-licence.yaml: sla.progress_every: a licence-type service must notify") for e in errors)
    doc = real("complaint-handling")
    doc["sla"]["resolve"] = {"value": 10, "unit": "working_days"}
    assert "complaint-handling.yaml: sla.resolve: is shorter than total_time: the standard could not be kept" in \
        errors_of(tmp_path, doc)


def test_total_time_within_the_legal_limit(tmp_path):
    doc = real("complaint-handling")
    doc["legal_time_limit"]["days"] = 10
    assert "complaint-handling.yaml: total_time: is longer than legal_time_limit (10 working days)" in \
        errors_of(tmp_path, doc)


def test_slug_must_match_the_file_name_and_be_unique(tmp_path):
    doc = real("tis-licence")
    assert errors_of(tmp_path, doc, name="tis") == ["tis.yaml: slug: must match the file name ('tis')"]
    (tmp_path / "tis.yaml").unlink()
    write(tmp_path, doc)
    write(tmp_path, copy.deepcopy(doc), name="tis-licence-copy")
    errors = [e for f in load_all(tmp_path) for e in f.errors]
    assert "tis-licence-copy.yaml: slug: must match the file name ('tis-licence-copy')" in errors


def test_broken_yaml_names_the_line(tmp_path):
    (tmp_path / "broken.yaml").write_text("slug: broken\nsteps: [a\nfees: 1\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    errors = [e for f in load_all(tmp_path) for e in f.errors]
    assert errors[0].startswith("broken.yaml: line 3: not valid YAML")
    assert errors[1] == "list.yaml: (document): must be a mapping of the template's fields"


def test_cli_validate(app, tmp_path):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["manual", "validate"])
    assert ok.exit_code == 0, ok.output
    assert "factory-licence.yaml: ok, 6 value(s) to confirm" in ok.output
    assert "to confirm: factory-licence.yaml: fees.0.remark: [ต้องยืนยัน]" in ok.output
    doc = real("factory-licence")
    doc["steps"][2]["duration"]["unit"] = "weeks"
    write(tmp_path, doc)
    bad = runner.invoke(args=["manual", "validate", "--dir", str(tmp_path), "--quiet"])
    assert bad.exit_code == 1
    assert "factory-licence.yaml: steps.2.duration.unit: Must be one of" in bad.output
