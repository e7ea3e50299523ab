"""``flask manual validate``: check the citizen-manual files without publishing them."""

import sys

import click
from flask.cli import with_appcontext

from app.manual.content import load_all


@click.group("manual")
def manual_cli():
    """The citizen manual (คู่มือสำหรับประชาชน)."""


@manual_cli.command("validate")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of manual YAML files (default: citizen_manual/services).")
@click.option("--quiet", is_flag=True, help="Do not list the values marked [ต้องยืนยัน].")
@with_appcontext
def validate(directory, quiet):
    """Validate every manual file; exit 1 naming file and field of each problem. Values marked [ต้องยืนยัน]
    (to confirm) are listed, not refused."""
    files = load_all(directory)
    errors = [e for f in files for e in f.errors]
    for f in files:
        status = "ok" if f.ok else f"{len(f.errors)} error(s)"
        click.echo(f"{f.path.name}: {status}, {len(f.to_confirm)} value(s) to confirm")
        if not quiet:
            for path, text in f.to_confirm:
                click.echo(f"  to confirm: {f.path.name}: {path}: {text}")
    for e in errors:
        click.echo(e, err=True)
    if errors or not files:
        if not files:
            click.echo("no manual files found", err=True)
        sys.exit(1)
