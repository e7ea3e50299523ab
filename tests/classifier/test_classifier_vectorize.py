"""ThaiFeatures gives scikit-learn's word and char_wb TF-IDF values; old FeatureUnion artifacts still load."""

from __future__ import annotations

import json

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier import model
from classifier.features import build_features, build_sklearn_features, normalize_many, normalize_text, tokenize_newmm
from classifier.vectorize import ThaiFeatures

MASK = (1 << 64) - 1


def _hash(gram: str) -> int:
    h = len(gram)  # as vectorize._char_hashes: seeded with n, then h * 1_000_003 + code point, mod 2^64
    for ch in gram:
        h = (h * 1_000_003 + ord(ch)) & MASK
    return h


@pytest.fixture(scope="module")
def texts(corpus):
    # no one-letter words: scikit-learn's char_wb emits a padded one-letter word once more as a "4-gram"
    norm = [" ".join(w for w in t.split() if len(w) > 1) for t in normalize_many(r.text for r in corpus[::12])]
    return [t for t in norm if t]


def _rows(matrix, columns):
    """Each row as {term: value}, for comparing matrices whose columns are ordered differently."""
    matrix = matrix.tocsr()
    return [{columns[j]: float(v) for j, v in zip(matrix[i].indices, matrix[i].data)} for i in range(matrix.shape[0])]


def _assert_same(ours, theirs):
    assert [set(r) for r in ours] == [set(r) for r in theirs]  # the same terms in every text
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose([a[k] for k in b], list(b.values()), rtol=1e-5, atol=1e-6)  # float32 vs 64


def test_word_and_char_blocks_equal_sklearn(texts):
    feats = ThaiFeatures(tokenizer=tokenize_newmm, max_char_features=0).fit(texts)
    n_words = len(feats.word_idf_)
    uni = feats.unigrams_.tolist()
    terms = uni + [f"{uni[k // len(uni)]} {uni[k % len(uni)]}" for k in feats.bigram_keys_.tolist()]
    ours = feats.transform(texts)

    words = TfidfVectorizer(tokenizer=tokenize_newmm, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                            min_df=2, sublinear_tf=True).fit(texts)
    vocab = sorted(words.vocabulary_, key=words.vocabulary_.get)
    assert sorted(vocab) == sorted(terms)
    _assert_same(_rows(ours[:, :n_words], terms), _rows(words.transform(texts), vocab))

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), lowercase=False, min_df=2,
                            sublinear_tf=True).fit(texts)
    grams = sorted(chars.vocabulary_, key=chars.vocabulary_.get)
    by_hash = {_hash(g): g for g in grams}
    assert len(by_hash) == len(grams) == len(feats.char_keys_)  # no collision, same vocabulary
    char_terms = [by_hash[k] for k in feats.char_keys_.tolist()]
    _assert_same(_rows(ours[:, n_words:], char_terms), _rows(chars.transform(texts), grams))


def test_vector_matches_transform_and_unknown_text(texts):
    feats = build_features().fit(texts)
    assert feats.transform(texts[:1]).shape == (1, feats.n_features_)
    for text in texts[:20] + ["", "qqqq zzzz"]:
        row = feats.transform([text])
        idx, val = feats.vector(text)
        order = np.argsort(idx)
        np.testing.assert_array_equal(idx[order], row.indices[np.argsort(row.indices)])
        np.testing.assert_allclose(val[order], row.data[np.argsort(row.indices)], rtol=1e-6)
    assert feats.transform(["qqqq zzzz"]).nnz == 0  # nothing known: an all-zero row, no division by zero


def test_old_feature_union_artifact_still_loads(tmp_path, corpus):
    rows = corpus[::6]
    pipe = Pipeline([("normalize", FunctionTransformer(normalize_many)), ("features", build_sklearn_features()),
                     ("model", LogisticRegression(C=10, max_iter=300))]).fit([r.text for r in rows],
                                                                            [r.label for r in rows])
    sio.dump(pipe, tmp_path / "old.skops")
    (tmp_path / "old.json").write_text(json.dumps({"version": "old", "thresholds": {}}), encoding="utf-8")
    clf = model.load("old", tmp_path)
    assert clf.oor_weight == 1.0  # cards without the parameter decide by plain argmax
    texts = [r.text for r in corpus[1::40]]
    fast = np.array([clf._single(normalize_text(t)) for t in texts])
    np.testing.assert_allclose(fast, clf.predict_proba(texts), atol=1e-5)
