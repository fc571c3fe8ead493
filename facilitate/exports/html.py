"""The report as one standalone HTML file: styles inlined, no script, nothing loaded from elsewhere.

Text people typed reaches the page through Jinja's autoescape; write-ups through the sanitising
Markdown renderer. The PDF is laid out from the same parts (see ``pdf.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from flask import render_template
from markupsafe import Markup

from .. import markdown as md
from .. import resource_dir
from .chart import chart_svg
from .localised import number
from .report import Report, ReportNote, ReportTheme
from .text import byline, cited_notes, date_line, folded_line, status_line, updated_line


@dataclass
class ThemeView:
    """A theme ready for a template: its write-up rendered, the notes it cites numbered."""

    theme: ReportTheme
    writeup_html: Markup = field(default_factory=Markup)
    cited: list[ReportNote] = field(default_factory=list)

    @property
    def byline(self) -> str:
        return byline(self.theme)

    def anchor(self, note_id: int) -> str:
        return f"t{self.theme.id}-cited-{note_id}"


def theme_view(theme: ReportTheme) -> ThemeView:
    view = ThemeView(theme)
    writeup = theme.writeup
    if writeup.is_empty:
        return view
    cited = {note.id for note in cited_notes(theme)}
    citations = md.Citations(lookup=cited.__contains__, prefix=f"t{theme.id}-cited")
    view.writeup_html = Markup(  # noqa: S704  (sanitised by nh3 in md.render)
        md.render(
            writeup.markdown,
            citations=citations if writeup.show_citations else None,
            heading_offset=2,
        )
    )
    view.cited = [theme.notes_by_id[note_id] for note_id in citations.order]
    return view


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def headings_in_order(html: str, after: int = 0) -> str:
    """``html`` with no heading level skipped, going down (an h4 straight after an h2 becomes an
    h3), as a screen reader's list of headings and the tagged PDF's outline need; ``after`` is the
    level before it. A write-up without headings of its own would otherwise skip one."""
    level = after
    opened: list[int] = []

    def renumber(match: re.Match) -> str:
        nonlocal level
        if match.group(1):
            return f"</h{opened.pop() if opened else match.group(2)}"
        level = min(int(match.group(2)), level + 1)
        opened.append(level)
        return f"<h{level}"

    return _HEADING.sub(renumber, html)


@cache
def stylesheet(name: str) -> str:
    return (resource_dir("static") / "css" / name).read_text(encoding="utf-8")


def template_context(report: Report) -> dict:
    """What every report template needs."""
    return {
        "report": report,
        "date_line": date_line(report),
        "updated_line": updated_line(report),
        "status_line": status_line,
        "folded_line": folded_line,
        "number": number,
    }


def render_html(report: Report) -> bytes:
    html = render_template(
        "exports/report.html",
        css=Markup(stylesheet("report.css")),  # noqa: S704  (the app's own stylesheet)
        chart=chart_svg(report),
        views=[theme_view(theme) for theme in report.sections],
        **template_context(report),
    )
    return headings_in_order(html).encode()
