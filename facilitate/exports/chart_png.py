"""The notes-and-votes chart as a PNG for Word, drawn with Pillow (which WeasyPrint already
needs) in the report's own typeface. The same figures are in the table beside it."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

from .. import resource_dir
from .report import Report
from .report_data import notes, votes

SCALE = 2  # drawn at twice the size Word shows it, so that it prints sharply
INK = (11, 12, 12)
ACCENT = (29, 79, 145)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(resource_dir("static") / "fonts" / "DejaVuSans.ttf"), size)


def chart_png(report: Report) -> bytes:
    s = SCALE
    width, label_width, row, bar, top = 640 * s, 200 * s, 46 * s, 15 * s, 34 * s
    height = top + row * max(1, len(report.themes)) + 8 * s
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(13 * s)
    peak = max([1] + [max(t.stats.notes, t.stats.votes) for t in report.themes])
    span = width - label_width - 90 * s
    _legend(draw, font, label_width, s)
    for index, theme in enumerate(report.themes):
        y = top + index * row
        title = theme.title if len(theme.title) <= 26 else theme.title[:25].rstrip() + "…"
        draw.text((label_width - 10 * s, y + bar), title, font=font, fill=INK, anchor="rm")
        for offset, value, solid in (
            (0, theme.stats.notes, True),
            (bar + 3 * s, theme.stats.votes, False),
        ):
            length = max(2, span * value / peak) if value else 0
            if length:
                box = (label_width, y + offset, label_width + length, y + offset + bar)
                draw.rectangle(box, fill=ACCENT if solid else "white", outline=ACCENT, width=2 * s)
            label = notes(value) if solid else votes(value)
            draw.text(
                (label_width + length + 6 * s, y + offset + bar // 2),
                label,
                font=font,
                fill=INK,
                anchor="lm",
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _legend(draw: ImageDraw.ImageDraw, font, left: int, s: int) -> None:
    draw.rectangle((left, 6 * s, left + 14 * s, 20 * s), fill=ACCENT, outline=ACCENT, width=2 * s)
    draw.text((left + 20 * s, 13 * s), _("Notes"), font=font, fill=INK, anchor="lm")
    draw.rectangle(
        (left + 90 * s, 6 * s, left + 104 * s, 20 * s), fill="white", outline=ACCENT, width=2 * s
    )
    draw.text((left + 110 * s, 13 * s), _("Votes"), font=font, fill=INK, anchor="lm")
