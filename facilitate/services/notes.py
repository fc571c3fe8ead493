"""Notes: posting, editing and deleting them (participants); ``listing`` reads them.

Every change to a note runs in one write transaction that locks the theme row and gives the note
the theme's next sequence number, so commit order equals sequence order and ``sync`` never misses a
change. A service records a ``NoteChange`` for every note it changed (see services.changes); the
room hears of them after the commit.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..database import write_transaction
from ..extensions import db
from ..models import Note, NoteKind, NoteStatus, Participant, Phase, Theme, Vote, utcnow
from .changes import NoteChange, note_changed
from .errors import ServiceError, require
from .participants import NAME_NEEDED
from .text import clean_text

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def lock_theme(theme_id: int) -> Theme:
    """Inside a write transaction: the theme's current row, locked until the commit."""
    theme = db.session.scalars(
        select(Theme)
        .where(Theme.id == theme_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    require(theme is not None, "not_found", _l("This discussion no longer exists."))
    return theme


def stamp(theme: Theme, note: Note) -> None:
    """Give a changed note the theme's next sequence number."""
    theme.seq += 1
    note.seq = theme.seq
    note.updated_at = utcnow()


def require_open(theme: Theme) -> None:
    if theme.phase is Phase.DRAFT:
        raise ServiceError("theme_closed", _("This discussion has not started yet."))
    require(theme.phase is Phase.OPEN, "theme_closed", _l("This discussion is closed."))


def _in_timer_grace(theme, now) -> bool:
    """Whether a new note may still be stored although the timer has just closed the theme.

    A phone posts what was written before time ran out; on venue Wi-Fi the note may still be in its
    outbox when the close arrives (a reconnect takes up to 5 s, a resend 3 s more). The grace covers
    that, and no more: a facilitator's own close, or a later note, is refused as closed.
    """
    if theme.phase is not Phase.CLOSED or not theme.closed_by_timer or theme.closed_at is None:
        return False
    grace = current_app.config["TIMER_CLOSE_GRACE_SECONDS"]
    closed_at = theme.closed_at if theme.closed_at.tzinfo else theme.closed_at.replace(tzinfo=UTC)
    return (now - closed_at).total_seconds() <= grace


def check_note_text(theme: Theme, text: object) -> str:
    require(isinstance(text, str), "invalid", _l("A note must be text."))
    text = clean_text(text)
    require(bool(text), "empty", _l("Write something before you post."))
    limit = theme.note_max_length
    require(
        len(text) <= limit,
        "too_long",
        _l(
            "Notes can be up to %(limit)s characters; this one has %(count)s.",
            limit=limit,
            count=len(text),
        ),
    )
    return text


def _check_kind(kind: object) -> NoteKind:
    if kind is None or kind == "":
        return NoteKind.IDEA
    try:
        return NoteKind(kind)
    except (ValueError, TypeError):
        raise ServiceError(
            "invalid", _("A note is an idea, a question, an action or a quote.")
        ) from None


def _find_by_client_id(participant_id: int, client_id: str) -> Note | None:
    return db.session.scalar(
        select(Note).where(Note.participant_id == participant_id, Note.client_id == client_id)
    )


def post_note(
    theme: Theme, participant: Participant, client_id: object, text: object, kind: object = None
) -> tuple[Note, bool]:
    """Store a participant's note, or return the one already stored under the same ``client_id``.

    Returns ``(note, created)``; ``created`` is false for a repeat, which must not be broadcast.
    A ``client_id`` the participant already used in another theme is refused.
    Every note of a theme queues for the theme's row and the room waits for each, so the locked
    part is as short as the rules allow: one statement takes the next sequence number (locking the
    row and reading the phase and settings), one stores the note, then the commit.
    """
    require(
        isinstance(client_id, str) and bool(_CLIENT_ID.match(client_id)),
        "invalid",
        _l("The note has no valid id; reload the page."),
    )
    participant_id, theme_id = participant.id, theme.id  # the write below expires both
    existing = _find_by_client_id(participant_id, client_id)
    if existing is not None:
        return _repeat(existing, theme_id), False
    text = check_note_text(theme, text)
    kind = _check_kind(kind)
    try:
        note = _insert_note(participant_id, theme_id, client_id, text, kind)
    except IntegrityError:
        # The same note arrived twice at once (a resend racing its original, both past the check
        # above): the unique (participant, client_id) keeps the first, and this one returns it.
        db.session.rollback()
        existing = _find_by_client_id(participant_id, client_id)
        if existing is None:
            raise
        return _repeat(existing, theme_id), False
    return note, True


def _insert_note(
    participant_id: int, theme_id: int, client_id: str, text: str, kind: NoteKind
) -> Note:
    """The write of ``post_note``: the author's checks, the theme's next number, the note."""
    with write_transaction():
        # Before the theme's row is locked: the author's name and pace concern no one else.
        participant, recent = _author_and_recent_notes(participant_id)
        taken = _take_next_seq(theme_id)
        if taken.names_required:
            require(
                bool(participant.name),
                "name_required",
                NAME_NEEDED,
            )
        require(
            recent < current_app.config["NOTES_PER_MINUTE"],
            "rate_limited",
            _l("You are posting very fast. Wait a minute, then try again."),
        )
        note = Note(
            theme_id=theme_id,
            participant=participant,
            client_id=client_id,
            text=text,
            kind=kind,
            status=NoteStatus.PENDING if taken.approval_required else NoteStatus.VISIBLE,
            seq=taken.seq,
            created_at=taken.updated_at,
            updated_at=taken.updated_at,
        )
        db.session.add(note)
        note_changed(NoteChange(note, was_public=False, created=True))
    return note


def _repeat(existing: Note, theme_id: int) -> Note:
    """A note sent again under its ``client_id``: the stored one, if it is in the same theme. Ids
    are one per participant, so the same id in another theme (of the same event) is refused."""
    require(
        existing.theme_id == theme_id,
        "invalid",
        _l("That note id was already used in another discussion."),
    )
    return existing


def _take_next_seq(theme_id: int):
    """Inside a write transaction: give the theme its next sequence number, which locks its row
    until the commit, and return the number with what a new note needs to know of the theme. A
    refusal rolls the number back, so the sequence stays without gaps."""
    now = utcnow()
    taken = db.session.execute(
        update(Theme)
        .where(Theme.id == theme_id)
        .values(seq=Theme.seq + 1, updated_at=now)
        .returning(
            Theme.seq,
            Theme.phase,
            Theme.names_required,
            Theme.approval_required,
            Theme.closed_at,
            Theme.closed_by_timer,
        )
        .execution_options(synchronize_session=False)
    ).one_or_none()
    require(taken is not None, "not_found", _l("This discussion no longer exists."))
    if not _in_timer_grace(taken, now):
        require_open(taken)
    return SimpleNamespace(**taken._asdict(), updated_at=now)


def _author_and_recent_notes(participant_id: int) -> tuple[Participant, int]:
    """Inside the write transaction: the author, reloaded (the transaction expired them, and the
    name goes into the broadcast), and how many notes they posted in the last minute, in one
    statement."""
    recent = (
        select(func.count(Note.id))
        .where(
            Note.participant_id == participant_id,
            Note.created_at > utcnow() - timedelta(minutes=1),
        )
        .scalar_subquery()
    )
    row = db.session.execute(
        select(Participant, recent)
        .where(Participant.id == participant_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    require(row is not None, "forbidden", _l("Reload the page to join again."))
    return row[0], row[1]


def _own_note(note_id: object, participant: Participant) -> Note:
    note = get_note(note_id)
    require(
        note.participant_id == participant.id,
        "forbidden",
        _l("You can only change your own notes."),
    )
    return note


def get_note(note_id: object, theme_id: int | None = None) -> Note:
    """The note with this id (in this theme, when given), not deleted."""
    require(
        isinstance(note_id, int) and not isinstance(note_id, bool),
        "invalid",
        _l("That is not a note id."),
    )
    note = db.session.get(Note, note_id)
    found = (
        note is not None
        and note.deleted_at is None
        and (theme_id is None or note.theme_id == theme_id)
    )
    require(found, "not_found", _l("That note is no longer here."))
    return note


def edit_note(note_id: object, participant: Participant, text: object) -> NoteChange:
    """Change the text of one's own note. With approval on, an edited note waits again."""
    note = _own_note(note_id, participant)
    with write_transaction():
        theme = lock_theme(note.theme_id)
        require_open(theme)
        text = check_note_text(theme, text)
        was_public = note.is_public
        if text == note.text:
            return NoteChange(note, was_public)
        note.text = text
        if theme.approval_required and note.status is NoteStatus.VISIBLE:
            note.status = NoteStatus.PENDING
        stamp(theme, note)
        return note_changed(NoteChange(note, was_public))


def delete_note(note_id: object, participant: Participant) -> list[NoteChange]:
    """Delete one's own note. Duplicates that were merged into it stand on their own again."""
    note = _own_note(note_id, participant)
    with write_transaction():
        theme = lock_theme(note.theme_id)
        changes = [NoteChange(note, note.is_public)]
        note.deleted_at = utcnow()
        note.people = 1
        stamp(theme, note)
        for duplicate in db.session.scalars(select(Note).where(Note.merged_into_id == note.id)):
            changes.append(NoteChange(duplicate, duplicate.is_public))
            duplicate.merged_into_id = None
            stamp(theme, duplicate)
        # Votes on a deleted note go back to the people who gave them.
        db.session.execute(delete(Vote).where(Vote.note_id == note.id))
        note.votes = 0
        for change in changes:
            note_changed(change)
    return changes
