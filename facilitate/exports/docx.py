"""The report as a Word document (python-docx): real headings, lists and tables, A4, page
numbers in the footer, so that it opens and edits cleanly in Word and LibreOffice.

Dates in the document properties and in the zip come from the report's content, so the same
report always gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm, Pt, RGBColor
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import markdown as md
from ..i18n import language_tag
from .chart_png import chart_png
from .docx_writer import MarkdownToWord, Writer, header_row, run
from .localised import number
from .report import Report, ReportCluster, ReportTheme
from .text import (
    byline,
    chart_description,
    chart_title,
    cited_notes,
    date_line,
    folded_line,
    page_of,
    status_line,
    subject,
    updated_line,
)

FONT = "Arial"
INK = RGBColor(0x0B, 0x0C, 0x0C)
MUTED = RGBColor(0x48, 0x4F, 0x53)
ACCENT = RGBColor(0x1D, 0x4F, 0x91)
DRAFT = RGBColor(0x8A, 0x1F, 0x11)
HEADINGS = {1: 20, 2: 15, 3: 12.5, 4: 11.5, 5: 11, 6: 11}
Progress = Callable[[int], None]


def render_docx(report: Report, progress: Progress | None = None) -> bytes:
    step = progress or (lambda _n: None)
    document = Document()
    _page_setup(document, report)
    _styles(document)
    _language(document)
    writer = Writer(document)
    _cover(writer, report)
    for theme in report.sections:
        _theme(writer, theme)
        step(1)
    _properties(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), report)


def _page_setup(document, report: Report) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.footer_distance = Mm(10)
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{report.title} · {subject()}")
    numbers = section.footer.add_paragraph(style="Footer")
    numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # "Page N of M" in the document's language, the numbers as Word fields wherever they fall.
    fields = {"number": "PAGE", "total": "NUMPAGES"}
    for piece in re.split(r"(%\((?:number|total)\)s)", page_of()):
        if name := re.fullmatch(r"%\((\w+)\)s", piece):
            _field(numbers, fields[name.group(1)])
        elif piece:
            numbers.add_run(piece)


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple", {qn("w:instr"): f" {instruction} "})
    field.append(run("1"))
    paragraph._p.append(field)


def _styles(document) -> None:
    styles = document.styles
    _font(styles["Normal"], 11, INK)
    _font(styles["Title"], 26, INK, bold=True)
    _font(styles["Subtitle"], 13, ACCENT, bold=True)
    for level, size in HEADINGS.items():
        _font(styles[f"Heading {level}"], size, ACCENT if level == 1 else INK, bold=True)
    _font(styles["Quote"], 11, INK)
    _font(styles["Footer"], 8, MUTED)
    meta = styles.add_style("Note Meta", WD_STYLE_TYPE.CHARACTER)
    _font(meta, 9, MUTED)
    flag = styles.add_style("Draft Flag", WD_STYLE_TYPE.CHARACTER)
    _font(flag, 11, DRAFT, bold=True)


def _language(document) -> None:
    """The report's language for the whole document (British English or Welsh; python-docx's
    template says en-US), so that Word checks the spelling and a screen reader reads it with the
    right voice."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    language.set(qn("w:val"), language_tag())
    language.set(qn("w:eastAsia"), language_tag())


def _font(style, size: float, colour: RGBColor, bold: bool | None = None) -> None:
    font = style.font
    font.name, font.size, font.color.rgb = FONT, Pt(size), colour
    if bold is not None:
        font.bold = bold
    fonts = style.element.rPr.rFonts
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attribute), None)
    fonts.set(qn("w:cs"), FONT)


def _cover(writer: Writer, report: Report) -> None:
    writer.paragraph("Subtitle", [run(subject())])
    writer.paragraph("Title", [run(report.title)])
    if when := date_line(report):
        writer.paragraph(None, [run(when, bold=True)])
    writer.paragraph(None, [run(updated_line(report), style="NoteMeta")])
    if report.single_theme:
        for theme in report.folded:
            writer.paragraph(None, [run(folded_line(theme))])
    else:
        _contents(writer, report)
    writer.heading(1, [run(_("At a glance"))])
    _stats_table(writer.document, report)
    writer.paragraph(None, [])
    chart = writer.document.add_picture(io.BytesIO(chart_png(report)), width=Mm(160))
    _describe_picture(chart, chart_title(), chart_description(report))
    caption = _("Notes (solid bars) and votes (outlined bars) per theme, as in the table above.")
    writer.paragraph("Caption", [run(caption)])


def _contents(writer: Writer, report: Report) -> None:
    writer.heading(1, [run(_("Contents"))])
    for theme in report.themes:
        if theme.is_folded:
            runs = [run(folded_line(theme), style="NoteMeta")]
        else:
            runs = [run(theme.title), run(f" · {status_line(theme)}", style="NoteMeta")]
        writer.paragraph("ListNumber", runs)


