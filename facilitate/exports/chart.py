"""A small SVG bar chart of notes and votes per theme, for the HTML page and the PDF.

Plain shapes and text only, so that browsers and WeasyPrint draw it alike. Notes are solid bars,
votes outlined ones, and every bar carries its number: colour is never the only signal.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .report import Report
from .report_data import notes, votes
from .text import chart_description, chart_title

WIDTH = 640
LABEL_WIDTH = 200
ROW = 46
BAR = 15
TOP = 34
INK = "#0b0c0c"
ACCENT = "#1d4f91"


def _short(title: str, limit: int = 26) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def row_height(count: int) -> int:
    """Rows get tighter when there are many themes, so that the chart stays about a page high."""
    return ROW if count <= 8 else 36


def chart_svg(report: Report, font: str = "system-ui, Arial, sans-serif") -> Markup:
    """The chart as inline SVG markup (text escaped)."""
    themes = report.themes
    row_step = row_height(len(themes))
    bar = BAR if row_step == ROW else 12
    height = TOP + row_step * max(1, len(themes)) + 8
    top = max([1] + [max(t.stats.notes, t.stats.votes) for t in themes])
    span = WIDTH - LABEL_WIDTH - 96  # room for the number after the longest bar
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="chart-title" '
        'aria-describedby="chart-desc" '
        f'font-family="{escape(font)}" font-size="{13 if row_step == ROW else 11}">',
        f'<title id="chart-title">{escape(chart_title())}</title>',
        # The numbers in words, for a reader who cannot see the bars (the table beside it too).
        f'<desc id="chart-desc">{escape(chart_description(report))}</desc>',
        _legend(),
    ]
    for row, theme in enumerate(themes):
        y = TOP + row * row_step
        parts.append(
            f'<text x="{LABEL_WIDTH - 10}" y="{y + bar + 4}" text-anchor="end" fill="{INK}">'
            f"{escape(_short(theme.title))}</text>"
        )
        parts.append(_bar(y, bar, theme.stats.notes, top, span, solid=True))
        parts.append(_bar(y + bar + 2, bar, theme.stats.votes, top, span, solid=False))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every title is escaped above)


def _bar(y: int, bar: int, value: int, top: int, span: int, *, solid: bool) -> str:
    length = max(1.5, span * value / top) if value else 0
    fill = ACCENT if solid else "#ffffff"
    shape = (
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{bar}" fill="{fill}" '
        f'stroke="{ACCENT}" stroke-width="1.5"/>'
        if length
        else ""
    )
    label = (
        f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + bar - 3}" fill="{INK}">'
        f"{escape(notes(value) if solid else votes(value))}</text>"
    )
    return shape + label


def _legend() -> str:
    return (
        f'<rect x="{LABEL_WIDTH}" y="6" width="14" height="14" fill="{ACCENT}" '
        f'stroke="{ACCENT}" stroke-width="1.5"/>'
        f'<text x="{LABEL_WIDTH + 20}" y="18" fill="{INK}">{escape(_("Notes"))}</text>'
        f'<rect x="{LABEL_WIDTH + 90}" y="6" width="14" height="14" fill="#ffffff" '
        f'stroke="{ACCENT}" stroke-width="1.5"/>'
        f'<text x="{LABEL_WIDTH + 110}" y="18" fill="{INK}">{escape(_("Votes"))}</text>'
    )
