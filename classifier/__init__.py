"""Complaint category classifier (no Flask): Thai text → one of LABELS with a calibrated confidence.

Serving API (the app calls only these)::

    from classifier import load, ModelNotAvailable
    clf = load()                         # current promoted version, loaded once per process
    pred = clf.predict(text)             # Prediction(label, confidence, alternatives, confident, model_version)
    preds = clf.predict_batch(texts)

Training is offline: `classifier.train.train()` / `retrain()` or `python -m classifier.train`.
"""

from .labels import FACTORY_LABELS, LABELS, OUT_OF_REMIT
from .model import Classifier, ModelNotAvailable, Prediction, load

__all__ = ["LABELS", "FACTORY_LABELS", "OUT_OF_REMIT", "Classifier", "ModelNotAvailable", "Prediction", "load"]