def _stats_table(document, report: Report) -> None:
    rows = [(t.title, t.stats) for t in report.themes]
    if len(report.themes) > 1:
        rows.append((_("All themes"), report.totals))
    table = document.add_table(rows=len(rows) + 1, cols=4)
    table.style = document.styles["Light List Accent 1"]
    headers = (_("Theme"), _("Participants"), _("Notes"), _("Votes"))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0]._p.append(run(text, bold=True))
    for row, (title, stats) in zip(table.rows[1:], rows, strict=True):
        values = (title, number(stats.participants), number(stats.notes), number(stats.votes))
        for column, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.paragraphs[0]._p.append(run(text))
            if column:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in table.rows[0].cells[1:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header_row(table.rows[0])


def _describe_picture(shape, title: str, description: str) -> None:
    """Alternative text on a picture, in the drawing's properties (what Word shows as "Alt Text"
    and screen readers read) and in the picture's own, instead of "Picture 1"."""
    inline = shape._inline
    inline.docPr.set("name", title)
    inline.docPr.set("title", title)
    inline.docPr.set("descr", description)
    picture = inline.graphic.graphicData.pic.nvPicPr.cNvPr
    picture.set("name", title)
    picture.set("descr", description)


def _theme(writer: Writer, theme: ReportTheme) -> None:
    writer.heading(1, [run(theme.title)], page_break=True)
    if line := byline(theme):
        writer.paragraph(None, [run(line, bold=True)])
    if theme.prompt:
        label = _("The question:") + " "
        writer.paragraph("Quote", [run(label, bold=True), run(theme.prompt)])
    if theme.keywords:
        words = ", ".join(f"{term} ({count})" for term, count in theme.keywords)
        writer.paragraph(None, [run(_("Keywords:") + " ", bold=True), run(words)])
    _writeup(writer, theme)
    writer.heading(2, [run(_("Notes from the discussion"))])
    if not theme.notes:
        writer.paragraph(None, [run(_("No notes were posted."))])
    for cluster in theme.clusters:
        _cluster(writer, cluster)
    if theme.unclustered:
        title = _("Other notes") if theme.clusters else _("All notes")
        _cluster(writer, ReportCluster(None, title, theme.unclustered))


def _writeup(writer: Writer, theme: ReportTheme) -> None:
    writeup = theme.writeup
    if writeup.is_draft:
        notice = "  " + _("This write-up is not published yet.")
        flag = writer.paragraph(None, [run(_("DRAFT"), style="DraftFlag"), run(notice)])
        _boxed(flag, fill="FBECEB", line="8A1F11")
    if writeup.is_empty:
        writer.heading(2, [run(_("Write-up"))])
        writer.paragraph(None, [run(_("No write-up has been written yet."), italic=True)])
        return
    cited = {note.id for note in cited_notes(theme)}
    citations = md.Citations(lookup=cited.__contains__) if writeup.show_citations else None
    MarkdownToWord(writer, citations, heading_offset=1).write(writeup.markdown)
    if citations and citations.order:
        writer.heading(3, [run(_("Notes cited"))])
        num_id = writer.new_numbering()
        for note_id in citations.order:
            note = theme.notes_by_id[note_id]
            paragraph = writer.paragraph(
                "ListNumber", [run(note.text), run(f" — {note.meta}", style="NoteMeta")]
            )
            writer.numbered(paragraph, num_id)


def _boxed(paragraph, fill: str, line: str) -> None:
    """Shade a paragraph and draw a border round it (the DRAFT notice)."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        attributes = {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "4"}
        borders.append(OxmlElement(f"w:{side}", {**attributes, qn("w:color"): line}))
    properties.append(borders)
    properties.append(OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:fill"): fill}))


def _cluster(writer: Writer, cluster: ReportCluster) -> None:
    count = len(cluster.notes)
    counted = ngettext("%(num)d note", "%(num)d notes", count)
    writer.heading(3, [run(cluster.title), run(f"  ({counted})", style="NoteMeta")])
    for note in cluster.notes:
        writer.paragraph("ListBullet", [run(note.text), run(f" — {note.meta}", style="NoteMeta")])


def _properties(document, report: Report) -> None:
    properties = document.core_properties
    properties.title = report.title
    properties.subject = subject()
    properties.author = "Facilitate"
    properties.last_modified_by = "Facilitate"
    properties.comments = ""
    properties.keywords = ""
    properties.revision = 1
    moment = report.updated_at.replace(microsecond=0, tzinfo=None)
    properties.created = properties.modified = properties.last_printed = moment
    properties.language = language_tag()


def _fixed_zip(data: bytes, report: Report) -> bytes:
    """The same archive with every entry dated from the report, not from the clock."""
    moment = report.updated_at
    stamp = (*moment.timetuple()[:5], moment.second - moment.second % 2)  # zip keeps even seconds
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()
