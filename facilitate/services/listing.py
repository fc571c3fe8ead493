"""A theme's notes as each audience sees them: participants and walls, an author, facilitators,
and everyone catching up after a gap."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Note, NoteStatus


def changes_since(theme_id: int, since: int) -> list[Note]:
    """Every note of the theme changed after sequence number ``since``, oldest change first."""
    return list(
        db.session.scalars(
            select(Note).where(Note.theme_id == theme_id, Note.seq > since).order_by(Note.seq)
        )
    )


def public_notes(theme_id: int) -> list[Note]:
    """The notes participants and the wall see, oldest first."""
    return list(
        db.session.scalars(
            select(Note).where(Note.theme_id == theme_id, Note.is_public).order_by(Note.id)
        )
    )


def own_waiting_notes(theme_id: int, participant_id: int) -> list[Note]:
    """A participant's own notes that wait for approval (only the author sees them)."""
    return list(
        db.session.scalars(
            select(Note)
            .where(
                Note.theme_id == theme_id,
                Note.participant_id == participant_id,
                Note.status == NoteStatus.PENDING,
                Note.deleted_at.is_(None),
            )
            .order_by(Note.id)
        )
    )


def staff_notes(theme_id: int) -> list[Note]:
    """Every note that is not deleted: what facilitators work with."""
    return list(
        db.session.scalars(
            select(Note)
            .where(Note.theme_id == theme_id, Note.deleted_at.is_(None))
            .order_by(Note.id)
        )
    )


def own_notes(theme_id: int, participant_id: int) -> list[Note]:
    """A participant's own notes that are not deleted, hidden or merged away: all they see while
    the room writes in silence."""
    return list(
        db.session.scalars(
            select(Note)
            .where(
                Note.theme_id == theme_id,
                Note.participant_id == participant_id,
                Note.status != NoteStatus.HIDDEN,
                Note.deleted_at.is_(None),
                Note.merged_into_id.is_(None),
            )
            .order_by(Note.id)
        )
    )
