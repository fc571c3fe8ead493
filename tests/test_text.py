"""Cleaning what people type: kept as written, minus what no one means to send."""

from __future__ import annotations

import pytest

from facilitate.services.text import clean_line, clean_text

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Be human\r\n\r\n\r\n\r\nnot corporate  ", "Be human\n\nnot corporate"),
        ("bell\x07 and\x00 nul\ufeff", "bell and nul"),
        ("Cafe\u0301", "Caf\u00e9"),
        (f"left open {RLO}at the end", f"left open {RLO}at the end{PDF}"),
        (f"closed {RLO}gnp.exe{PDF} here", f"closed {RLO}gnp.exe{PDF} here"),
        (f"a {RLI}b {RLO}c", f"a {RLI}b {RLO}c{PDF}{PDI}"),
        (f"one {RLO}line\nnext line", f"one {RLO}line{PDF}\nnext line"),
        (f"stray closer{PDF} stays", f"stray closer{PDF} stays"),
    ],
)
def test_notes_keep_what_people_see_and_lose_what_they_did_not_mean(typed, stored):
    assert clean_text(typed) == stored


def test_a_name_is_one_line_and_cannot_reverse_what_follows_it():
    assert clean_line(f"  {RLO}Rob\n the  reverser ") == f"{RLO}Rob{PDF} the reverser"
