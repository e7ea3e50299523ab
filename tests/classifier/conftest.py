"""Fixtures: one model trained on the real corpus per session, and a small corpus for retraining tests."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # lets plain `pytest` import the package without an install
    sys.path.insert(0, str(ROOT))

from classifier import model  # noqa: E402
from classifier.data import load_corpus, split  # noqa: E402
from classifier.train import train  # noqa: E402


@pytest.fixture(scope="session")
def corpus():
    return load_corpus()


@pytest.fixture(scope="session")
def corpus_split(corpus):
    return split(corpus)


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """(card, artifacts dir) of a model trained on the full corpus; CV is skipped to keep the suite fast."""
    out = tmp_path_factory.mktemp("artifacts")
    card = train(out_dir=out, progress=False, cv=0)
    return card, out


@pytest.fixture(scope="session")
def clf(trained):
    card, out = trained
    return model.load(card["version"], out)


@pytest.fixture
def small_corpus(tmp_path, corpus):
    """30 rows per label from the real corpus, in a corpus directory of its own (trains in about a second)."""
    per_label = defaultdict(list)
    for row in corpus:
        if len(per_label[row.label]) < 30:
            per_label[row.label].append(row)
    folder = tmp_path / "corpus"
    folder.mkdir()
    with (folder / "small.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "register"])
        for rows in per_label.values():
            w.writerows((r.text, r.label, r.register) for r in rows)
    return folder
