"""``facilitate bundle export`` and ``facilitate bundle import``: many laptops, one event."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click
from flask_babel import gettext as _

from .. import private
from ..cli import with_database
from .fileformat import BundleProblem


def _fail(message: str) -> None:
    click.secho(_("Error: %(message)s", message=message), err=True, fg="red")
    sys.exit(1)


@click.group("bundle")
def bundle_group() -> None:
    """Carry an event's themes from one laptop to another and merge them."""


def _write(path: Path, data: bytes) -> None:
    """The whole file or nothing, readable by its owner alone (it names participants)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    private.narrow(Path(temporary))
    os.replace(temporary, path)


@bundle_group.command("export")
@click.argument("event_slug")
@click.option("--theme", "titles", multiple=True, help="A theme to include (all by default).")
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@with_database
def bundle_export(event_slug: str, titles: tuple[str, ...], output: str) -> None:
    """Write an event's themes, notes, headings, votes and write-ups into one file."""
    from .service import export_bundle

    try:
        _event, data = export_bundle(event_slug, titles)
        _write(Path(output).absolute(), data)
    except BundleProblem as problem:
        _fail(str(problem))
    except OSError as error:
        _fail(_("Cannot write %(file)s: %(error)s", file=output, error=error.strerror or error))
    click.echo(_("Wrote %(file)s (%(size)s bytes).", file=output, size=f"{len(data):,}"), err=True)


@bundle_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would be merged; change nothing.")
@with_database
def bundle_import(file: str, dry_run: bool) -> None:
    """Merge a bundle into the same event here (made when absent); print what it did."""
    from .service import import_bundle, preview_bundle

    try:
        data = Path(file).read_bytes()
    except OSError as error:
        _fail(_("Cannot read %(file)s: %(error)s", file=file, error=error.strerror or error))
    try:
        outcome = (preview_bundle if dry_run else import_bundle)(data)
    except BundleProblem as problem:
        _fail(str(problem))
    click.echo(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False))
