"""The report as CSV: one row per exported note.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return, or their full-width forms) get a leading apostrophe, and every cell is
quoted, as OWASP's advice on CSV injection says.

The file is UTF-8 and starts with a byte-order mark: without it Excel reads UTF-8 as the machine's
legacy code page and shows curly quotes and accents as mojibake. (Python reads it with
``encoding="utf-8-sig"``.)
"""

from __future__ import annotations

import csv
import io

from .report import Report

BOM = "\ufeff"
COLUMNS = ["event", "theme", "cluster", "kind", "text", "author", "votes", "created_at", "people"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: str) -> str:
    """A text cell as data, never as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def render_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    event = neutralise(report.event.title)
    for theme in report.themes:
        clusters = {cluster.id: cluster.title for cluster in theme.clusters}
        theme_title = neutralise(theme.title)
        for note in theme.notes:
            writer.writerow(
                [
                    event,
                    theme_title,
                    neutralise(clusters.get(note.cluster_id, "")),
                    note.kind,
                    neutralise(note.text),
                    neutralise(note.author or ""),
                    note.votes,
                    note.payload["created_at"],
                    note.people,
                ]
            )
    return buffer.getvalue().encode()
