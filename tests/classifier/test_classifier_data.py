"""Corpus loading, the fixed split, leakage between its sides, and text normalisation."""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pytest
from scipy import sparse

from classifier import LABELS
from classifier.data import Row, data_hash, label_counts, read_rows, split, split_key
from classifier.features import normalize_text, tokenize_newmm, tokenize_nlpo3


def test_corpus_covers_every_label(corpus):
    counts = label_counts(corpus)
    assert set(counts) == set(LABELS)
    assert all(n > 0 for n in counts.values()), counts


def test_split_is_fixed_and_about_a_fifth(corpus, corpus_split):
    train, val = corpus_split
    assert len(train) + len(val) == len(corpus)
    assert 0.15 <= len(val) / len(corpus) <= 0.25
    assert all(n > 0 for n in label_counts(val).values())
    # order- and size-independent: reversing the corpus or dropping a row elsewhere moves nothing
    _, val_rev = split(list(reversed(corpus)))
    assert {r.text for r in val_rev} == {r.text for r in val}


def _trigram_matrix(texts, vocab):
    rows, cols = [], []
    for i, t in enumerate(texts):
        grams = {vocab.setdefault(t[k : k + 3], len(vocab)) for k in range(len(t) - 2)}
        rows += [i] * len(grams)
        cols += grams
    return rows, cols


def test_no_near_duplicates_across_the_split(corpus_split):
    train, val = ([split_key(r.text) for r in side] for side in corpus_split)
    segments = {t[k : k + 25] for t in train for k in range(len(t) - 24)}
    shared = [t for t in val if any(t[k : k + 25] in segments for k in range(len(t) - 24))]
    assert not shared, f"{len(shared)} validation texts share a 25-char segment with training, e.g. {shared[:2]}"

    vocab: dict[str, int] = {}
    shape = None
    mats = []
    for texts in (train, val):
        r, c = _trigram_matrix(texts, vocab)
        mats.append((texts, r, c))
    shape = len(vocab)
    a, b = (sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(t), shape)) for t, r, c in mats)
    inter = (a @ b.T).tocoo()
    size_a, size_b = np.asarray(a.sum(1)).ravel(), np.asarray(b.sum(1)).ravel()
    jac = inter.data / (size_a[inter.row] + size_b[inter.col] - inter.data)
    worst = [(train[i][:60], val[j][:60]) for i, j in zip(inter.row[jac >= 0.8], inter.col[jac >= 0.8])]
    assert not worst, f"{len(worst)} train/validation pairs with trigram Jaccard >= 0.8: {worst[:2]}"


def _sentences(text: str):
    # Thai marks sentence ends with a space or a line break; shorter chunks are names and stock phrases.
    return (s for s in re.split(r"[\s.!?…]+", text) if len(s) >= 25)


def test_no_two_corpus_texts_share_a_sentence(corpus):
    owners: dict[str, set[int]] = defaultdict(set)
    for i, row in enumerate(corpus):
        for sentence in _sentences(split_key(row.text)):
            owners[sentence].add(i)
    shared = {s: sorted(corpus[i].source for i in v) for s, v in owners.items() if len(v) > 1}
    assert not shared, f"{len(shared)} sentences appear in more than one text: {list(shared.items())[:3]}"


def test_data_hash_ignores_order():
    rows = [Row("ก", "MINING"), Row("ข", "E_SERVICE")]
    assert data_hash(rows) == data_hash(rows[::-1])
    assert data_hash(rows) != data_hash([Row("ก", "MINING"), Row("ข", "SME_SUPPORT")])


def test_unknown_label_is_rejected_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label,register\nสวัสดี,MINING,chat\nโรงงาน,FACTORY,chat\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv:3: unknown label 'FACTORY'"):
        read_rows(bad)


def test_normalisation():
    text = "โรงงานส่งกลิ่นเหม็นมากกกกก 😡😡 https://x.co/a ที่ จ.ระยอง โทร ๐๘๑"
    norm = normalize_text(text)
    assert "มากก" not in norm and "😡" not in norm and "https" not in norm and "ระยอง" not in norm
    assert "081" in norm
    assert normalize_text(text, places=False).count("ระยอง") == 1
    assert normalize_text("ไปเที่ยวเลย") == "ไปเที่ยวเลย"  # a province that is also a word stays


def test_tokenizers_share_the_dictionary():
    text = normalize_text("โรงงานปล่อยน้ำเสียลงคลอง ไม่มีใบอนุญาต ร.ง.4 ระบบ i-industry ล่ม")
    assert tokenize_newmm(text) == tokenize_nlpo3(text)
    assert "โรงงาน" in tokenize_newmm(text) and "ร.ง." in tokenize_newmm(text)
