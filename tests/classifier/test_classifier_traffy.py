"""Real complaints from Traffy Fondue (read from ../shared at run time; skipped when it is absent)."""

from __future__ import annotations

import pytest

from classifier.evaluate import TRAFFY_LABELS, TRAFFY_POOL, traffy_report

pytestmark = pytest.mark.skipif(not TRAFFY_POOL.exists() or not TRAFFY_LABELS.exists(),
                                reason="../shared/data/traffy is absent")


def test_traffy_report(clf):
    report = traffy_report(clf)
    assert report["n"] > 1000 and report["model_version"] == clf.version
    oor, factory = report["oor"], report["factory"]
    assert oor["n"] > 0 and factory["n"] > 0
    assert 0 <= oor["rate"] <= 1 and 0 <= factory["recall"] <= 1
    assert 250 <= report["oor_random_sample"]["n"] <= 300
    assert set(report["goals"]) == {"oor_wrongly_auto_routed_max", "factory_recall_min", "met"}
