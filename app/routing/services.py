"""Decide which unit acts on a complaint: the classifier suggests a category, routing rules (data) pick units.

A case goes to the triage desk when the classifier is unsure (under its per-class threshold), when the matter is
out of the ministry's remit, when no model is installed, or when no rule can place it (say, no province given).
"""

import logging
from dataclasses import dataclass, field

from app.routing import rulebook
from app.routing.rulebook import Rule

log = logging.getLogger(__name__)

TRIAGE = "TRIAGE"
PIO = "PIO"  #: placeholder in rules for "the provincial industry office of the case's province"


@dataclass
class Decision:
    mode: str  #: ``auto`` or ``triage``
    division: str
    joint: list[str] = field(default_factory=list)
    category: str | None = None  #: set only when routed automatically
    suggested_category: str | None = None
    confidence: float | None = None
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    model_version: str | None = None
    rule: str | None = None
    reason: str = "classifier_unavailable"


_NAMES: dict = {}
_NAMES_TTL = 60.0


def division_name(code: str, locale: str = "th") -> str:
    """A unit's display name from a small process cache (reference data; an admin's edit shows within a minute)."""
    import time

    from app.extensions import db
    from app.routing.models import Division

    hit = _NAMES.get((code, locale))
    if hit and hit[1] > time.monotonic():
        return hit[0]
    div = db.session.get(Division, code)
    name = div.name(locale) if div else code
    _NAMES[(code, locale)] = (name, time.monotonic() + _NAMES_TTL)
    return name


def clear_caches() -> None:
    """Forget cached reference data in this process; the administration pages call it on every edit so the
    change shows at once (other processes catch up within ``_NAMES_TTL`` and ``ROUTING_CACHE_SECONDS``)."""
    _NAMES.clear()
    rulebook.forget()


def get_classifier():
    """The process's classifier, loaded once; ``None`` when no model is installed (cases then go to triage)."""
    try:
        from classifier.model import ModelNotAvailable, load
    except ImportError:  # pragma: no cover - classifier package missing entirely
        return None
    from flask import current_app

    try:
        return load(tokenizer=current_app.config.get("CLASSIFIER_TOKENIZER") or None)
    except ModelNotAvailable:
        return None


def _resolve(code: str, province_code: str | None) -> str | None:
    if code != PIO:
        return code
    if not province_code or province_code == "10":  # Bangkok has no provincial office
        return None
    return f"PIO-{province_code}"


def match_rule(category: str, province_code: str | None, in_estate: bool | None) -> tuple[Rule | None, str, list]:
    """The most specific active rule whose units can be resolved for this place, or ``(None, None, [])``."""
    from app.extensions import db

    book = rulebook.current(db.session)
    for rule in book.rules:  # most specific first
        if (rule.category_code not in (None, category) or rule.province_code not in (None, province_code)
                or (rule.in_estate is not None and rule.in_estate != bool(in_estate))):
            continue
        lead = _resolve(rule.division, province_code)
        # a unit switched off by an administrator (say, a provincial office being merged) receives no new cases
        if lead is None or lead in book.inactive:
            continue
        joint = [j for j in (_resolve(c, province_code) for c in rule.joint_divisions)
                 if j and j != lead and j not in book.inactive]
        return rule, lead, joint
    return None, None, []


def decide(text: str, province_code: str | None = None, in_estate: bool | None = None) -> Decision:
    """Classify ``text`` and pick the unit(s); nothing is stored."""
    model = get_classifier()
    if model is None:
        return Decision(mode="triage", division=TRIAGE)
    pred = model.predict(text)
    decision = Decision(mode="triage", division=TRIAGE, suggested_category=pred.label,
                        confidence=round(float(pred.confidence), 4), model_version=pred.model_version,
                        alternatives=[(lbl, round(float(p), 4)) for lbl, p in pred.alternatives])
    if not pred.confident:
        decision.reason = "out_of_remit" if pred.label == "OUT_OF_REMIT" else "low_confidence"
        return decision
    rule, lead, joint = match_rule(pred.label, province_code, in_estate)
    if rule is None or lead == TRIAGE:
        decision.reason = "no_rule" if rule is None else "out_of_remit"
        decision.rule = rule.name if rule else None
        return decision
    decision.mode, decision.division, decision.joint = "auto", lead, joint
    decision.category, decision.rule, decision.reason = pred.label, rule.name, "rule"
    return decision
