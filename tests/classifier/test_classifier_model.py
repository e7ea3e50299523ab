"""Artifact round trip, model card, serving wrapper and threshold logic."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier import LABELS, OUT_OF_REMIT, ModelNotAvailable, Prediction, load, model
from classifier.labels import FACTORY_LABELS


def test_round_trip_uses_only_trusted_types(trained, clf, corpus_split):
    card, out = trained
    path = out / f"{card['version']}.skops"
    assert set(sio.get_untrusted_types(file=path)) <= model.TRUSTED_TYPES
    texts = [r.text for r in corpus_split[1][:200]]
    # the single-text fast path and the sklearn pipeline agree
    fast = np.array([clf._single(model.features.normalize_text(t)) for t in texts])
    np.testing.assert_allclose(fast, clf.pipeline.predict_proba(texts), atol=1e-5)
    assert [clf.predict(t).label for t in texts] == [p.label for p in clf.predict_batch(texts)]


def test_card_fields(trained):
    card, out = trained
    on_disk = json.loads((out / f"{card['version']}.json").read_text(encoding="utf-8"))
    assert on_disk == card
    for key in ("version", "created_at", "data_hash", "n_rows", "n_per_label", "libraries", "tokenizer",
                "cv_macro_f1", "validation", "thresholds", "artifact_bytes", "training_seconds"):
        assert key in card, key
    assert card["version"].endswith(card["data_hash"][:8])
    assert set(card["libraries"]) >= {"python", "sklearn", "skops", "pythainlp"}
    assert set(card["thresholds"]) == set(LABELS)
    assert all(0.5 <= t <= 1.0 for t in card["thresholds"].values())
    assert card["tokenizer"] == "newmm"
    assert sum(card["n_per_label"].values()) == card["n_rows"]["total"]
    assert json.loads((out / "current.json").read_text())["version"] == card["version"]


def test_load_is_cached_and_defaults_to_current(trained, clf):
    _, out = trained
    assert load(artifacts_dir=out) is clf
    assert load(artifacts_dir=out) is load(clf.version, out)


def test_no_artifact_raises_model_not_available(tmp_path):
    with pytest.raises(ModelNotAvailable):
        load(artifacts_dir=tmp_path)
    with pytest.raises(ModelNotAvailable):
        load("20990101T000000Z-deadbeef", tmp_path)


def test_untrusted_artifact_is_refused(tmp_path):
    evil = Pipeline([("x", FunctionTransformer(os.system))])
    sio.dump(evil, tmp_path / "evil.skops")
    (tmp_path / "evil.json").write_text(json.dumps({"version": "evil", "thresholds": {}}))
    with pytest.raises(ModelNotAvailable, match="untrusted"):
        load("evil", tmp_path)


def test_prediction_shape(clf):
    p = clf.predict("โรงงานปล่อยน้ำเสียลงคลองสาธารณะ กลิ่นเหม็นทั้งคืน")
    assert isinstance(p, Prediction)
    assert p.label in LABELS and p.model_version == clf.version
    assert len(p.alternatives) == 3 and p.alternatives[0][0] == p.label
    scores = [prob * (clf.oor_weight if lab == OUT_OF_REMIT else 1) for lab, prob in p.alternatives]
    assert scores == sorted(scores, reverse=True)  # decision order
    assert abs(p.alternatives[0][1] - p.confidence) < 1e-4
    assert p.to_dict()["alternatives"][0] == {"category": p.label, "confidence": p.alternatives[0][1]}
    assert clf.predict_batch([]) == []


def test_confidence_threshold_logic(clf):
    texts = ["ถนนหน้าบ้านเป็นหลุมใหญ่มาก", "โรงงานย้อมผ้าปล่อยน้ำเสียสีดำลงคลอง", "เผาอ้อยทั้งคืน ขี้เถ้าเต็มบ้าน"]
    lenient = model.Classifier(clf.pipeline, {**clf.card, "thresholds": dict.fromkeys(LABELS, 0.0)})
    strict = model.Classifier(clf.pipeline, {**clf.card, "thresholds": dict.fromkeys(LABELS, 1.0)})
    for p in lenient.predict_batch(texts):
        assert p.confident == (p.label != OUT_OF_REMIT)  # out of remit is never auto-routed
    assert not any(p.confident for p in strict.predict_batch(texts))
    for p in clf.predict_batch(texts):
        assert p.confident == (p.label != OUT_OF_REMIT and p.confidence >= clf.thresholds[p.label])


def test_nlpo3_serving_matches_newmm(trained, corpus_split):
    card, out = trained
    fast = load(card["version"], out, tokenizer="nlpo3")
    slow = load(card["version"], out)
    assert fast is not slow
    texts = [r.text for r in corpus_split[1][:150]]
    agree = np.mean([a.label == b.label for a, b in zip(fast.predict_batch(texts), slow.predict_batch(texts))])
    assert agree >= 0.97


def test_out_of_remit_weight_decides_close_calls(clf):
    probs = np.zeros((2, len(clf.labels)))
    oor, pollution = clf.labels.index(OUT_OF_REMIT), clf.labels.index("FACTORY_POLLUTION")
    probs[0, [oor, pollution]] = 0.45, 0.40  # close: the factory suggestion wins
    probs[1, [oor, pollution]] = 0.80, 0.15  # clear: out of remit stays
    assert clf.oor_weight < 1
    assert [clf.labels[i] for i in clf.decide(probs)] == ["FACTORY_POLLUTION", OUT_OF_REMIT]
    plain = model.Classifier(clf.pipeline, {**clf.card, "params": {}})
    assert [plain.labels[i] for i in plain.decide(probs)] == [OUT_OF_REMIT, OUT_OF_REMIT]
    p = clf._prediction(probs[0])
    assert p.label == "FACTORY_POLLUTION" and p.confidence == 0.4 and not p.confident  # still triage


def test_address_fields_are_not_evidence():
    text = "ปัญหา: เจียเหล็กเสียงดัง ซอย: สุขสวัสดิ์ 30 ถนน: สุขสวัสดิ์ จุดสังเกต: หน้าร้านข้าวมันไก่ เขต: ราษฎร์บูรณะ #1555"
    norm = model.features.normalize_text(text)
    assert "ถนน" not in norm and "ราษฎร์บูรณะ" not in norm and "สุขสวัสดิ์" not in norm
    assert "เจียเหล็กเสียงดัง" in norm and "จุดสังเกต: หน้าร้านข้าวมันไก่" in norm
    assert model.features.normalize_text("รถติดบนถนนสุขุมวิท เวลา 10:30 น.").count("ถนน") == 1  # no field, kept
    assert "ราษฎร์บูรณะ" in model.features.normalize_text(text, places=False)  # the split key keeps them


def test_factory_labels_are_labels():
    assert set(LABELS) >= FACTORY_LABELS and OUT_OF_REMIT in LABELS and len(LABELS) == 10


def test_fast_thai_normalize_matches_pythainlp(corpus):
    from pythainlp.util import normalize

    from classifier.features import thai_normalize

    samples = [r.text for r in corpus] + ["นานาาา", "ดีีีี", "เเปลก", "ก ะ ะ ะ า", "่่่ก้้", "ไปปป มากกกก ๆๆ", "า า า"]
    assert [thai_normalize(t) for t in samples] == [normalize(t) for t in samples]
