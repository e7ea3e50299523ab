"""``flask pdpa retention``."""

import json
import sys

import click
from flask.cli import with_appcontext


@click.group("pdpa")
def pdpa_cli():
    """Personal-data rights and retention."""


@pdpa_cli.command("retention")
@with_appcontext
def retention():
    """Anonymise the personal data of cases closed longer than PDPA_RETENTION_DAYS ago (batched, logged)."""
    from tqdm import tqdm

    from app.pdpa.services import run_retention

    with tqdm(unit="person", file=sys.stderr, disable=None) as bar:
        result = run_retention(progress=bar.update)
    click.echo(json.dumps(result))
