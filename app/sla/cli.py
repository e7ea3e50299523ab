"""``flask sla …``: sweep, recompute, and the calendar seed."""

import json
import sys
from datetime import date, datetime

import click
from flask.cli import with_appcontext

from app.common.db import commit


@click.group("sla")
def sla_cli():
    """Deadlines: sweep, recompute."""


@sla_cli.command("sweep")
@click.option("--at", "at", default=None, help="Sweep as of this ISO 8601 moment (with offset); default now.")
@with_appcontext
def sweep_cmd(at):
    """Mark clocks at risk and overdue, queue alerts, escalations and citizens' notices (idempotent)."""
    from app.sla.sweep import run_sweep

    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            raise click.BadParameter("an ISO 8601 moment, e.g. 2026-11-23T09:00:00+07:00", param_hint="--at") from None
        if moment.tzinfo is None:
            raise click.BadParameter("give the offset, e.g. +07:00", param_hint="--at")
    click.echo(json.dumps(run_sweep(moment), ensure_ascii=False))


@sla_cli.command("recompute")
@click.option("--day", default=None, help="Only clocks spanning this day (YYYY-MM-DD).")
@click.option("--unit", default=None, help="Only cases of this unit (its hours changed); * for the default.")
@click.option("--service", default=None, help="Manual slug; with --version, re-basis its cases' clocks.")
@click.option("--version", type=int, default=None)
@with_appcontext
def recompute_cmd(day, unit, service, version):
    """Recompute open deadlines after a change of calendar, hours or manual version (batched)."""
    from tqdm import tqdm

    from app.sla import recompute as rc
    from app.sla import rules

    rules.invalidate()
    with tqdm(unit="clock", file=sys.stderr, disable=None) as bar:
        if day:
            n = rc.recompute(*rc.day_window(date.fromisoformat(day)), progress=bar.update)
        elif unit:
            n = rc.recompute_for_unit(unit)
        elif service and version is not None:
            n = rc.recompute_for_version(service, version)
        else:
            n = rc.recompute(progress=bar.update)
    commit()
    click.echo(json.dumps({"changed": n}))
