"""Labelled corpus loading, the fixed validation split and the data hash recorded on each model card."""

from __future__ import annotations

import csv
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from .features import normalize_text
from .labels import LABELS
from .similarity import group_members, near_duplicate_groups

log = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).parent / "data" / "corpus"
#: Hand-written rows kept apart from the corpus writers' files (see its README.md); trained on by default.
SUPPLEMENT_DIR = Path(__file__).parent / "data" / "supplement"
VALIDATION_SHARE = 0.2


class Row(NamedTuple):
    text: str
    label: str
    register: str = ""
    source: str = ""


def read_rows(path: Path | str, source: str | None = None) -> list[Row]:
    """Rows of one CSV with at least `text,label` columns (`register` optional).

    :raises ValueError: on a missing column or an unknown label, naming the file and line.
    """
    path = Path(path)
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"text", "label"} <= set(reader.fieldnames or ()):
            raise ValueError(f"{path}: needs columns text,label (has {reader.fieldnames})")
        for rec in reader:
            text, label = (rec.get("text") or "").strip(), (rec.get("label") or "").strip()
            if not text:
                continue
            if label not in LABELS:
                raise ValueError(f"{path}:{reader.line_num}: unknown label {label!r}")
            rows.append(Row(text, label, (rec.get("register") or "").strip(), source or path.name))
    return rows


def dedupe(rows: Iterable[Row]) -> list[Row]:
    """Drop rows whose normalised text was already seen (first wins; conflicting labels are logged)."""
    seen: dict[str, str] = {}
    out = []
    for row in rows:
        key = normalize_text(row.text)
        if key in seen:
            if seen[key] != row.label:
                log.warning("same text labelled %s and %s; keeping %s", seen[key], row.label, seen[key])
            continue
        seen[key] = row.label
        out.append(row)
    return out


def load_corpus(corpus_dir: Path | str = CORPUS_DIR, supplement_dir: Path | str | None = SUPPLEMENT_DIR) -> list[Row]:
    """All `*.csv` files of the corpus directory (then of `supplement_dir`, if given and present), in
    file-name order, exact duplicates removed.

    :raises FileNotFoundError: when the corpus directory holds no CSV file.
    """
    files = sorted(Path(corpus_dir).glob("*.csv"))
    if not files:
        raise FileNotFoundError(f"no corpus CSV in {corpus_dir}")
    if supplement_dir is not None and Path(supplement_dir).is_dir():
        files += sorted(Path(supplement_dir).glob("*.csv"))
    return dedupe(row for f in files for row in read_rows(f, f"{Path(f).parent.name}/{Path(f).name}"))


def split_key(text: str) -> str:
    """Text as compared for the split and duplicate checks: normalised, place names kept as written."""
    return normalize_text(text, places=False)


def _bucket(text: str) -> float:
    digest = hashlib.sha256(split_key(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split(rows: Sequence[Row], share: float = VALIDATION_SHARE) -> tuple[list[Row], list[Row]]:
    """The fixed (train, validation) split.

    A text's side is a hash of its normalised text, so it never depends on file order, row count or a seed.
    Near-duplicates (see similarity.py) are kept on one side, decided by the hash of the group's
    lexicographically first member, so a paraphrase cannot leak the answer to validation.
    """
    norm = [split_key(r.text) for r in rows]
    side = [False] * len(rows)
    for members in group_members(near_duplicate_groups(norm)).values():
        is_val = _bucket(min(norm[i] for i in members)) < share
        for i in members:
            side[i] = is_val
    train = [r for r, v in zip(rows, side) if not v]
    val = [r for r, v in zip(rows, side) if v]
    return train, val


def data_hash(rows: Iterable[Row]) -> str:
    """sha256 over the sorted (label, text) pairs: the same data in any order gives the same hash."""
    h = hashlib.sha256()
    for label, text in sorted((r.label, r.text) for r in rows):
        h.update(f"{label}\t{text}\n".encode())
    return h.hexdigest()


def label_counts(rows: Iterable[Row]) -> dict[str, int]:
    counts = Counter(r.label for r in rows)
    return {label: counts.get(label, 0) for label in LABELS}


def as_rows(pairs: Iterable[tuple[str, str] | Row], source: str = "extra") -> list[Row]:
    """Human labels given as (text, label) pairs, validated.

    :raises ValueError: on an unknown label.
    """
    out = []
    for item in pairs:
        text, label = item[0], item[1]
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        if text and text.strip():
            out.append(item if isinstance(item, Row) else Row(text.strip(), label, "", source))
    return out
