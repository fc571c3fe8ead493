"""One entry point for every format, shared by the web download and ``facilitate export``, so
both give the same bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..i18n import in_language
from ..models import Event
from .names import FORMATS
from .report import Report, build_report
from .text import filename

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    #: The full Content-Type header, with the charset of text formats.
    content_type: str
    is_text: bool


def steps(report: Report, fmt: str) -> int:
    """How many times ``render`` calls ``progress`` for this report and format."""
    if fmt in ("pdf", "docx"):
        return len(report.sections) + (3 if fmt == "pdf" else 0)  # PDF: the cover, then joining
    return 1


def render(report: Report, fmt: str, progress: Progress | None = None) -> bytes:
    """The report's bytes in ``fmt`` (one of ``FORMATS``)."""
    step = progress or (lambda _n: None)
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(report, step)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(report, step)
    renderer = _simple_renderers()[fmt]
    data = renderer(report)
    step(1)
    return data


def _simple_renderers() -> dict[str, Callable[[Report], bytes]]:
    from .csv import render_csv
    from .html import render_html
    from .json import render_json
    from .markdown import render_markdown

    return {"md": render_markdown, "html": render_html, "csv": render_csv, "json": render_json}


def export(
    event: Event,
    fmt: str,
    theme_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
) -> Export:
    """Build the report of ``event`` (or of some of its themes) and render it in ``fmt``, in the
    event's language whoever asks for it."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    with in_language(event.language):
        report = report or build_report(event, theme_ids)
        extension, content_type, is_text = FORMATS[fmt]
        data = render(report, fmt, progress)
        return Export(data, filename(report, extension), content_type, is_text)
