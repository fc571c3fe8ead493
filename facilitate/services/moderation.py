"""Moderation: a facilitator's actions on a theme's notes (approve, hide, show, pin), and merging
duplicates into one note and back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..database import write_transaction
from ..extensions import db
from ..models import Note, NoteStatus, Theme, Vote
from .changes import NoteChange, note_changed
from .errors import require
from .notes import get_note, lock_theme, stamp

MODERATION_ACTIONS = ("approve", "hide", "show", "pin", "unpin")


def moderate_note(note_id: object, theme: Theme, action: object) -> NoteChange:
    """A facilitator's action on a note: approve, hide, show, pin or unpin."""
    require(
        action in MODERATION_ACTIONS, "invalid", _l("Choose approve, hide, show, pin or unpin.")
    )
    note = get_note(note_id, theme.id)
    with write_transaction():
        locked = lock_theme(theme.id)
        was_public = note.is_public
        before = (note.status, note.pinned)
        if action in ("approve", "show"):
            note.status = NoteStatus.VISIBLE
        elif action == "hide":
            note.status = NoteStatus.HIDDEN
        else:
            note.pinned = action == "pin"
        if (note.status, note.pinned) != before:
            stamp(locked, note)
            note_changed(NoteChange(note, was_public))
    return NoteChange(note, was_public)


def merge_note(note_id: object, into_id: object, theme: Theme) -> list[NoteChange]:
    """Merge a duplicate into another note: the kept note counts the people behind both, the
    duplicate leaves the wall, and nothing is deleted (``unmerge_note`` undoes it)."""
    duplicate = get_note(note_id, theme.id)
    kept = get_note(into_id, theme.id)
    while kept.merged_into_id is not None:
        kept = get_note(kept.merged_into_id, theme.id)
    require(kept.id != duplicate.id, "invalid", _l("A note cannot be merged into itself."))
    with write_transaction():
        locked = lock_theme(theme.id)
        changes = [NoteChange(duplicate, duplicate.is_public), NoteChange(kept, kept.is_public)]
        # Notes already merged into the duplicate now count towards the kept note directly.
        for earlier in db.session.scalars(select(Note).where(Note.merged_into_id == duplicate.id)):
            earlier.merged_into_id = kept.id
        duplicate.merged_into_id = kept.id
        kept.people += duplicate.people
        _move_votes(duplicate, kept)
        stamp(locked, duplicate)
        stamp(locked, kept)
        for change in changes:
            note_changed(change)
    return changes


def _move_votes(source: Note, target: Note) -> None:
    """Votes on a duplicate count for the kept note; a person who voted for both keeps one."""
    voters_of_target = select(Vote.participant_id).where(Vote.note_id == target.id)
    db.session.execute(
        delete(Vote).where(Vote.note_id == source.id, Vote.participant_id.in_(voters_of_target))
    )
    db.session.execute(update(Vote).where(Vote.note_id == source.id).values(note_id=target.id))
    target.votes = db.session.scalar(select(func.count(Vote.id)).where(Vote.note_id == target.id))
    source.votes = 0


def unmerge_note(note_id: object, theme: Theme) -> list[NoteChange]:
    """Let a merged duplicate stand on its own again (its votes stay with the kept note)."""
    duplicate = get_note(note_id, theme.id)
    require(
        duplicate.merged_into_id is not None, "invalid", _l("That note is not merged into another.")
    )
    kept = get_note(duplicate.merged_into_id, theme.id)
    with write_transaction():
        locked = lock_theme(theme.id)
        changes = [NoteChange(duplicate, duplicate.is_public), NoteChange(kept, kept.is_public)]
        duplicate.merged_into_id = None
        kept.people = max(1, kept.people - duplicate.people)
        duplicate.people = 1
        stamp(locked, duplicate)
        stamp(locked, kept)
        for change in changes:
            note_changed(change)
    return changes
