"""Training, threshold choice, evaluation output and the retrain/promote decision."""

from __future__ import annotations

import json

import pytest

from classifier import LABELS, load
from classifier.data import load_corpus, split
from classifier.evaluate import evaluate
from classifier.evaluate import main as evaluate_main
from classifier.train import MIN_SUPPORT, MIN_THRESHOLD, choose_thresholds, retrain, train


def test_choose_thresholds_smallest_with_target_precision():
    # FACTORY_SAFETY predictions, most confident first: 8 right, then a wrong one at 0.70, then right ones
    conf = [0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.92, 0.70, 0.65, 0.60, 0.40]
    ok = [True] * 8 + [False, True, False, False]
    y_pred = ["FACTORY_SAFETY"] * len(conf)
    y_true = ["FACTORY_SAFETY" if good else "OUT_OF_REMIT" for good in ok]
    th = choose_thresholds(y_true, y_pred, conf, target=0.9, oor_share=None)
    assert th["FACTORY_SAFETY"] == 0.65  # 9/10 right at >= 0.65; at 0.60, 9/11 < 0.9
    assert th["MINING"] == 1.0  # no predictions: never confident
    th = choose_thresholds(y_true, y_pred, conf, target=0.95, oor_share=None)
    assert th["FACTORY_SAFETY"] == 0.92  # 8/8; 8/9 at 0.70 is below 0.95
    # weighted as if half of all texts were out of remit, each wrong one counts 9/3 = 3 times: 9/12 < 0.9
    th = choose_thresholds(y_true, y_pred, conf, target=0.9, oor_share=0.5)
    assert th["FACTORY_SAFETY"] == 0.92
    few = choose_thresholds(["MINING"] * (MIN_SUPPORT - 1), ["MINING"] * (MIN_SUPPORT - 1),
                            [0.9] * (MIN_SUPPORT - 1))
    assert few["MINING"] == 1.0  # too few to show the precision
    low = choose_thresholds(["MINING"] * 10, ["MINING"] * 10, [0.3] * 5 + [0.8] * 5)
    assert low["MINING"] == 0.8 and low["MINING"] >= MIN_THRESHOLD


def test_evaluate_keys(clf, corpus_split):
    result = evaluate(clf, corpus_split[1])
    for key in ("macro_f1", "accuracy", "per_class", "coverage_at_threshold", "precision_at_threshold", "n",
                "model_version", "confusions"):
        assert key in result
    assert set(result["per_class"]["MINING"]) == {"precision", "recall", "f1", "support"}
    assert result["n"] == len(corpus_split[1]) and result["model_version"] == clf.version
    assert result["macro_f1"] >= 0.85
    assert result["precision_at_threshold"] >= 0.9


def test_evaluate_cli_prints_json(trained, tmp_path, capsys):
    card, out = trained
    data = tmp_path / "eval.csv"
    data.write_text("text,label\nโรงงานปล่อยน้ำเสียลงคลอง,FACTORY_POLLUTION\nถนนเป็นหลุม,OUT_OF_REMIT\n",
                    encoding="utf-8")
    assert evaluate_main(["--data", str(data), "--artifacts", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["n"] == 2 and printed["model_version"] == card["version"]


def test_retrain_promotes_when_not_worse_and_refuses_when_worse(small_corpus, tmp_path):
    out = tmp_path / "artifacts"
    first = train(small_corpus, out_dir=out, progress=False, cv=2, supplement_dir=None)
    assert first["cv"]["folds"] == 2 and 0 <= first["cv_macro_f1"] <= 1
    assert load(artifacts_dir=out).version == first["version"]

    same, promoted = retrain([], small_corpus, out, supplement_dir=None)  # identical data: equal macro-F1 is not worse
    assert promoted and same["promotion"]["current_version"] == first["version"]
    assert load(artifacts_dir=out).version == same["version"] != first["version"]

    # officers "correct" every training text to the next label: the candidate gets worse
    train_rows, _ = split(load_corpus(small_corpus, None))
    shift = {a: b for a, b in zip(LABELS, LABELS[1:] + LABELS[:1])}
    bad, promoted = retrain([(r.text, shift[r.label]) for r in train_rows], small_corpus, out, supplement_dir=None)
    assert not promoted
    assert bad["promotion"]["candidate_macro_f1"] < bad["promotion"]["current_macro_f1"]
    assert load(artifacts_dir=out).version == same["version"]
    assert load(bad["version"], out).version == bad["version"]  # kept on disk, loadable
    assert load(first["version"], out).version == first["version"]


def test_extra_rows_with_unknown_label_are_rejected(small_corpus, tmp_path):
    with pytest.raises(ValueError, match="unknown label"):
        retrain([("ข้อความ", "ROADS")], small_corpus, tmp_path, supplement_dir=None)
