"""The report as an A4 PDF (WeasyPrint), with bookmarks, page numbers and fixed metadata.

Each theme is laid out as its own part, in worker processes when the report is large (see
``pdf_parts``); then the cover is laid out with the page on which each theme starts, the parts are
joined, and "Page N of M" is stamped on every page but the first (see ``pdf_stamp``). Dates and the
file identifier come from the report's content, so the same report always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Callable
from functools import cache

from flask import render_template
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from .. import resource_dir
from .chart import chart_svg
from .html import stylesheet, template_context, theme_view
from .pdf_parts import render_parts
from .pdf_stamp import stamp_page_numbers
from .report import Report

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
    (_draft, cover_pages), *laid_out = render_parts(parts, base_url(), step)
    cover, cover_pages = _cover(report, cover_pages, [pages for _, pages in laid_out])
    data = _join(report, [cover, *(pdf for pdf, _ in laid_out)], cover_pages)
    step(2)
    return data


def _theme_part(report: Report, theme) -> str:
    footer = {"left": f"{report.event.title} · {theme.title}", "draft": ""}
    if theme.writeup.is_draft:
        footer["draft"] = "DRAFT"
    html = render_template(
        "exports/pdf_theme.html", css=_css(), view=theme_view(theme), footer=footer
    )
    return printable(html)


def _cover_html(report: Report, starts: dict[int, int] | None) -> str:
    html = render_template(
        "exports/pdf_cover.html",
        css=_css(),
        chart=chart_svg(report, font=FONT),
        pages=starts or {theme.id: 0 for theme in report.sections},
        **template_context(report),
    )
    return printable(html)


def _cover(report: Report, cover_pages: int, theme_pages: list[int]) -> tuple[bytes, int]:
    """Lay out the cover with the page on which each theme starts. The numbers sit in a column
    of fixed width, so they do not change how the cover breaks into pages."""
    for _attempt in range(3):
        starts, page = {}, cover_pages + 1
        for theme, pages in zip(report.sections, theme_pages, strict=True):
            starts[theme.id] = page
            page += pages
        ((data, count),) = render_parts([_cover_html(report, starts)], base_url())
        if count == cover_pages:
            break
        cover_pages = count
    return data, cover_pages


def _join(report: Report, documents: list[bytes], cover_pages: int) -> bytes:
    writer = PdfWriter()
    for document in documents:
        writer.append(PdfReader(io.BytesIO(document)), import_outline=True)
    stamp_page_numbers(writer, skip_first=1)
    _describe(writer, report, documents)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _pdf_date(report: Report) -> str:
    return report.updated_at.strftime("D:%Y%m%d%H%M%SZ")


def _describe(writer: PdfWriter, report: Report, documents: list[bytes]) -> None:
    """Title, language, dates and identifier: all from the report, nothing from the clock."""
    writer.add_metadata(
        {
            "/Title": f"{report.title}: feedback from discussions",
            "/Subject": "Feedback from discussions",
            "/Creator": "Facilitate",
            "/Producer": "Facilitate",
            "/CreationDate": _pdf_date(report),
            "/ModDate": _pdf_date(report),
        }
    )
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject("en-GB")
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    digest = hashlib.md5(usedforsecurity=False)
    for document in documents:
        digest.update(document)
    identifier = ByteStringObject(digest.digest())
    writer._ID = ArrayObject([identifier, identifier])
