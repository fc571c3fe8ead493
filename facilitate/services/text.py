"""Cleaning text that people type: kept as written, minus what no one means to send."""

from __future__ import annotations

import re
import unicodedata

#: Control characters other than tab and newline, and the byte-order mark.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Normalise a note: NFC, Unix newlines, no control characters, at most one blank line in a row,
    no surrounding white space. Everything a person can see is kept."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean_line(text: str) -> str:
    """Like ``clean_text`` for a one-line value such as a name or a heading."""
    return " ".join(clean_text(text).split())
