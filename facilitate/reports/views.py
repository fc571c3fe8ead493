"""What the public pages show, gathered for the templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..exports.chart import chart_svg
from ..exports.names import FORMAT_NAMES
from ..exports.report import Report, ReportTheme, build_report
from ..exports.text import byline, date_line
from ..models import Event, ExportJob, ExportStatus, Theme, Writeup
from ..services import writeups
from ..writeups.draft import draft_title
from ..writeups.views import Rendered, rendered_writeup


@dataclass
class PublicWriteup:
    theme: ReportTheme
    #: Shown as the heading when the write-up does not start with one of its own.
    title: str | None
    byline: str
    rendered: Rendered
    published_at: object = None


@dataclass
class PublicReport:
    report: Report
    date_line: str
    chart: Markup
    writeups: list[PublicWriteup] = field(default_factory=list)


def _public(event_title: str, theme: ReportTheme, offset: int, published_at=None) -> PublicWriteup:
    body = theme.writeup.markdown
    rendered = rendered_writeup(
        theme, body, show_citations=theme.writeup.show_citations, heading_offset=offset
    )
    title = None if rendered.has_title else draft_title(event_title, theme.title)
    return PublicWriteup(theme, title, byline(theme), rendered, published_at)


def public_report(event: Event) -> PublicReport:
    """The event's figures and its published write-ups, in the themes' order."""
    report = build_report(event)
    page = PublicReport(report, date_line(report), chart_svg(report))
    page.writeups = [
        _public(event.title, theme, 1) for theme in report.themes if theme.writeup.is_published
    ]
    return page


def public_writeup(theme: Theme, writeup: Writeup | None) -> PublicWriteup:
    """One theme's write-up: the published text, or for its leaders the current draft."""
    report_theme = writeups.theme_report(theme)  # the published text, or else the draft
    published_at = writeup.published_at if writeup and writeup.is_published else None
    return _public(theme.event.title, report_theme, 0, published_at)


def job_status(job: ExportJob) -> dict:
    """What the report page says of a queued report, as the page and its script show it."""
    name = FORMAT_NAMES[job.format]
    words = {
        ExportStatus.QUEUED: _(
            "Waiting to start the %(format)s report: other reports are being made.", format=name
        ),
        ExportStatus.MAKING: _("Making the %(format)s report…", format=name),
        ExportStatus.READY: _("The %(format)s report is ready.", format=name),
        ExportStatus.FAILED: job.error or _("The report could not be made."),
    }
    return {
        "status": job.status.value,
        "message": words[job.status],
        "done": job.steps_done,
        "total": job.steps_total,
        "steps": _("%(done)s of %(total)s parts done", done=job.steps_done, total=job.steps_total)
        if job.steps_total
        else _("Gathering the notes…"),
        "label": _("Download the %(format)s (%(size)s)", format=name, size=_size(job.size or 0)),
        "file": url_for("reports.export_file", slug=job.event.slug, token=job.token)
        if job.status is ExportStatus.READY
        else None,
    }


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{max(1, round(count / 1000))} kB"


@dataclass
class Readiness:
    """What the organiser should know before sending the report: themes by write-up state."""

    drafts: list[str] = field(default_factory=list)
    unwritten: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)


def report_readiness(event: Event, states: dict[int, Writeup], counts: dict[int, int]) -> Readiness:
    found = Readiness()
    for theme in event.themes:
        writeup = states.get(theme.id)
        if writeup and writeup.is_published:
            continue
        if writeup and writeup.body.strip():
            found.drafts.append(theme.title)
        elif counts[theme.id]:
            found.unwritten.append(theme.title)
        else:
            found.empty.append(theme.title)
    return found
