"""Participants: anonymous per event, recognised again by the token their phone keeps."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import Event, Participant
from . import codes
from .errors import require
from .text import clean_line


def clean_name(name: str | None) -> str | None:
    """A display name as it will be shown, or ``None`` for anonymous."""
    name = clean_line(name or "")
    limit = current_app.config["NAME_MAX_LENGTH"]
    require(
        len(name) <= limit,
        "too_long",
        _l("A name can be up to %(limit)s characters.", limit=limit),
        field="name",
    )
    return name or None


def cookie_name(event_id: int) -> str:
    """The cookie in which the phone's plain form (no JavaScript) keeps its token for the event:
    one per event, so the phone is the same participant in every theme of it."""
    return f"facilitate_p{event_id}"


def find(event_id: int, token: str | None) -> Participant | None:
    if not isinstance(token, str) or not 16 <= len(token) <= 128:
        return None
    participant = db.session.scalar(
        select(Participant).where(Participant.token_hash == codes.token_hash(token))
    )
    return participant if participant and participant.event_id == event_id else None


def join(event: Event, token: str | None, name: str | None = None) -> tuple[Participant, str]:
    """The participant a phone's token names in this event, or a new one with a new token.

    A name given here replaces the one remembered; an empty one keeps it.
    """
    name = clean_name(name)
    event_id = event.id  # read now: the write below expires what the session holds
    participant = find(event_id, token)
    if participant is not None:
        if name and name != participant.name:
            with write_transaction():
                participant.name = name
        return participant, token
    token = codes.new_participant_token()
    with write_transaction():
        participant = Participant(event_id=event_id, token_hash=codes.token_hash(token), name=name)
        db.session.add(participant)
    return participant, token


#: The one sentence for a missing name, whether it is found on posting or on saving the name.
NAME_NEEDED = _l("Add your name before you post: this discussion asks for names.")


def rename(
    participant: Participant, name: str | None, *, names_required: bool = False
) -> Participant:
    """Set or clear the display name shown on the participant's notes; a theme that asks for
    names refuses to clear it."""
    name = clean_name(name)
    require(bool(name) or not names_required, "name_required", NAME_NEEDED)
    with write_transaction():
        participant.name = name
    return participant
