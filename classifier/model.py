"""Serving: load a versioned artifact once per process and turn text into a routed suggestion.

    clf = load()                      # current version, cached; raises ModelNotAvailable → app uses triage
    p = clf.predict("โรงงานปล่อยน้ำเสียลงคลอง")
    p.label, p.confidence, p.confident, p.alternatives, p.model_version
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import skops.io as sio

from . import features
from .labels import LABELS, OUT_OF_REMIT
from .vectorize import ThaiFeatures

ARTIFACTS_ENV = "IDEE_CLASSIFIER_ARTIFACTS"
_VERSION = re.compile(r"[\w.-]+")

#: Non-sklearn types a pipeline from train.py contains; skops refuses to load anything else.
TRUSTED_TYPES = frozenset({
    "classifier.features.ThaiTfidfVectorizer",
    "classifier.features.normalize_many",
    "classifier.features.tokenize_newmm",
    "classifier.features.tokenize_nlpo3",
    "classifier.vectorize.ThaiFeatures",
})


class ModelNotAvailable(RuntimeError):
    """No usable artifact: none trained or promoted, unreadable, or holding untrusted types."""


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    confidence: float
    #: the top three (label, probability) pairs in decision order (the first is `label` itself; see oor_weight)
    alternatives: tuple[tuple[str, float], ...]
    #: confidence reaches the label's threshold and the label is one the ministry acts on
    confident: bool
    model_version: str

    def to_dict(self) -> dict:
        d = asdict(self)
        d["alternatives"] = [{"category": lab, "confidence": p} for lab, p in self.alternatives]
        return d


class _SingleTextScorer:
    """The fitted TF-IDF + multinomial LR arithmetic for one text, without sklearn's per-call validation.

    For one short complaint sklearn spends more time checking inputs than computing; this does the same
    sums from the fitted vocabularies, idf and coefficients.  tests/classifier checks it matches
    pipeline.predict_proba.
    """

    def __init__(self, union, lr):
        self.blocks, offset = [], 0
        self.vector = union.vector if isinstance(union, ThaiFeatures) else None
        for _, vec in getattr(union, "transformer_list", ()):  # artifacts from before ThaiFeatures
            self.blocks.append((vec.build_analyzer(), vec.vocabulary_, vec.idf_.astype(np.float64), offset,
                                bool(vec.sublinear_tf)))
            offset += len(vec.vocabulary_)
        self.weights = np.ascontiguousarray(lr.coef_.T, dtype=np.float64)  # (features, classes): row gather
        self.intercept = lr.intercept_.astype(np.float64)

    @staticmethod
    def supports(union, lr) -> bool:
        if isinstance(union, ThaiFeatures):
            return lr.coef_.shape[0] > 2
        vecs = [v for _, v in union.transformer_list]
        return (lr.coef_.shape[0] > 2 and union.transformer_weights is None
                and all(v.norm == "l2" and v.use_idf and not v.binary for v in vecs))

    def __call__(self, norm_text: str) -> np.ndarray:
        if self.vector is not None:
            idx, val = self.vector(norm_text)
            z = self.intercept + val @ self.weights[idx]
            z = np.exp(z - z.max())
            return z / z.sum()
        idx_parts, val_parts = [], []
        for analyze, vocab, idf, offset, sublinear in self.blocks:
            counts = {vocab[g]: n for g, n in Counter(analyze(norm_text)).items() if g in vocab}
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            val = (np.log(tf) + 1.0 if sublinear else tf) * idf[idx]
            val /= np.sqrt(val @ val)
            idx_parts.append(idx + offset)
            val_parts.append(val)
        z = self.intercept.copy()
        if idx_parts:
            idx, val = np.concatenate(idx_parts), np.concatenate(val_parts)
            z += val @ self.weights[idx]
        z = np.exp(z - z.max())
        return z / z.sum()


class Classifier:
    """A fitted pipeline plus its card (version, thresholds)."""

    def __init__(self, pipeline, card: dict):
        self.pipeline = pipeline
        self.card = card
        self.version: str = card["version"]
        self.thresholds: dict[str, float] = dict(card.get("thresholds") or {})
        self.labels: tuple[str, ...] = tuple(str(c) for c in pipeline.classes_)
        # The label is argmax of probability × weight, OUT_OF_REMIT's weight below 1 (card params.oor_weight, 1 on
        # older cards): when a text is nearly as likely a ministry matter, suggest that, since a factory complaint
        # labelled out of remit is lost while the reverse costs a triage officer a glance.  Confidence stays the
        # label's own probability, so what is auto-routed still depends on the per-class thresholds alone.
        self.oor_weight = float((card.get("params") or {}).get("oor_weight", 1.0))
        self.decision_weights = np.array([self.oor_weight if lab == OUT_OF_REMIT else 1.0 for lab in self.labels])
        union, lr = pipeline.named_steps["features"], pipeline.named_steps["model"]
        self._single = _SingleTextScorer(union, lr) if _SingleTextScorer.supports(union, lr) else None

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Class probabilities, columns in `self.labels` order."""
        return self.pipeline.predict_proba(list(texts))

    def decide(self, probs: np.ndarray) -> np.ndarray:
        """Column index of the label for each row of class probabilities."""
        return np.argmax(probs * self.decision_weights, axis=-1)

    def _prediction(self, row: np.ndarray) -> Prediction:
        top = np.argsort(-(row * self.decision_weights), kind="stable")[:3]
        label, conf = self.labels[top[0]], float(row[top[0]])
        confident = label != OUT_OF_REMIT and conf >= self.thresholds.get(label, 1.0)
        alts = tuple((self.labels[i], round(float(row[i]), 4)) for i in top)
        return Prediction(label, round(conf, 4), alts, confident, self.version)

    def predict(self, text: str) -> Prediction:
        """One suggestion for one complaint text."""
        if self._single is None:
            return self._prediction(self.predict_proba([text])[0])
        return self._prediction(self._single(features.normalize_text(text)))

    def predict_batch(self, texts: list[str]) -> list[Prediction]:
        """Suggestions for many texts in one vectorised pass."""
        if not texts:
            return []
        return [self._prediction(row) for row in self.predict_proba(list(texts))]


