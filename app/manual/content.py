"""Read and check the citizen-manual files (``citizen_manual/services/*.yaml``), the source of truth.

Every problem is reported as ``<file>: <field.path>: <message>`` (``factory-licence.yaml: steps.2.duration.unit:
Must be one of: …``). Checks beyond the schema, explained in ``citizen_manual/README.md``:

- the steps' durations add up exactly to ``total_time``; minutes, hours and working days are all business time and
  add up at ``WORKING_DAY_MINUTES`` a working day, calendar ``days`` only add up with calendar days;
- the SLA clocks are in order (acknowledge ≤ first report ≤ resolve) and resolve is not shorter than total_time;
- total_time fits within the legal time limit when both count the same kind of day;
- a licence-type service sends the Licensing Facilitation Act's delay notice at least every 7 days (s.10).

Values marked ``[ต้องยืนยัน]`` (to confirm) are allowed; they are listed so staff can confirm them.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from flask import current_app, has_app_context
from marshmallow import ValidationError

from app.manual.schemas import UNITS, ManualDoc

TO_CONFIRM = "[ต้องยืนยัน]"
#: one working day of business hours (08:30–16:30 less an hour's lunch) [U]; setting MANUAL_WORKING_DAY_MINUTES
WORKING_DAY_MINUTES = 420
SECTION_7_NOTICE_DAYS = 7  #: Licensing Facilitation Act B.E. 2558 s.10: delay notices every 7 days [C]


@dataclass
class ManualFile:
    path: Path
    slug: str | None = None
    content: dict | None = None  #: the validated document, JSON-ready (dates as ISO strings)
    sha256: str | None = None  #: of the canonical JSON of ``content``: comments and layout do not count
    errors: list[str] = field(default_factory=list)
    to_confirm: list[tuple[str, str]] = field(default_factory=list)  #: (field path, text)

    @property
    def ok(self) -> bool:
        return not self.errors


def manual_dir() -> Path:
    """``MANUAL_DIR`` or ``citizen_manual/services`` at the project root."""
    configured = current_app.config.get("MANUAL_DIR") if has_app_context() else None
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "citizen_manual" / "services"


def working_day_minutes() -> int:
    return (current_app.config.get("MANUAL_WORKING_DAY_MINUTES") if has_app_context() else None) \
        or WORKING_DAY_MINUTES


def measure(duration: dict) -> tuple[str, int]:
    """``(kind, amount)``: working time in minutes, calendar time in days, so like can be added to like."""
    unit = UNITS[duration["unit"]]
    if unit["kind"] == "calendar":
        return "calendar", duration["value"] * unit["days"]
    per = unit.get("minutes") or unit["days"] * working_day_minutes()
    return "working", duration["value"] * per


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical_json(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested ``{"steps": {2: {"duration": {"unit": [msg]}}}}`` → ``[("steps.2.duration.unit", msg)]``."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            name = "(document)" if key == "_schema" and not prefix else ("" if key == "_schema" else str(key))
            out += flatten(value, f"{prefix}.{name}".strip(".") if name else prefix)
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(prefix or "(document)", m) for m in messages]
    if isinstance(messages, list):
        return [item for m in messages for item in flatten(m, prefix)]
    return [(prefix or "(document)", str(messages))]


def find_to_confirm(value, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in find_to_confirm(v, f"{prefix}.{k}".strip("."))]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in find_to_confirm(v, f"{prefix}.{i}")]
    if isinstance(value, str) and TO_CONFIRM in value:
        return [(prefix, value)]
    return []


def _describe(kind: str, amount: int) -> str:
    if kind == "calendar":
        return f"{amount} calendar days"
    days, minutes = divmod(amount, working_day_minutes())
    return f"{days} working days" if not minutes else f"{amount} working minutes"


def consistency(doc: dict) -> list[tuple[str, str]]:
    """Checks across fields (module docstring); ``[(field path, message)]``."""
    problems = []
    steps = [measure(s["duration"]) for s in doc["steps"]]
    total = measure(doc["total_time"])
    kinds = {k for k, _ in steps} | {total[0]}
    if len(kinds) > 1:
        for i, (kind, _) in enumerate(steps):
            if kind != total[0]:
                problems.append((f"steps.{i}.duration.unit", f"counts {kind} time but total_time counts "
                                 f"{total[0]} time; working and calendar time cannot be added up"))
    elif sum(a for _, a in steps) != total[1]:
        problems.append(("total_time", f"the steps add up to {_describe(total[0], sum(a for _, a in steps))} "
                         f"but total_time is {_describe(*total)}"))
    sla = {name: measure(d) for name, d in doc["sla"].items()}
    order = ("acknowledge", "first_report", "resolve")
    for earlier, later in zip(order, order[1:], strict=False):
        if sla[earlier][0] == sla[later][0] and sla[earlier][1] > sla[later][1]:
            problems.append((f"sla.{later}", f"is shorter than sla.{earlier}"))
    if sla["resolve"][0] == total[0] and sla["resolve"][1] < total[1]:
        problems.append(("sla.resolve", "is shorter than total_time: the standard could not be kept"))
    legal = doc["legal_time_limit"]
    legal_measure = measure({"value": legal["days"],
                             "unit": "working_days" if legal["day_kind"] == "working" else "days"})
    if legal_measure[0] == total[0] and total[1] > legal_measure[1]:
        problems.append(("total_time", f"is longer than legal_time_limit ({legal['days']} {legal['day_kind']} days)"))
    notice = doc["sla"]["progress_every"]
    if doc["licence_type"] and not (notice["unit"] == "days" and notice["value"] <= SECTION_7_NOTICE_DAYS):
        problems.append(("sla.progress_every", f"a licence-type service must notify the applicant at least every "
                         f"{SECTION_7_NOTICE_DAYS} days (Licensing Facilitation Act s.10); use unit 'days'"))
    return problems


def load_file(path: Path) -> ManualFile:
    """Parse, validate and hash one manual file; problems are collected, never raised."""
    result = ManualFile(path=Path(path))
    name = result.path.name
    try:
        raw = yaml.safe_load(result.path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(document)"
        result.errors.append(f"{name}: {where}: not valid YAML: {getattr(exc, 'problem', exc)}")
        return result
    if not isinstance(raw, dict):
        result.errors.append(f"{name}: (document): must be a mapping of the template's fields")
        return result
    raw = _jsonable(raw)  # YAML turns 2026-01-01 into a date; the schema reads ISO strings
    result.to_confirm = find_to_confirm(raw)
    try:
        doc = ManualDoc().load(raw)
    except ValidationError as exc:
        result.errors += [f"{name}: {path}: {msg}" for path, msg in flatten(exc.messages)]
        return result
    if doc["slug"] != result.path.stem:
        result.errors.append(f"{name}: slug: must match the file name ({result.path.stem!r})")
    result.errors += [f"{name}: {path}: {msg}" for path, msg in consistency(doc)]
    result.slug = doc["slug"]
    result.content = _jsonable(doc)
    result.sha256 = hashlib.sha256(canonical_json(result.content).encode()).hexdigest()
    return result


def load_all(directory: Path | None = None) -> list[ManualFile]:
    """Every ``*.yaml`` of the manual folder, sorted by file name."""
    folder = Path(directory) if directory else manual_dir()
    files = [load_file(p) for p in sorted(folder.glob("*.yaml"))]
    seen: dict[str, str] = {}
    for f in files:
        if f.slug and f.slug in seen:
            f.errors.append(f"{f.path.name}: slug: {f.slug!r} is also used by {seen[f.slug]}")
        elif f.slug:
            seen[f.slug] = f.path.name
    return files
