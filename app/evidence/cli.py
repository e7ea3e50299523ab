"""``flask export gecc``, ``flask audit check-export``, ``flask opendata refresh``."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.extensions import db


@click.group("export")
def export_cli():
    """Evidence exports."""


@export_cli.command("gecc")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD), Bangkok time.")
@click.option("--to", "end", required=True, help="Day after the last (exclusive).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_gecc(start, end, fmt, out):
    """Write the GECC/ITA evidence of [from, to) to OUT (masked, sealed, logged)."""
    from tqdm import tqdm

    from app.errors import AppError
    from app.evidence.exports import export_to
    from app.evidence.period import parse_period
    from app.evidence.rows import count_cases
    from app.evidence.seal import start_log

    try:
        period = parse_period(start, end)
    except AppError:
        raise click.BadParameter("give --from and --to as YYYY-MM-DD, --to after --from") from None
    total = count_cases(period)
    log = start_log("gecc", fmt, via="cli", period=period)
    db.session.commit()
    with tqdm(total=total, unit="case", file=sys.stderr, disable=None) as bar:
        export_to(period, fmt, out, log, progress=bar.update)
    db.session.commit()
    click.echo(json.dumps({"export": log.id, "rows": log.rows, "format": fmt, "out": str(Path(out)),
                           "chain_seq": log.chain_seq, "chain_hash": log.chain_hash,
                           "rows_sha256": log.rows_sha256, "file_sha256": log.file_sha256}))


@click.command("check-export")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def check_export_cmd(path):
    """Prove an export matches the record; exit 1 when it does not."""
    from app.evidence.check import check_export

    report = check_export(path)
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    if not report.ok:
        click.echo("export does NOT match the record: " + "; ".join(report.problems or ["rows differ"]), err=True)
        sys.exit(1)


@click.group("opendata")
def opendata_cli():
    """The open dataset for the Government Data Catalog."""


@opendata_cli.command("refresh")
@with_appcontext
def opendata_refresh():
    """Rebuild the anonymised monthly statistics and their catalogue entry."""
    from app.evidence.opendata import refresh

    snap = refresh()
    db.session.commit()
    click.echo(json.dumps({"dataset": snap.name, "rows": snap.rows, "created_at": snap.created_at.isoformat()}))