def artifacts_path(path: Path | str | None = None) -> Path:
    """The explicit path, else $IDEE_CLASSIFIER_ARTIFACTS, else classifier/artifacts."""
    return Path(path or os.environ.get(ARTIFACTS_ENV) or Path(__file__).parent / "artifacts")


def current_version(path: Path | str | None = None) -> str:
    """:raises ModelNotAvailable: when nothing has been promoted."""
    pointer = artifacts_path(path) / "current.json"
    try:
        return json.loads(pointer.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as exc:
        raise ModelNotAvailable(f"no current model ({pointer})") from exc


def load(version: str | None = None, artifacts_dir: Path | str | None = None,
         tokenizer: str | None = None) -> Classifier:
    """The Classifier for `version` (default: current.json's), loaded once per process.

    `tokenizer` (or $IDEE_CLASSIFIER_TOKENIZER) swaps newmm for nlpo3 at serving time; both use the same
    dictionary.  :raises ModelNotAvailable: no artifact, unreadable, or untrusted content.
    """
    folder = artifacts_path(artifacts_dir).resolve()
    version = version or current_version(folder)
    if not _VERSION.fullmatch(version):  # it becomes a file name
        raise ModelNotAvailable(f"invalid model version {version!r}")
    tok = tokenizer or os.environ.get(features.TOKENIZER_ENV) or None
    return _load(version, str(folder), tok)


@lru_cache(maxsize=8)
def _load(version: str, folder: str, tokenizer: str | None) -> Classifier:
    path = Path(folder) / f"{version}.skops"
    try:
        untrusted = set(sio.get_untrusted_types(file=path))
        card = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelNotAvailable(f"cannot read model {version} in {folder}: {exc}") from exc
    unknown = untrusted - TRUSTED_TYPES
    if unknown:
        raise ModelNotAvailable(f"model {version} holds untrusted types: {sorted(unknown)}")
    try:
        pipeline = sio.load(path, trusted=sorted(untrusted))
    except Exception as exc:  # any broken artifact means the same to the app: fall back to triage
        raise ModelNotAvailable(f"cannot load model {version}: {exc}") from exc
    if tokenizer:  # serving-time override (the pipeline object belongs to this cache entry alone)
        feats = pipeline.named_steps["features"]
        words = feats if isinstance(feats, ThaiFeatures) else feats.transformer_list[0][1]
        words.set_params(tokenizer=features.get_tokenizer(tokenizer))
    if not set(pipeline.classes_) <= set(LABELS):
        raise ModelNotAvailable(f"model {version} has unknown labels {list(pipeline.classes_)}")
    return Classifier(pipeline, card)
