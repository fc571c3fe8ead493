"""``facilitate export EVENT_SLUG --format FORMAT [--output PATH]``: the report as the organiser
downloads it from the web, byte for byte."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from ..services import events
from .formats import export, steps
from .names import FORMATS
from .report import build_report

#: From this many notes an export shows a progress bar on standard error.
PROGRESS_FROM = 1000


def run_export(slug: str, fmt: str, output: str | None) -> None:
    event = events.find_by_slug(slug)
    if event is None:
        raise click.ClickException(f"There is no event with the address “{slug}”.")
    to_stdout = output in (None, "-")
    is_text = FORMATS[fmt][2]
    if to_stdout and not is_text and sys.stdout.isatty():
        raise click.ClickException(
            f"{fmt.upper()} is not text: give --output FILE, or redirect it into a file."
        )
    report = build_report(event)
    if report.note_count >= PROGRESS_FROM:
        label = f"Exporting {report.note_count:,} notes as {fmt.upper()}"
        with click.progressbar(length=steps(report, fmt), label=label, file=sys.stderr) as bar:
            result = export(event, fmt, report=report, progress=bar.update)
    else:
        result = export(event, fmt, report=report)
    if to_stdout:
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
        return
    _write(Path(output), result.data)
    click.echo(f"Wrote {output} ({len(result.data):,} bytes).", err=True)


def _write(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a half-written report is worse than none."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as error:
        raise click.ClickException(f"Cannot write {path}: {error.strerror or error}") from error
