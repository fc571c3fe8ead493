"""What pages and the database hold, for tests that compare them once the network settles."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note, NoteStatus


def visible_texts(server, theme_id: int) -> Counter:
    """The texts of the theme's visible notes as stored, each as often as it is stored."""
    with server.app_context():
        notes = db.session.scalars(
            select(Note).where(Note.theme_id == theme_id, Note.status == NoteStatus.VISIBLE)
        )
        return Counter(note.text for note in notes)


def settle(read: Callable[[], list[str]], expected: Counter, timeout: float) -> Counter:
    """Read a page's notes until they equal ``expected`` or ``timeout`` passes: the last reading."""
    deadline = time.monotonic() + timeout
    while True:
        seen = Counter(read())
        if seen == expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.25)
