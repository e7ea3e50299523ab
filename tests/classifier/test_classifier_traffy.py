"""Real complaints from Traffy Fondue (read from ../shared at run time; skipped when it is absent), and the fixed
dev/test split of our labels (checked without the texts)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from classifier.evaluate import (
    TRAFFY_LABELS,
    TRAFFY_PARTS,
    TRAFFY_POOL,
    traffy_part,
    traffy_reports,
    traffy_rows,
    wilson,
)
from classifier.labels import FACTORY_LABELS, LABELS

needs_pool = pytest.mark.skipif(not TRAFFY_POOL.exists() or not TRAFFY_LABELS.exists(),
                                reason="../shared/data/traffy is absent")


def _labels() -> dict[str, str]:
    with open(TRAFFY_LABELS, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["ticket_id"].strip() for r in rows]
    assert len(ids) == len(set(ids)), "a ticket is labelled twice"
    return {r["ticket_id"].strip(): r["label"].strip() for r in rows}


def test_label_file_holds_ids_and_known_labels_only():
    labels = _labels()
    assert len(labels) >= 1000 and set(labels.values()) <= set(LABELS)
    with open(TRAFFY_LABELS, encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == ["ticket_id", "label"]  # never a text column


def test_split_is_fixed_disjoint_and_covers_both_parts():
    labels = _labels()
    parts = {t: traffy_part(t) for t in labels}
    assert set(parts.values()) == set(TRAFFY_PARTS)
    assert all(traffy_part(t) == p for t, p in list(parts.items())[:50])  # a pure function of the id
    assert traffy_part(" 2023-AAAAAA ") == traffy_part("2023-AAAAAA")
    share = Counter(parts.values())["test"] / len(parts)
    assert 0.4 <= share <= 0.6
    factory = Counter(parts[t] for t, lab in labels.items() if lab in FACTORY_LABELS)
    assert factory["test"] > 0 and factory["dev"] > 0, factory


def test_wilson_interval():
    assert wilson(0, 0) is None
    lo, hi = wilson(15, 31)
    assert lo < 15 / 31 < hi and 0.3 < lo < 0.35 and 0.6 < hi < 0.7
    assert wilson(10, 10)[1] == 1.0 and wilson(0, 10)[0] == 0.0


@needs_pool
def test_parts_of_real_rows_are_disjoint():
    dev, test = traffy_rows(part="dev"), traffy_rows(part="test")
    assert dev and test
    assert not {t for t, _ in dev} & {t for t, _ in test}
    assert len(dev) + len(test) == len(traffy_rows())


@needs_pool
def test_traffy_reports_per_part(clf):
    reports = traffy_reports(clf)
    assert reports["headline"] == "test"
    for part in TRAFFY_PARTS:
        report = reports[part]
        assert report["part"] == part and report["model_version"] == clf.version
        oor, factory = report["oor"], report["factory"]
        assert oor["n"] > 300 and factory["n"] > 0
        assert 0 <= oor["rate"] <= 1 and 0 <= factory["recall"] <= 1
        assert factory["ci95"][0] <= factory["recall"] <= factory["ci95"][1]
        assert 100 <= report["oor_random_sample"]["n"] <= 200
        assert set(report["goals"]) == {"oor_wrongly_auto_routed_max", "factory_recall_min", "met"}
    assert reports["test"]["n"] + reports["dev"]["n"] > 1000
