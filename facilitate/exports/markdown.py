"""The report as one Markdown file.

Everything people typed (titles, names, notes) is escaped, so it reads as written and cannot make a
link, an image, HTML or a heading. Write-ups are Markdown already: their headings are moved below
the theme's heading and their citations become footnotes.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .. import markdown as md
from .report import Report, ReportCluster, ReportTheme
from .text import cited_notes, date_line, folded_line, status_line, subject, updated_line


def render_markdown(report: Report) -> bytes:
    lines: list[str] = [f"# {md.escape(report.title)}", "", md.escape(subject()), ""]
    if date := date_line(report):
        lines += [md.escape(date), ""]
    lines += [md.escape(updated_line(report)), ""]
    if report.single_theme:
        lines += [line for theme in report.folded for line in (md.escape(folded_line(theme)), "")]
    else:
        lines += _contents(report)
    lines += _statistics(report)
    for theme in report.sections:
        lines += _theme(theme)
    return ("\n".join(lines).rstrip() + "\n").encode()


def _contents(report: Report) -> list[str]:
    lines = [f"## {md.escape(_('Contents'))}", ""]
    for theme in report.themes:
        if theme.is_folded:
            lines.append(f"{theme.number}. {md.escape(folded_line(theme))}")
        else:
            lines.append(f"{theme.number}. {md.escape(theme.title)} ({status_line(theme)})")
    return [*lines, ""]


def _statistics(report: Report) -> list[str]:
    headers = (_("Theme"), _("Participants"), _("Notes"), _("Votes"))
    lines = [
        f"## {md.escape(_('At a glance'))}",
        "",
        "| " + " | ".join(md.escape(header) for header in headers) + " |",
        "| --- | ---: | ---: | ---: |",
    ]
    for theme in report.themes:
        s = theme.stats
        lines.append(f"| {md.escape(theme.title)} | {s.participants} | {s.notes} | {s.votes} |")
    totals = report.totals
    if len(report.themes) > 1:
        lines.append(
            f"| **{md.escape(_('All themes'))}** "
            f"| {totals.participants} | {totals.notes} | {totals.votes} |"
        )
    return [*lines, ""]


def _theme(theme: ReportTheme) -> list[str]:
    lines = [f"## {md.escape(theme.title)}", ""]
    if theme.facilitators:
        names = md.escape(", ".join(theme.facilitators))
        lines += [_("Facilitated by %(names)s", names=names), ""]
    if theme.prompt:
        lines += [f"> {md.escape(theme.prompt)}", ""]
    if theme.keywords:
        words = ", ".join(f"{md.escape(term)} ({count})" for term, count in theme.keywords)
        lines += [f"**{md.escape(_('Keywords:'))}** {words}", ""]
    lines += _writeup(theme)
    lines += [f"### {md.escape(_('Notes from the discussion'))}", ""]
    if not theme.notes:
        lines += [md.escape(_("No notes were posted.")), ""]
    for cluster in theme.clusters:
        lines += _cluster(cluster)
    if theme.unclustered:
        title = _("Other notes") if theme.clusters else _("All notes")
        lines += _cluster(ReportCluster(None, title, theme.unclustered))
    return lines


def _writeup(theme: ReportTheme) -> list[str]:
    writeup = theme.writeup
    lines = []
    if writeup.is_draft:
        flag = f"**{md.escape(_('DRAFT'))}**"
        lines += [_("%(draft)s: this write-up is not published yet.", draft=flag), ""]
    if writeup.is_empty:
        heading = f"### {md.escape(_('Write-up'))}"
        return [*lines, heading, "", md.escape(_("No write-up has been written yet.")), ""]
    cited = cited_notes(theme) if writeup.show_citations else []
    numbers = {note.id: position for position, note in enumerate(cited, start=1)}
    label = f"t{theme.id}"
    body = writeup.markdown
    body = md.footnote_citations(body, numbers.get, label) if cited else md.strip_citations(body)
    lines += [md.shift_headings(body.strip(), 2), ""]
    for position, note in enumerate(cited, start=1):
        lines.append(f"[^{label}-{position}]: {md.escape(note.text)} ({md.escape(note.meta)})")
    return [*lines, ""] if cited else lines


def _cluster(cluster: ReportCluster) -> list[str]:
    lines = [f"#### {md.escape(cluster.title)}", ""]
    if not cluster.notes:
        return [*lines, md.escape(_("No notes.")), ""]
    for note in cluster.notes:
        text = md.escape_block(note.text, indent="  ")
        lines.append(f"- {text} — *{md.escape(note.meta)}*")
    return [*lines, ""]
