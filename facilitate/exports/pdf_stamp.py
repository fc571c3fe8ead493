""" "Page N of M" stamped onto the joined PDF, as pagination artifacts.

The parts of a large report are laid out side by side, so no part knows its page numbers while it
is laid out; the rest of each footer (the event and theme, DRAFT) is laid out with the part. The
numbers are then written onto every page but the cover's first, in the report's own typeface: a
tiny WeasyPrint document supplies the embedded glyphs ("Page of" and the digits), and each page
gets one more content stream that draws them, marked as a pagination artifact so that assistive
technology skips it. No page is laid out again.
"""

from __future__ import annotations

import io
from functools import cache

import pikepdf
from pikepdf import Dictionary, Name

from .. import resource_dir

SIZE = 8.0
MM = 72 / 25.4
#: The right edge of the text column (A4, 20 mm margin) and the footer's baseline.
RIGHT = 595.2756 - 20 * MM
BASELINE = 15.3 * MM
GLYPHS = "Page 0123456789 of"
FONT_NAME = Name("/FPageNumber")
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC "


@cache
def _metrics() -> tuple[dict[str, int], dict[str, float]]:
    """Glyph id and advance (in em) of each character of ``GLYPHS``, from the typeface itself."""
    from fontTools.ttLib import TTFont

    font = TTFont(resource_dir("static") / "fonts" / "DejaVuSans.ttf")
    cmap, units = font.getBestCmap(), font["head"].unitsPerEm
    ids = {char: font.getGlyphID(cmap[ord(char)]) for char in set(GLYPHS)}
    widths = {char: font["hmtx"][cmap[ord(char)]][0] / units for char in set(GLYPHS)}
    return ids, widths


@cache
def _glyph_source() -> bytes:
    """A one-line PDF whose embedded font holds the glyphs of ``GLYPHS`` (ids kept as in the
    typeface, so that they can be written directly)."""
    from .pdf import base_url
    from .pdf_worker import render_part

    html = (
        "<style>@font-face { font-family: S; src: url('../fonts/DejaVuSans.ttf'); }"
        f"p {{ font-family: S; font-size: {SIZE}pt; }}</style><p>{GLYPHS}</p>"
    )
    return render_part(html, base_url(), tagged=False)[0]


def _text(words: str) -> tuple[bytes, float]:
    ids, widths = _metrics()
    hexed = "".join(f"{ids[char]:04x}" for char in words)
    return f"<{hexed}>".encode(), sum(widths[char] for char in words) * SIZE


def _font(pdf: pikepdf.Pdf):
    with pikepdf.open(io.BytesIO(_glyph_source())) as source:
        fonts = source.pages[0].Resources.Font
        return pdf.copy_foreign(next(iter(fonts.values())))


def stamp_page_numbers(pdf: pikepdf.Pdf, skip_first: int = 1) -> None:
    """Write "Page N of M" at the bottom right of every page after the first ``skip_first``."""
    font = _font(pdf)
    total = len(pdf.pages)
    opening = pdf.make_stream(b"q\n")
    for number, page in enumerate(pdf.pages, start=1):
        if number <= skip_first:
            continue
        glyphs, width = _text(f"Page {number} of {total}")
        drawing = (
            b"Q\n"
            + ARTIFACT
            + b"q 0.043 0.047 0.047 rg BT "
            + FONT_NAME.unparse()
            + f" {SIZE:g} Tf 1 0 0 1 {RIGHT - width:.2f} {BASELINE:.2f} Tm ".encode()
            + glyphs
            + b" Tj ET Q EMC\n"
        )
        page.contents_add(opening, prepend=True)
        page.contents_add(pdf.make_stream(drawing), prepend=False)
        resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = Dictionary()
        resources.Font[FONT_NAME] = font
