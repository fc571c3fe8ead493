"""The export formats, in the order pages and the command line offer them. Plain data, so that the
command line can list them without loading the exporters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Each format: file extension, media type, and whether it is text.
FORMATS = {
    "md": ("md", "text/markdown; charset=utf-8", True),
    "html": ("html", "text/html; charset=utf-8", True),
    "pdf": ("pdf", "application/pdf", False),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        False,
    ),
    "csv": ("csv", "text/csv; charset=utf-8", True),
    "json": ("json", "application/json", True),
}
FORMAT_NAMES = {
    "md": "Markdown",
    "html": _l("Web page (HTML)"),
    "pdf": "PDF",
    "docx": _l("Word (DOCX)"),
    "csv": _l("Spreadsheet (CSV)"),
    "json": _l("Data (JSON)"),
}


def format_choices() -> list[tuple[str, str]]:
    """``(format, name)`` for every format, for a page's list of downloads."""
    return [(fmt, FORMAT_NAMES[fmt]) for fmt in FORMATS]
