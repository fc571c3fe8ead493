"""Revealing and withholding: when a theme starts or stops hiding its vote counts or its notes from
phones and walls, every visible note takes a new sequence number inside the same transaction.

A page's ledger has already moved past the numbers of notes it was not shown (a silent note of
someone else, say), so a reveal must give them numbers the page has not reached: the publish step
then asks every page to ``sync`` (``resync``), and each page fetches the notes anew, as it may now
see them, once.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..database import record
from ..extensions import db
from ..models import Note, NoteStatus, Theme
from .changes import AudienceChange
from .notes import stamp


def restamp_visible_notes(theme: Theme) -> int:
    """Inside a write transaction, with the theme's row locked: a new number for every visible
    note, oldest first, and a record that pages should fetch them. Returns how many."""
    shown = list(
        db.session.scalars(
            select(Note).where(Note.theme_id == theme.id, Note.is_public).order_by(Note.seq)
        )
    )
    for note in shown:
        stamp(theme, note)
    record(AudienceChange(theme))
    return len(shown)


def written_count(theme_id: int) -> int:
    """How many notes the room has written that stand (not deleted, hidden or merged away): what
    the wall shows while everyone writes in silence."""
    return (
        db.session.scalar(
            select(func.count(Note.id)).where(
                Note.theme_id == theme_id,
                Note.deleted_at.is_(None),
                Note.merged_into_id.is_(None),
                Note.status != NoteStatus.HIDDEN,
            )
        )
        or 0
    )
