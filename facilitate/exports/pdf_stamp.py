""" "Page N of M" stamped onto the joined PDF.

The parts of a large report are laid out side by side, so no part knows its page numbers while it
is laid out; the rest of each footer (the event and theme, DRAFT) is laid out with the part. The
numbers are then written onto every page but the cover's first, in the report's own typeface: a
tiny WeasyPrint document supplies the embedded glyphs ("Page of" and the digits), and each page
gets one more content stream that draws them. No page is laid out again.
"""

from __future__ import annotations

import io
from functools import cache

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from .. import resource_dir

SIZE = 8.0
MM = 72 / 25.4
#: The right edge of the text column (A4, 20 mm margin) and the footer's baseline.
RIGHT = 595.2756 - 20 * MM
BASELINE = 15.3 * MM
GLYPHS = "Page 0123456789 of"
FONT_NAME = NameObject("/FPageNumber")


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
    return render_part(html, base_url())[0]


def _text(words: str) -> tuple[bytes, float]:
    ids, widths = _metrics()
    hexed = "".join(f"{ids[char]:04x}" for char in words)
    return f"<{hexed}>".encode(), sum(widths[char] for char in words) * SIZE


def stamp_page_numbers(writer: PdfWriter, skip_first: int = 1) -> None:
    """Write "Page N of M" at the bottom right of every page after the first ``skip_first``."""
    source = PdfReader(io.BytesIO(_glyph_source())).pages[0]["/Resources"]["/Font"]
    font = next(iter(source.values())).get_object().clone(writer).indirect_reference
    total = len(writer.pages)
    opening = writer._add_object(_stream(b"q\n"))
    for number, page in enumerate(writer.pages, start=1):
        if number <= skip_first:
            continue
        glyphs, width = _text(f"Page {number} of {total}")
        drawing = (
            b"Q\nq 0.043 0.047 0.047 rg BT "
            + FONT_NAME.encode()
            + f" {SIZE:g} Tf 1 0 0 1 {RIGHT - width:.2f} {BASELINE:.2f} Tm ".encode()
            + glyphs
            + b" Tj ET Q\n"
        )
        contents = page.raw_get("/Contents")  # the reference: a content stream must stay indirect
        resolved = contents.get_object()
        existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [opening, *existing, writer._add_object(_stream(drawing))]
        )
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[FONT_NAME] = font


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
