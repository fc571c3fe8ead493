"""The report as an A4 PDF/UA-1 (WeasyPrint), tagged, with bookmarks, page numbers and metadata.

Each theme is laid out as its own tagged part, in worker processes when the report is large (see
``pdf_parts`` and ``pdf_tagged``); then the cover is laid out with the page on which each theme
starts, the parts are joined into one structure tree (``pdf_join``), and "Page N of M" is stamped
on every page but the first as a pagination artifact (``pdf_stamp``). Dates and the file
identifier come from the report's content, so the same report always gives the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from xml.sax.saxutils import escape as xml_escape

import pikepdf
from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape
from pikepdf import Dictionary, Name, String

from .. import resource_dir
from ..i18n import language_tag
from .chart import chart_svg
from .html import headings_in_order, stylesheet, template_context, theme_view
from .pdf_join import join_parts
from .pdf_parts import render_parts
from .pdf_stamp import stamp_page_numbers
from .report import Report
from .text import chart_description, document_title, page_of, subject

FONT = "Report Sans, DejaVu Sans, sans-serif"
Progress = Callable[[int], None]


def base_url() -> str:
    return (resource_dir("static") / "css").as_uri() + "/"


def _css() -> Markup:
    return Markup(stylesheet("report.css") + "\n" + stylesheet("report-pdf.css"))  # noqa: S704


#: Symbols, modifiers and format characters: what phones put in notes beyond letters.
_SYMBOLISH = {"So", "Sm", "Sk", "Sc", "Mn", "Cf"}
_SILENT = {"\u200d", "\ufe0e", "\ufe0f", *(chr(c) for c in range(0x1F3FB, 0x1F400))}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(resource_dir("static") / "fonts" / "DejaVuSans.ttf").getBestCmap())


@cache
def _printable_char(char: str) -> str:
    if char in _SILENT:
        return ""
    if ord(char) in _covered() or unicodedata.category(char) not in _SYMBOLISH:
        return char
    return f"[{unicodedata.name(char, 'symbol').lower()}]"


def printable(text: str) -> str:
    """``text`` with each symbol the typeface lacks (an emoji, say) written as its name in
    brackets, so that the PDF shows and finds "[thumbs up sign]" instead of an empty box.
    Letters of other scripts are left to the fonts of the machine."""
    return _NON_ASCII.sub(lambda m: "".join(_printable_char(c) for c in m.group()), text)


def render_pdf(report: Report, progress: Progress | None = None) -> bytes:
    step = progress or (lambda _n: None)
    # The cover is laid out once beside the themes, only to learn how many pages it takes.
    parts = [_cover_html(report, None), *(_theme_part(report, t) for t in report.sections)]
    words = link_words()
    (_draft, cover_pages), *laid_out = render_parts(parts, base_url(), step, words)
    cover, cover_pages = _cover(report, cover_pages, [pages for _pdf, pages in laid_out], words)
    data = _join(report, [cover, *(pdf for pdf, _pages in laid_out)], cover_pages)
    step(2)
    return data


def _theme_part(report: Report, theme) -> str:
    footer = {"left": f"{report.event.title} · {theme.title}", "draft": ""}
    if theme.writeup.is_draft:
        footer["draft"] = _("DRAFT")
    html = render_template(
        "exports/pdf_theme.html", css=_css(), view=theme_view(theme), footer=footer
    )
    return printable(headings_in_order(html, after=1))


def _cover_html(report: Report, starts: dict[int, int] | None) -> str:
    html = render_template(
        "exports/pdf_cover.html",
        css=_css(),
        chart=_chart(report),
        pages=starts or {theme.id: 0 for theme in report.sections},
        **template_context(report),
    )
    return printable(headings_in_order(html))


_CHART_TITLE = re.compile(r'<title id="chart-title">[^<]*</title>')


def _chart(report: Report) -> Markup:
    """The chart, its title (the figure's alternative text in the tagged PDF) giving its numbers:
    a reader who cannot see the bars hears what they show."""
    title = escape(chart_description(report))
    svg = _CHART_TITLE.sub(
        lambda _m: f'<title id="chart-title">{title}</title>', chart_svg(report, font=FONT)
    )
    return Markup(svg)  # noqa: S704  (the chart escapes its own text, and the title is escaped)


def link_words() -> dict[str, str]:
    """What the tagged PDF says of a link to assistive technology, in the report's language: the
    workers that lay the parts out fill these in (see ``pdf_tagged``)."""
    return {
        "opens": _("%(text)s (opens %(target)s)"),
        "open": _("Opens %(target)s"),
        "cited": _("Cited note %(number)s, listed below the write-up"),
        "elsewhere": _("%(text)s, elsewhere in this report"),
        "somewhere": _("A place elsewhere in this report"),
    }


def _cover(
    report: Report, cover_pages: int, theme_pages: list[int], words: dict[str, str]
) -> tuple[bytes, int]:
    """Lay out the cover with the page on which each theme starts. The numbers sit in a column
    of fixed width, so they do not change how the cover breaks into pages."""
    for _attempt in range(3):
        starts, page = {}, cover_pages + 1
        for theme, pages in zip(report.sections, theme_pages, strict=True):
            starts[theme.id] = page
            page += pages
        ((data, count),) = render_parts([_cover_html(report, starts)], base_url(), words=words)
        if count == cover_pages:
            break
        cover_pages = count
    return data, cover_pages


def _join(report: Report, documents: list[bytes], cover_pages: int) -> bytes:
    pdf = join_parts(documents)
    stamp_page_numbers(pdf, skip_first=1, words=page_of())
    _describe(pdf, document_title(report), report.updated_at)
    output = io.BytesIO()
    # The file identifier is a digest of the content: the same report gives the same bytes.
    pdf.save(
        output,
        min_version="1.7",
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    pdf.close()
    return output.getvalue()


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>Facilitate</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdf:Producer>Facilitate</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _describe(pdf: pikepdf.Pdf, title: str, updated_at) -> None:
    """Info dictionary and XMP metadata saying the same things, and the catalog entries PDF/UA
    asks for: the language, the title shown in the window, bookmarks open. All from the report,
    nothing from the clock."""
    what = subject()
    lang = language_tag()
    pdf_date = updated_at.strftime("D:%Y%m%d%H%M%SZ")
    pdf.docinfo = pdf.make_indirect(
        Dictionary(
            Title=String(title),
            Subject=String(what),
            Creator=String("Facilitate"),
            Producer=String("Facilitate"),
            CreationDate=String(pdf_date),
            ModDate=String(pdf_date),
        )
    )
    xmp = XMP.format(
        title=xml_escape(title),
        subject=xml_escape(what),
        lang=lang,
        date=updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    metadata = pdf.make_stream(xmp.encode())
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    root = pdf.Root
    root.Metadata = metadata
    root.Lang = String(lang)
    root.PageMode = Name.UseOutlines
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
