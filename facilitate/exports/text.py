"""Words every format shares, so that the documents say the same things the same way."""

from __future__ import annotations

from datetime import datetime

from .. import markdown as md
from ..services.events import slugify
from .report import Report, ReportNote, ReportTheme

DRAFT_NOTICE = "DRAFT: this write-up is not published yet."


def format_day(value) -> str:
    """``Monday 23 November 2026``."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def format_moment(moment: datetime) -> str:
    """``24 November 2026, 09:30 UTC``: the same in every format and on every machine."""
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def date_line(report: Report) -> str:
    parts = []
    if report.event.date:
        parts.append(format_day(report.event.date))
    if report.event.venue:
        parts.append(report.event.venue)
    return " · ".join(parts)


def updated_line(report: Report) -> str:
    return f"Last updated {format_moment(report.updated_at)}"


def status_line(theme: ReportTheme) -> str:
    if theme.writeup.is_published:
        return "published write-up"
    if theme.writeup.is_empty:
        return "no write-up yet"
    return "DRAFT write-up"


def byline(theme: ReportTheme) -> str:
    if not theme.facilitators:
        return ""
    return "Facilitated by " + join_names(theme.facilitators)


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def cited_notes(theme: ReportTheme) -> list[ReportNote]:
    """The exported notes the theme's write-up cites, in order of first citation."""
    if not theme.writeup.show_citations:
        return []
    found = theme.notes_by_id
    return [found[i] for i in md.citation_ids(theme.writeup.markdown) if i in found]


def filename(report: Report, extension: str) -> str:
    """``best-by-west-midlands-launch-feedback.pdf``, or ``…-trust-feedback.pdf`` for one theme."""
    stem = report.event.slug
    if report.single_theme:
        stem += "-" + slugify(report.themes[0].title)
    return f"{stem}-feedback.{extension}"
