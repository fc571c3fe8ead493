"""Votes: a participant's vote for someone else's note, and what they have left to give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..database import write_transaction
from ..extensions import db
from ..models import Participant, Theme, Vote
from .changes import NoteChange, note_changed
from .errors import require
from .notes import get_note, lock_theme, require_open, stamp


def toggle_vote(note_id: object, participant: Participant) -> tuple[NoteChange, bool]:
    """Vote for a note, or take the vote back. Returns the change and whether the vote now stands."""
    note = get_note(note_id)
    require(note.is_public, "not_found", _l("That note is no longer here."))
    require(
        note.participant_id == participant.id or not note.theme.notes_private,
        "not_found",
        _l("That note is no longer here."),
    )
    require(
        note.participant_id != participant.id, "invalid", _l("You cannot vote for your own note.")
    )
    with write_transaction():
        theme = lock_theme(note.theme_id)
        require_open(theme)
        require(
            theme.event_id == participant.event_id,
            "forbidden",
            _l("You are not part of this discussion."),
        )
        vote = db.session.scalar(
            select(Vote).where(Vote.note_id == note.id, Vote.participant_id == participant.id)
        )
        if vote is not None:
            db.session.delete(vote)
            note.votes -= 1
        else:
            used = votes_used(theme, participant)
            require(
                used < theme.votes_per_participant,
                "no_votes_left",
                _l(
                    "You have used all %(count)s of your votes. Take one back to vote again.",
                    count=theme.votes_per_participant,
                ),
            )
            db.session.add(Vote(note_id=note.id, participant_id=participant.id, theme_id=theme.id))
            note.votes += 1
        stamp(theme, note)
        change = note_changed(NoteChange(note, True, votes_only=True))
    return change, vote is None


def votes_used(theme: Theme, participant: Participant) -> int:
    return (
        db.session.scalar(
            select(func.count(Vote.id)).where(
                Vote.theme_id == theme.id, Vote.participant_id == participant.id
            )
        )
        or 0
    )


def voted_note_ids(theme_id: int, participant_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Vote.note_id).where(
                Vote.theme_id == theme_id, Vote.participant_id == participant_id
            )
        )
    )
