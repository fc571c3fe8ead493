"""Words every format shares, so that the documents say the same things the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .. import markdown as md
from ..services.events import slugify
from .report import Report, ReportNote, ReportTheme, plural


def format_day(value) -> str:
    """``Monday 23 November 2026``."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def format_moment(moment: datetime, time_zone: str) -> str:
    """``24 November 2026, 09:30 GMT``: in the event's zone, named, the same on every machine.
    A zone without a letter abbreviation is named by its place (``+04 (Asia/Dubai)``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(time_zone))
    name = local.tzname() or time_zone
    if not name.isalpha():
        name = f"{name} ({time_zone})"
    return f"{local.day} {local:%B %Y, %H:%M} {name}"


def date_line(report: Report) -> str:
    parts = []
    if report.event.date:
        parts.append(format_day(report.event.date))
    if report.event.venue:
        parts.append(report.event.venue)
    return " · ".join(parts)


def updated_line(report: Report) -> str:
    return f"Last updated {format_moment(report.updated_at, report.event.time_zone)}"


def status_line(theme: ReportTheme) -> str:
    if theme.writeup.is_published:
        return "published write-up"
    if theme.writeup.is_draft:
        return "DRAFT write-up"
    return "no write-up yet"


def folded_line(theme: ReportTheme) -> str:
    """``Training: no notes were posted``: all a document says of a theme with nothing to read."""
    return f"{theme.title}: no notes were posted"


CHART_TITLE = "Notes and votes per theme"


def chart_description(report: Report) -> str:
    """The chart's numbers in words, for a reader who cannot see it (a picture's alternative
    text): ``Bar chart of notes and votes per theme. Tactics: 6 notes, 3 votes. …``."""
    parts = [f"Bar chart of {CHART_TITLE.lower()}."]
    for theme in report.themes:
        notes, votes = plural(theme.stats.notes, "note"), plural(theme.stats.votes, "vote")
        parts.append(f"{theme.title}: {notes}, {votes}.")
    return " ".join(parts)


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
