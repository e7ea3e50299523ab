"""Near-duplicate detection between complaint texts (used to keep the validation split honest).

Two texts are near-duplicates when they share an identical run of SEGMENT characters or when the Jaccard
similarity of their character-trigram sets reaches JACCARD.  Both are computed over normalised text in
roughly linear time: a hash map of segments, and one sparse matrix product for the trigram overlaps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

SEGMENT = 25
JACCARD = 0.8


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _trigram_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    for text in texts:
        indices.extend(vocab.setdefault(g, len(vocab)) for g in trigrams(text))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), max(len(vocab), 1)))


def jaccard_pairs(texts: Sequence[str], threshold: float = JACCARD) -> list[tuple[int, int, float]]:
    """All pairs i < j whose trigram-set Jaccard similarity is >= threshold."""
    m = _trigram_matrix(texts)
    sizes = np.asarray(m.sum(axis=1)).ravel()
    inter = sparse.triu(m @ m.T, k=1).tocoo()
    union = sizes[inter.row] + sizes[inter.col] - inter.data
    sim = np.divide(inter.data, union, out=np.zeros(len(union)), where=union > 0)
    keep = sim >= threshold
    return [(int(i), int(j), float(s)) for i, j, s in zip(inter.row[keep], inter.col[keep], sim[keep])]


def segment_pairs(texts: Sequence[str], length: int = SEGMENT) -> set[tuple[int, int]]:
    """Pairs i < j that contain an identical run of `length` characters."""
    seen: dict[str, int] = {}
    pairs: set[tuple[int, int]] = set()
    for j, text in enumerate(texts):
        owners: set[int] = set()
        for k in range(len(text) - length + 1):
            seg = text[k : k + length]
            i = seen.setdefault(seg, j)
            if i != j:
                owners.add(i)
        pairs.update((i, j) for i in owners)
    return pairs


def near_duplicate_groups(texts: Sequence[str]) -> list[int]:
    """Connected components of the near-duplicate graph: group id (smallest member index) per text."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    edges = {(i, j) for i, j, _ in jaccard_pairs(texts)} | segment_pairs(texts)
    for i, j in edges:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [find(i) for i in range(len(texts))]


def group_members(groups: Sequence[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        members[g].append(i)
    return members
