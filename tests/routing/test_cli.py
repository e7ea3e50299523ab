"""``flask classifier evaluate --data CSV`` prints the JSON of CONTRACT.md."""

import csv
import json


def test_evaluate_prints_the_contract_json(app, with_model, tmp_path):
    data = tmp_path / "eval.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerow(["โรงงานปล่อยควันดำและกลิ่นเหม็นไหม้ทุกคืน", "FACTORY_POLLUTION"])
        w.writerow(["ถนนในซอยเป็นหลุมใหญ่ รถล้มบ่อย", "OUT_OF_REMIT"])
        w.writerow(["ปลั๊กพ่วงไม่มีเครื่องหมาย มอก. ซื้อมาจากตลาดนัด", "PRODUCT_STANDARD"])
    result = app.test_cli_runner().invoke(args=["classifier", "evaluate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for key in ("macro_f1", "accuracy", "per_class", "coverage_at_threshold", "precision_at_threshold"):
        assert key in report
    assert report["n"] == 3 and report["model_version"] == with_model["version"]


def test_evaluate_without_columns_is_a_clear_error(app, with_model, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["classifier", "evaluate", "--data", str(bad)])
    assert result.exit_code == 1 and "text,label" in result.output
