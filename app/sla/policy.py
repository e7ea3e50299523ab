"""SLA policies from the citizen manual: which process a case runs under and the clocks its version sets.

The manual domain (``app.manual.services``) publishes ``version_in_force(slug, at)``, ``get_version(slug, n)`` and
``sla_policy(version)``; until it is there (or while its tables are empty) the YAML files in ``citizen_manual/``
are read directly. When no manual knows the process, the ``SLA_*_DAYS`` settings give the clocks (version 0).
"""

import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app

from app.sla.calendar import BANGKOK, UNITS

MANUAL_DIR = Path(__file__).resolve().parents[2] / "citizen_manual" / "services"
SERVICES_FILE = Path(__file__).with_name("data") / "services.yaml"
#: the clocks every case gets at receipt
CASE_CLOCKS = ("acknowledge", "first_report", "resolve")


@dataclass(frozen=True)
class Rule:
    value: int
    unit: str  #: one of :data:`app.sla.calendar.UNITS`

    @property
    def basis(self) -> str:
        return f"{self.unit}:{self.value}"

    @classmethod
    def parse(cls, basis: str) -> "Rule":
        """``working_days:15`` → Rule; also reads the older ``working:15`` / ``calendar:15``."""
        unit, _, value = basis.partition(":")
        unit = {"working": "working_days", "calendar": "days"}.get(unit, unit)
        if unit not in UNITS:
            raise ValueError(f"unknown SLA unit {unit!r}")
        return cls(int(value), unit)

    @classmethod
    def from_block(cls, block: dict) -> "Rule":
        return cls(int(block["value"]), str(block["unit"]))


@dataclass(frozen=True)
class Policy:
    slug: str
    version: int
    licence: bool
    clocks: dict = field(hash=False)  #: clock kind → :class:`Rule`
    every: Rule = Rule(15, "working_days")  #: progress notices (or s.10 delay notices for a licence)


def _rules(block: dict) -> tuple[dict, Rule]:
    clocks = {k: Rule.from_block(block[k]) for k in CASE_CLOCKS}
    return clocks, Rule.from_block(block["progress_every"])


@lru_cache(maxsize=1)
def _yaml_versions() -> dict[str, list[dict]]:
    """slug → versions (ascending) from the manual's YAML files."""
    out: dict[str, list[dict]] = {}
    for path in sorted(MANUAL_DIR.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "slug" in doc and "sla" in doc:
            out.setdefault(doc["slug"], []).append(doc)
    for docs in out.values():
        docs.sort(key=lambda d: int(d.get("version", 1)))
    return out


def _from_doc(doc: dict) -> Policy:
    clocks, every = _rules(doc["sla"])
    return Policy(doc["slug"], int(doc.get("version", 1)), bool(doc.get("licence_type")), clocks, every)


def _settings_policy(slug: str) -> Policy:
    cfg = current_app.config
    unit = "days" if cfg["SLA_DAY_KIND"] == "calendar" else "working_days"
    clocks = {k: Rule(int(cfg[f"SLA_{k.upper()}_DAYS"]), unit) for k in CASE_CLOCKS}
    return Policy(slug, 0, False, clocks, Rule(int(cfg["SLA_FIRST_REPORT_DAYS"]), unit))


def _manual_api():
    try:
        from app.manual import services as manual
    except ImportError:
        return None
    needed = ("version_in_force", "get_version", "sla_policy")
    return manual if all(hasattr(manual, n) for n in needed) else None


def _from_api(block: dict) -> Policy:
    clocks, every = _rules(block)
    return Policy(block["slug"], int(block["version"]), bool(block.get("licence_type")), clocks, every)


#: (slug, Bangkok date | version) → Policy; versions only change by a new one with a later effective date,
#: so a short-lived cache keeps intake at no query per case
_cache: dict = {}


def invalidate() -> None:
    _cache.clear()


def _cached(key, load) -> Policy:
    ttl = current_app.config.get("SLA_RULES_CACHE_SECONDS", 60)
    hit = _cache.get(key)
    if hit is not None and _time.monotonic() - hit[0] < ttl:
        return hit[1]
    pol = load()
    _cache[key] = (_time.monotonic(), pol)
    return pol


def _api_or_none(call):
    """The manual domain's answer, or None while it has nothing published for the slug."""
    from app.errors import NotFound

    manual = _manual_api()
    if manual is None:
        return None
    try:
        return _from_api(manual.sla_policy(call(manual)))
    except NotFound:
        return None


def policy_for(slug: str, at: datetime) -> Policy:
    """The policy of the manual version of ``slug`` in force at ``at`` (a case keeps it for its life)."""
    day = at.astimezone(BANGKOK).date()

    def load():
        found = _api_or_none(lambda m: m.version_in_force(slug, at))
        if found is not None:
            return found
        docs = _yaml_versions().get(slug)
        if not docs:
            return _settings_policy(slug)
        in_force = [d for d in docs if _effective(d) <= day] or docs[:1]
        return _from_doc(in_force[-1])

    return _cached((slug, day), load)


def policy_version(slug: str, version: int) -> Policy:
    """The policy of one given version (recomputing a case under the version it started with)."""
    def load():
        found = _api_or_none(lambda m: m.get_version(slug, version))
        if found is not None:
            return found
        for doc in _yaml_versions().get(slug, []):
            if int(doc.get("version", 1)) == version:
                return _from_doc(doc)
        return _settings_policy(slug)

    return _cached((slug, "v", version), load)


def _effective(doc: dict) -> date:
    value = doc.get("effective_date")
    return value if isinstance(value, date) else date.fromisoformat(str(value or "1970-01-01"))


@lru_cache(maxsize=1)
def _service_rules() -> tuple[str, tuple[dict, ...]]:
    doc = yaml.safe_load(SERVICES_FILE.read_text(encoding="utf-8")) or {}
    return doc.get("default", "complaint-handling"), tuple(doc.get("rules") or ())


def service_for(case) -> str:
    """The manual process a case runs under (``data/services.yaml``: first matching rule, else the default)."""
    default, rules = _service_rules()
    for rule in rules:
        if all(getattr(case, f"{k}_code" if k == "category" else k, None) == v
               for k, v in rule.items() if k != "service"):
            return rule["service"]
    return default
