"""Events from phones: post, edit, delete, vote, sync, and say one's name."""

from __future__ import annotations

from ..models import Participant
from ..payloads import audience, note_payload
from ..services import live, notes, participants, votes
from . import lifecycle  # noqa: F401  (lifecycle registers connect and disconnect)
from .connections import PARTICIPANT, Connection
from .handlers import live_event, ok


def _mine(note, participant: Participant, voted: bool = False) -> dict:
    """The note as its sender may see it: counts and others' notes withheld as the theme says."""
    return note_payload(
        note, mine=note.participant_id == participant.id, voted=voted, **audience(note.theme)
    )


@live_event("note:add", PARTICIPANT)
def on_note_add(connection: Connection, payload: dict) -> dict:
    participant = live.participant_of(connection.participant_id)
    note, _created = notes.post_note(
        live.theme_of(connection.theme_id),
        participant,
        payload.get("client_id"),
        payload.get("text"),
        payload.get("kind"),
    )
    return ok(note=_mine(note, participant))


@live_event("note:edit", PARTICIPANT)
def on_note_edit(connection: Connection, payload: dict) -> dict:
    participant = live.participant_of(connection.participant_id)
    change = notes.edit_note(payload.get("note_id"), participant, payload.get("text"))
    return ok(note=_mine(change.note, participant))


@live_event("note:delete", PARTICIPANT)
def on_note_delete(connection: Connection, payload: dict) -> dict:
    notes.delete_note(payload.get("note_id"), live.participant_of(connection.participant_id))
    return ok()


@live_event("vote:toggle", PARTICIPANT)
def on_vote_toggle(connection: Connection, payload: dict) -> dict:
    participant = live.participant_of(connection.participant_id)
    change, voted = votes.toggle_vote(payload.get("note_id"), participant)
    left = live.votes_left(live.theme_of(connection.theme_id), participant)
    return ok(note=_mine(change.note, participant, voted), voted=voted, votes_left=left)


@live_event("profile:update", PARTICIPANT)
def on_profile_update(connection: Connection, payload: dict) -> dict:
    """Set or clear the name shown on one's notes (from now on)."""
    participant = participants.rename(
        live.participant_of(connection.participant_id),
        payload.get("name"),
        names_required=live.theme_of(connection.theme_id).names_required,
    )
    return ok(participant={"id": participant.id, "name": participant.name})
