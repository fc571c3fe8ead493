""" "Page N of M" stamped onto the joined PDF, as pagination artifacts, in the report's language.

The parts of a large report are laid out side by side, so no part knows its page numbers while it
is laid out; the rest of each footer (the event and theme, DRAFT) is laid out with the part. The
numbers are then written onto every page but the cover's first, in the report's own typeface: a
tiny WeasyPrint document supplies the embedded glyphs (the words' letters and the digits), and
each page gets one more content stream that draws them, marked as a pagination artifact so that
assistive technology skips it. No page is laid out again.
"""

from __future__ import annotations

import io
from functools import cache
from html import escape

import pikepdf
from pikepdf import Dictionary, Name

from .. import resource_dir

SIZE = 8.0
MM = 72 / 25.4
#: The right edge of the text column (A4, 20 mm margin) and the footer's baseline.
RIGHT = 595.2756 - 20 * MM
BASELINE = 15.3 * MM
GLYPHS = "Page 0123456789 of"
#: The words around the numbers, in English; the app hands in those of the report's language.
PAGE_OF = "Page %(number)s of %(total)s"
FONT_NAME = Name("/FPageNumber")
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC "


def _glyphs(words: str) -> str:
    """The characters ``words`` needs with any numbers: ``GLYPHS``, then any others it uses."""
    used = words % {"number": "", "total": ""}
    return GLYPHS + "".join(sorted(set(used) - set(GLYPHS)))


@cache
def _metrics(glyphs: str = GLYPHS) -> tuple[dict[str, int], dict[str, float]]:
    """Glyph id and advance (in em) of each character of ``glyphs``, from the typeface itself."""
    from fontTools.ttLib import TTFont

    font = TTFont(resource_dir("static") / "fonts" / "DejaVuSans.ttf")
    cmap, units = font.getBestCmap(), font["head"].unitsPerEm
    ids = {char: font.getGlyphID(cmap[ord(char)]) for char in set(glyphs)}
    widths = {char: font["hmtx"][cmap[ord(char)]][0] / units for char in set(glyphs)}
    return ids, widths


@cache
def _glyph_source(glyphs: str = GLYPHS) -> bytes:
    """A one-line PDF whose embedded font holds the glyphs of ``glyphs`` (ids kept as in the
    typeface, so that they can be written directly)."""
    from .pdf import base_url
    from .pdf_worker import render_part

    html = (
        "<style>@font-face { font-family: S; src: url('../fonts/DejaVuSans.ttf'); }"
        f"p {{ font-family: S; font-size: {SIZE}pt; }}</style><p>{escape(glyphs)}</p>"
    )
    return render_part(html, base_url(), tagged=False)[0]


def _text(words: str, glyphs: str = GLYPHS) -> tuple[bytes, float]:
    ids, widths = _metrics(glyphs)
    hexed = "".join(f"{ids[char]:04x}" for char in words)
    return f"<{hexed}>".encode(), sum(widths[char] for char in words) * SIZE


def _font(pdf: pikepdf.Pdf, glyphs: str = GLYPHS):
    with pikepdf.open(io.BytesIO(_glyph_source(glyphs))) as source:
        fonts = source.pages[0].Resources.Font
        return pdf.copy_foreign(next(iter(fonts.values())))


def stamp_page_numbers(pdf: pikepdf.Pdf, skip_first: int = 1, words: str = PAGE_OF) -> None:
    """Write "Page N of M" (``words``, with ``%(number)s`` and ``%(total)s``) at the bottom right
    of every page after the first ``skip_first``."""
    glyphs = _glyphs(words)
    font = _font(pdf, glyphs)
    total = len(pdf.pages)
    opening = pdf.make_stream(b"q\n")
    for number, page in enumerate(pdf.pages, start=1):
        if number <= skip_first:
            continue
        drawn, width = _text(words % {"number": number, "total": total}, glyphs)
        drawing = (
            b"Q\n"
            + ARTIFACT
            + b"q 0.043 0.047 0.047 rg BT "
            + FONT_NAME.unparse()
            + f" {SIZE:g} Tf 1 0 0 1 {RIGHT - width:.2f} {BASELINE:.2f} Tm ".encode()
            + drawn
            + b" Tj ET Q EMC\n"
        )
        page.contents_add(opening, prepend=True)
        page.contents_add(pdf.make_stream(drawing), prepend=False)
        resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = Dictionary()
        resources.Font[FONT_NAME] = font
