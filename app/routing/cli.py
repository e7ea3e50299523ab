"""``flask classifier …``: train, evaluate, retrain (CONTRACT.md)."""

import json
import sys

import click
from flask.cli import AppGroup

from app.common.db import commit

classifier_cli = AppGroup("classifier", help="The Thai complaint classifier.")


@classifier_cli.command("train")
@click.option("--data", "data", default=None, help="Corpus folder of CSV files (default classifier/data/corpus).")
@click.option("--cv", default=5, show_default=True, help="Cross-validation folds (0 to skip).")
def train_cmd(data, cv):
    """Train on the corpus, choose per-class thresholds, write and promote a versioned artifact."""
    from classifier.train import CORPUS_DIR, train

    card = train(data or CORPUS_DIR, (), None, True, cv=cv)
    click.echo(json.dumps({k: card.get(k) for k in ("version", "cv_macro_f1", "thresholds", "artifact_bytes")},
                          ensure_ascii=False))


@classifier_cli.command("evaluate")
@click.option("--data", "data", required=True, help="CSV with columns text,label.")
@click.option("--version", default=None, help="Model version (default: current).")
def evaluate_cmd(data, version):
    """Print macro_f1, accuracy, per_class, coverage_at_threshold and precision_at_threshold as JSON."""
    import csv

    from classifier.evaluate import evaluate
    from classifier.model import ModelNotAvailable, load

    try:
        model = load(version)
    except ModelNotAvailable as exc:
        raise click.ClickException(str(exc)) from exc
    with open(data, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"text", "label"} <= set(reader.fieldnames or ()):
            raise click.ClickException("the CSV needs columns text,label")
        rows = [(r["text"], r["label"]) for r in reader]
    if not rows:
        raise click.ClickException("no rows: the CSV needs columns text,label")
    click.echo(json.dumps(evaluate(model, rows), ensure_ascii=False, indent=2))


@classifier_cli.command("retrain")
def retrain_cmd():
    """Retrain on the corpus plus staff corrections; promote only when not worse (runs as a tracked job)."""
    from app.routing.learning import request_retrain

    run = request_retrain()
    run_id = run.id
    commit()  # inline (no REDIS_URL) the job runs here; otherwise a worker takes it
    from app.extensions import db
    from app.outbox.models import JobRun

    run = db.session.get(JobRun, run_id)
    click.echo(json.dumps({"job_run": run.id, "status": run.status, "result": run.result}, ensure_ascii=False))
    if run.status == "failed":
        sys.exit(1)
