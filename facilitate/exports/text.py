"""Words every format shares, so that the documents say the same things the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from .. import markdown as md
from ..services.events import slugify
from .localised import day_and_time, long_day
from .report import Report, ReportNote, ReportTheme
from .report_data import notes, votes


def format_day(value) -> str:
    """``Monday 23 November 2026``."""
    return long_day(value)


def format_moment(moment: datetime, time_zone: str) -> str:
    """``24 November 2026, 09:30 GMT``: in the event's zone, named, the same on every machine.
    A zone without a letter abbreviation is named by its place (``+04 (Asia/Dubai)``)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(time_zone))
    name = local.tzname() or time_zone
    if not name.isalpha():
        name = f"{name} ({time_zone})"
    return f"{day_and_time(local)} {name}"


def date_line(report: Report) -> str:
    parts = []
    if report.event.date:
        parts.append(format_day(report.event.date))
    if report.event.venue:
        parts.append(report.event.venue)
    return " · ".join(parts)


def updated_line(report: Report) -> str:
    moment = format_moment(report.updated_at, report.event.time_zone)
    return _("Last updated %(moment)s", moment=moment)


def status_line(theme: ReportTheme) -> str:
    if theme.writeup.is_published:
        return _("published write-up")
    if theme.writeup.is_draft:
        return _("DRAFT write-up")
    return _("no write-up yet")


def folded_line(theme: ReportTheme) -> str:
    """``Training: no notes were posted``: all a document says of a theme with nothing to read."""
    return _("%(title)s: no notes were posted", title=theme.title)


def subject() -> str:
    """What every document is: its subtitle, and its subject in the metadata."""
    return _("Feedback from discussions")


def document_title(report: Report) -> str:
    """``Launch: feedback from discussions``: the title a window or a file's metadata shows."""
    return _("%(title)s: feedback from discussions", title=report.title)


def page_of() -> str:
    """``Page %(number)s of %(total)s``: the words around the page numbers, for a document to
    fill in itself (Word's fields, the PDF's stamp)."""
    return _("Page %(number)s of %(total)s")


def chart_title() -> str:
    return _("Notes and votes per theme")


def chart_description(report: Report) -> str:
    """The chart's numbers in words, for a reader who cannot see it (a picture's alternative
    text): ``Bar chart of notes and votes per theme. Tactics: 6 notes, 3 votes. …``."""
    parts = [_("Bar chart of notes and votes per theme.")]
    for theme in report.themes:
        parts.append(
            _(
                "%(title)s: %(notes)s, %(votes)s.",
                title=theme.title,
                notes=notes(theme.stats.notes),
                votes=votes(theme.stats.votes),
            )
        )
    return " ".join(parts)


def byline(theme: ReportTheme) -> str:
    if not theme.facilitators:
        return ""
    return _("Facilitated by %(names)s", names=join_names(theme.facilitators))


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


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
    return _("%(name)s-feedback.%(extension)s", name=stem, extension=extension)
