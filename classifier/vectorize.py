"""Word and character TF-IDF of Thai text in one pass, vectorised over the batch.

`ThaiFeatures` replaces the FeatureUnion of two scikit-learn TfidfVectorizers (still loadable for old
artifacts).  Same features — word uni+bigrams over newmm tokens, character 3–4-grams inside space-separated
chunks (like ``char_wb``), min_df 2, sublinear tf, smooth idf, each block l2-normalised — but without
scikit-learn's per-n-gram Python loop, which cost more than the tokenizer itself:

- each text is tokenised once; tokens become ids with one dict lookup each; bigrams are id pairs, matched
  against a sorted array with ``np.searchsorted``;
- character n-grams are never built as strings: the whole batch's code points go into one uint32 array and
  every n-gram becomes a 64-bit polynomial hash (collisions are negligible at 2^64) in a few numpy passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

_PRIME = np.uint64(1_000_003)
_SPACE, _SEP = ord(" "), 0  # code points: word boundary, and the separator between texts of a batch


def _char_hashes(texts: Sequence[str], ngrams: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, hash) of every character n-gram that does not cross a space, for n in `ngrams`."""
    joined = "\0".join(f" {t} " for t in texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.cumsum(cps == _SEP)  # separators belong to the next document; no n-gram contains one
    bad_inside = np.concatenate(([0], np.cumsum((cps == _SPACE) | (cps == _SEP))))
    bad_edge = cps == _SEP
    docs, keys = [], []
    for n in ngrams:
        m = len(cps) - n + 1
        if m <= 0:
            continue
        h = np.full(m, np.uint64(n))
        for k in range(n):
            h = h * _PRIME + cps[k : k + m]  # uint64 arithmetic wraps: a polynomial hash mod 2^64
        inner = bad_inside[n - 1 : n - 1 + m] - bad_inside[1 : 1 + m]  # spaces or separators strictly inside
        ok = (inner == 0) & ~bad_edge[:m] & ~bad_edge[n - 1 : n - 1 + m]
        docs.append(doc[:m][ok])
        keys.append(h[ok])
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    return np.concatenate(docs).astype(np.int64), np.concatenate(keys)


def _tfidf(doc: np.ndarray, col: np.ndarray, n_docs: int, idf: np.ndarray, sublinear: bool):
    """Counts of (doc, col) pairs → (rows, cols, values): sublinear tf × idf, each row l2-normalised."""
    width = len(idf)
    if len(doc):
        pair, tf = np.unique(doc * width + col, return_counts=True)
        rows, cols = pair // width, pair % width
    else:
        rows = cols = tf = np.zeros(0, np.int64)
    val = (np.log(tf) + 1.0 if sublinear else tf.astype(np.float64)) * idf[cols]
    norm = np.sqrt(np.bincount(rows, weights=val * val, minlength=n_docs))
    val /= np.where(norm > 0, norm, 1.0)[rows]
    return rows, cols, val


def _lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each key in `sorted_keys`, and whether it is there at all."""
    if not len(sorted_keys):
        return np.zeros(len(keys), np.int64), np.zeros(len(keys), bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos[pos == len(sorted_keys)] = 0
    return pos, sorted_keys[pos] == keys


def _smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log((1.0 + n_docs) / (1.0 + df)) + 1.0  # scikit-learn's smooth_idf


class ThaiFeatures(TransformerMixin, BaseEstimator):
    """Word uni+bigram and character n-gram TF-IDF; input is already-normalised text."""

    def __init__(self, tokenizer: Callable[[str], list[str]] | None = None, char_ngrams: tuple[int, ...] = (3, 4),
                 min_df: int = 2, max_char_features: int = 60000, sublinear_tf: bool = True):
        self.tokenizer = tokenizer
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.sublinear_tf = sublinear_tf

    # --- fitting -------------------------------------------------------------------------------------------
    def fit(self, X, y=None):
        texts = list(X)
        n_docs = len(texts)
        tokens = [self.tokenizer(t) for t in texts]
        df = Counter(tok for toks in tokens for tok in set(toks))
        unigrams = sorted(t for t, n in df.items() if n >= self.min_df)
        index = {t: i for i, t in enumerate(unigrams)}
        n_uni = len(unigrams)
        doc, ids = self._word_ids(tokens, index)
        big_doc, big_key = self._bigram_keys(doc, ids, n_uni)
        pairs = np.unique(big_doc * (n_uni * n_uni) + big_key)  # one per (doc, bigram)
        keys, big_df = np.unique(pairs % (n_uni * n_uni), return_counts=True)
        self.bigram_keys_ = keys[big_df >= self.min_df]
        self.unigrams_ = np.array(unigrams, dtype=str)
        self._index = index
        uni_df = np.array([df[t] for t in unigrams], dtype=np.float64)
        self.word_idf_ = _smooth_idf(np.concatenate([uni_df, big_df[big_df >= self.min_df]]), n_docs)

        cdoc, ckey = _char_hashes(texts, self.char_ngrams)
        pair_keys, pair_n = np.unique(np.stack([cdoc.astype(np.uint64), ckey]), axis=1, return_counts=True)
        keys, char_df = np.unique(pair_keys[1], return_counts=True)
        tf = np.bincount(np.searchsorted(keys, pair_keys[1]), weights=pair_n, minlength=len(keys))
        keep = np.flatnonzero(char_df >= self.min_df)
        if self.max_char_features and len(keep) > self.max_char_features:  # the most frequent, as sklearn does
            keep = keep[np.argsort(-tf[keep], kind="stable")[: self.max_char_features]]
            keep.sort()
        self.char_keys_ = keys[keep]
        self.char_idf_ = _smooth_idf(char_df[keep].astype(np.float64), n_docs)
        return self

    # --- transforming --------------------------------------------------------------------------------------
    @staticmethod
    def _word_ids(tokens: list[list[str]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        get = index.get
        ids = np.fromiter((get(tok, -1) for toks in tokens for tok in toks), dtype=np.int64, count=int(lengths.sum()))
        return np.repeat(np.arange(len(tokens)), lengths), ids

    @staticmethod
    def _bigram_keys(doc: np.ndarray, ids: np.ndarray, n_uni: int) -> tuple[np.ndarray, np.ndarray]:
        ok = (doc[:-1] == doc[1:]) & (ids[:-1] >= 0) & (ids[1:] >= 0)  # a bigram of two known tokens, one text
        return doc[:-1][ok], ids[:-1][ok] * n_uni + ids[1:][ok]

    @property
    def n_features_(self) -> int:
        return len(self.word_idf_) + len(self.char_idf_)

    def _columns(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(doc, column) of every known word term, then of every known character n-gram."""
        n_uni = len(self.unigrams_)
        doc, ids = self._word_ids([self.tokenizer(t) for t in texts], self._index)
        known = ids >= 0
        big_doc, big_key = self._bigram_keys(doc, ids, n_uni)
        big_pos, big_hit = _lookup(self.bigram_keys_, big_key)
        cdoc, ckey = _char_hashes(texts, self.char_ngrams)
        char_pos, char_hit = _lookup(self.char_keys_, ckey)
        return (np.concatenate([doc[known], big_doc[big_hit]]), np.concatenate([ids[known], n_uni + big_pos[big_hit]]),
                cdoc[char_hit], char_pos[char_hit])

    def transform(self, X) -> sparse.csr_matrix:
        texts = list(X)
        n = len(texts)
        wdoc, wcol, cdoc, ccol = self._columns(texts)
        r1, c1, v1 = _tfidf(wdoc, wcol, n, self.word_idf_, self.sublinear_tf)
        r2, c2, v2 = _tfidf(cdoc, ccol, n, self.char_idf_, self.sublinear_tf)
        data = (np.concatenate([v1, v2]).astype(np.float32),
                (np.concatenate([r1, r2]), np.concatenate([c1, c2 + len(self.word_idf_)])))
        return sparse.csr_matrix(data, shape=(n, self.n_features_))

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of one text's row of `transform`, without building a sparse matrix."""
        wdoc, wcol, cdoc, ccol = self._columns([text])
        _, c1, v1 = _tfidf(wdoc, wcol, 1, self.word_idf_, self.sublinear_tf)
        _, c2, v2 = _tfidf(cdoc, ccol, 1, self.char_idf_, self.sublinear_tf)
        return np.concatenate([c1, c2 + len(self.word_idf_)]), np.concatenate([v1, v2])

    # --- persistence: the unigram dict is rebuilt from its array (skops writes a dict entry by entry) --------
    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_index", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "unigrams_" in state:
            self._index = {t: i for i, t in enumerate(self.unigrams_.tolist())}
