"""Cleaning text that people type: kept as written, minus what no one means to send."""

from __future__ import annotations

import re
import unicodedata

#: Control characters other than tab and newline, and the byte-order mark.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")
#: Bidirectional embeddings and overrides (closed by U+202C) and isolates (closed by U+2069).
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_CLOSE_EMBEDDING, _CLOSE_ISOLATE = "\u202c", "\u2069"


def clean_text(text: str) -> str:
    """Normalise a note: NFC, Unix newlines, no control characters, at most one blank line in a row,
    no surrounding white space, no direction override left open. Everything a person can see is
    kept."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLANK_LINES.sub("\n\n", _CONTROL.sub("", text)).strip()
    return "\n".join(close_bidi(line) for line in text.split("\n"))


def close_bidi(line: str) -> str:
    """Close every right-to-left override, embedding or isolate the line opens, so that wherever
    the text is shown (a page, a report) it cannot reverse the words that follow it."""
    stack: list[str] = []
    for char in line:
        if char in _EMBEDDINGS:
            stack.append(_CLOSE_EMBEDDING)
        elif char in _ISOLATES:
            stack.append(_CLOSE_ISOLATE)
        elif char == _CLOSE_EMBEDDING and stack and stack[-1] == _CLOSE_EMBEDDING:
            stack.pop()
        elif char == _CLOSE_ISOLATE and _CLOSE_ISOLATE in stack:
            # An isolate's end also ends every embedding opened inside it.
            while stack.pop() != _CLOSE_ISOLATE:
                pass
    return line + "".join(reversed(stack))


def clean_line(text: str) -> str:
    """Like ``clean_text`` for a one-line value such as a name or a heading."""
    return " ".join(clean_text(text).split())


#: Opening quotation marks and the closing marks that pair with them.
_QUOTE_PAIRS = {
    '"': '"',
    "'": "'",
    "\u201c": "\u201d",  # “ ”
    "\u2018": "\u2019",  # ‘ ’  # noqa: RUF003
    "\u00ab": "\u00bb",  # « »
    "\u201e": "\u201c",  # „ “
    "\u201d": "\u201d",  # ” ”
}


def without_outer_quotes(text: str) -> str:
    """A quote as its words alone, when the person typed it inside quotation marks: the draft
    and the report put their own marks around it, which would otherwise double them."""
    text = text.strip()
    if len(text) < 3 or _QUOTE_PAIRS.get(text[0]) != text[-1]:
        return text
    inner = text[1:-1].strip()
    # '"Yes" and "no"' is two quotations, not one: leave it as typed.
    if not inner or text[0] in inner or text[-1] in inner:
        return text
    return inner
