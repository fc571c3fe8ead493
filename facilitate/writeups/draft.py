"""The Markdown of a compiled draft, made from the same report data every export reads.

Title, byline and the question come first; then one section per cluster in the facilitator's order
and the unclustered notes last. In each section the ideas are points with their support, questions
and actions get lists of their own, and quotes become block quotes. Every point ends with its
citation (``[#12]``), so that prose written from it can keep pointing at its sources.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import markdown as md
from ..exports.report import ReportNote, ReportTheme
from ..exports.text import join_names
from ..services.text import without_outer_quotes

NEW_NOTES_HEADING = _l("Notes added after the draft was compiled")


def draft_title(event_title: str, theme_title: str) -> str:
    return _("%(event)s: a discussion on %(theme)s", event=event_title, theme=theme_title)


def compose(theme: ReportTheme, event_title: str) -> str:
    """The whole draft of a theme."""
    lines = [f"# {md.escape(draft_title(event_title, theme.title))}", ""]
    if theme.facilitators:
        byline = _("By %(names)s", names=md.escape(join_names(theme.facilitators)))
        lines += [f"*{byline}*", ""]
    if theme.prompt:
        lines += [f"> {md.escape(theme.prompt)}", ""]
    if not theme.notes:
        lines += [_("No notes were posted in this discussion."), ""]
    lines += sections(theme, theme.notes)
    return "\n".join(lines).rstrip() + "\n"


def sections(theme: ReportTheme, notes: Iterable[ReportNote], level: int = 2) -> list[str]:
    """One section per cluster holding any of ``notes``, then the unclustered ones."""
    wanted = {note.id for note in notes}
    lines: list[str] = []
    for cluster in theme.clusters:
        chosen = [note for note in cluster.notes if note.id in wanted]
        if chosen:
            lines += _section(cluster.title, chosen, level)
    loose = [note for note in theme.unclustered if note.id in wanted]
    if loose:
        title = _("Other points") if theme.clusters else _("Points raised")
        lines += _section(title, loose, level)
    return lines


def new_notes_section(theme: ReportTheme, notes: list[ReportNote]) -> str:
    """The block "Insert new notes" appends to an edited draft."""
    lines = [f"## {NEW_NOTES_HEADING}", "", *sections(theme, notes, level=3)]
    return "\n".join(lines).rstrip() + "\n"


def point(note: ReportNote) -> str:
    """``Idea text (9 votes, raised by 3 people) [#12]``."""
    return f"{md.escape_block(note.text, indent='  ')} ({note.support}) [#{note.id}]"


def _section(title: str, notes: list[ReportNote], level: int) -> list[str]:
    lines = [f"{'#' * level} {md.escape(title)}", ""]
    ideas = [n for n in notes if n.kind == "idea"]
    if ideas:
        lines += [f"- {point(note)}" for note in ideas] + [""]
    for kind, heading in (("question", _("Questions")), ("action", _("Actions"))):
        chosen = [n for n in notes if n.kind == kind]
        if chosen:
            lines += [f"{'#' * (level + 1)} {heading}", ""]
            lines += [f"- {point(note)}" for note in chosen] + [""]
    for note in (n for n in notes if n.kind == "quote"):
        lines += [_quote(note), ""]
    return lines


def _quote(note: ReportNote) -> str:
    text = md.escape_block(without_outer_quotes(note.text), indent="> ")
    source = f" — {md.escape(note.author)}" if note.author else ""
    return f"> “{text}”{source} ({note.support}) [#{note.id}]"
