"""``flask`` commands (CONTRACT.md): seed, audit verify, outbox relay, worker."""

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.common.db import commit
from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(audit)
    app.cli.add_command(outbox)
    app.cli.add_command(worker)
    from app.routing.cli import classifier_cli

    app.cli.add_command(classifier_cli)
    from app.manual.cli import manual_cli

    app.cli.add_command(manual_cli)
    from app.sla.cli import sla_cli

    app.cli.add_command(sla_cli)
    from app.accounts.cli import users_cli

    app.cli.add_command(users_cli)
    from app.evidence.blueprints import register_cli as register_evidence_cli

    register_evidence_cli(app)


@click.command()
@click.option("--demo", is_flag=True, help="Also create demo users and demo complaints.")
@with_appcontext
def seed(demo):
    """Load units, categories and routing rules (idempotent); --demo adds demo users and cases."""
    from app.routing.seed import seed_reference

    if demo and current_app.config["APP_ENV"] == "production":
        raise click.ClickException("--demo is refused when APP_ENV=production")
    counts = seed_reference()
    from app.sla.rules import seed_calendar

    counts.update(seed_calendar())
    from app.manual.seed import ManualError, seed_manual

    try:
        counts.update(seed_manual())
    except ManualError as exc:
        raise click.ClickException(f"citizen manual not published:\n{exc}") from None
    if demo:
        from app.accounts.seed import seed_demo_users
        from app.intake.demo import seed_demo_cases

        counts["demo_users"] = seed_demo_users()
        counts["demo_cases"] = seed_demo_cases()
    commit()
    from app.evidence.opendata import latest, refresh

    if demo or latest() is None:  # the open dataset exists from the start (empty), then the daily job refreshes it
        refresh()
        commit()
        counts["open_data"] = "refreshed"
    click.echo(json.dumps(counts, ensure_ascii=False))


@click.group()
def audit():
    """The audit trail."""


@audit.command("verify")
@with_appcontext
def audit_verify():
    """Walk the hash chain; exit 1 naming the first changed, inserted or deleted event."""
    from tqdm import tqdm

    from app.audit.services import verify_chain
    from app.cases.models import ChainHead

    head = db.session.get(ChainHead, 1)
    with tqdm(total=head.seq if head else 0, unit="event", file=sys.stderr, disable=None) as bar:
        report = verify_chain(progress=bar.update)
    click.echo(json.dumps(report.as_dict()))
    if not report.ok:
        where = f"event id {report.event_id}" if report.event_id else "the end of the chain"
        click.echo(f"audit chain broken: {report.problem} at seq {report.seq} ({where})", err=True)
        sys.exit(1)


@click.group()
def outbox():
    """The transactional outbox."""


@outbox.command("relay")
@click.option("--now", "at_once", is_flag=True, help="Include rows written in the last 30 seconds.")
@with_appcontext
def outbox_relay(at_once):
    """Hand pending outbox rows to the workers (or run them here when REDIS_URL is unset)."""
    from datetime import timedelta

    from app.outbox.services import PENDING_GRACE, relay

    click.echo(json.dumps({"relayed": relay(grace=timedelta(0) if at_once else PENDING_GRACE)}))


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queues are empty (tests, one-off runs).")
@click.option("--queues", default="default", show_default=True)
@with_appcontext
def worker(burst, queues):
    """Run an RQ worker inside the app (the outbox is relayed once at start)."""
    from rq import SimpleWorker

    from app.outbox.services import redis_connection, relay

    conn = redis_connection()
    if conn is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed")
    relay()
    # SimpleWorker runs jobs in this process, inside the app context this command already has.
    w = SimpleWorker(queues.split(","), connection=conn)
    w.work(burst=burst, with_scheduler=not burst)
