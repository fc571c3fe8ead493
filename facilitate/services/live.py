"""What live connections read: the theme a connection belongs to or leads, and the state its
``welcome`` and ``sync`` are built from. The Socket.IO handlers call these and only emit."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Cluster, Note, Participant, Theme
from . import audience, clusters, listing, themes, votes
from .errors import require


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def theme_of(theme_id: int) -> Theme:
    """The theme a connection belongs to, still there."""
    theme = db.session.get(Theme, theme_id)
    require(theme is not None, "not_found", _l("This discussion no longer exists."))
    return theme


def participant_of(participant_id: int | None) -> Participant:
    participant = db.session.get(Participant, participant_id) if participant_id else None
    require(participant is not None, "forbidden", _l("Reload the page to join again."))
    return participant


def led_theme(theme_id: object, user, connected_as: int | None = None) -> Theme:
    """The theme ``user`` leads, checked on every event: a facilitator removed from it loses it at
    once. ``connected_as`` is the user id the connection was opened with, when there is one."""
    theme = db.session.get(Theme, theme_id) if _is_id(theme_id) else None
    require(theme is not None, "not_found", _l("This theme no longer exists."))
    require(
        getattr(user, "is_authenticated", False)
        and (connected_as is None or user.id == connected_as)
        and themes.can_lead(user, theme),
        "forbidden",
        _l("You do not lead this theme."),
    )
    return theme


def fresh_seq(theme_id: int) -> int:
    """Read the theme's sequence number anew, after the connection joined the theme's room: every
    later change is then either in the welcome or broadcast to it."""
    db.session.commit()
    return db.session.scalar(select(Theme.seq).where(Theme.id == theme_id))


def fresh_theme(theme_id: int) -> tuple[Theme, list[Cluster]]:
    """Like ``fresh_seq``, but reading the whole theme anew with its event, and its clusters: the
    two statements the welcome's theme needs anyway."""
    db.session.commit()
    theme = db.session.scalars(
        select(Theme)
        .where(Theme.id == theme_id)
        .options(joinedload(Theme.event))
        .execution_options(populate_existing=True)
    ).one()
    return theme, clusters.clusters_of(theme)


def reread_theme(theme_id: int) -> Theme:
    """The theme's row anew, refreshing the loaded one in place: for a reader that saw notes
    changed after the theme it read (a reveal committed between the two reads)."""
    db.session.commit()
    return db.session.scalars(
        select(Theme).where(Theme.id == theme_id).execution_options(populate_existing=True)
    ).one()


@dataclass
class ParticipantWelcome:
    """What a participant's ``welcome`` is built from, all read after joining the room."""

    theme: Theme
    clusters: list[Cluster]
    voted: set[int] = field(default_factory=set)
    waiting: list[Note] = field(default_factory=list)
    #: While notes are private: every note of the participant's that stands.
    own: list[Note] = field(default_factory=list)

    @property
    def votes_left(self) -> int:
        return max(0, self.theme.votes_per_participant - len(self.voted))


def participant_welcome(theme_id: int, participant_id: int, returning: bool) -> ParticipantWelcome:
    """The theme anew and, for a participant who was here before, their votes and their own notes
    that wait for approval."""
    theme, headings = fresh_theme(theme_id)
    welcome = ParticipantWelcome(theme, headings)
    if returning:
        welcome.voted = votes.voted_note_ids(theme.id, participant_id)
        if theme.notes_private:
            welcome.own = listing.own_notes(theme.id, participant_id)
        else:
            welcome.waiting = listing.own_waiting_notes(theme.id, participant_id)
    return welcome


def wall_welcome(theme_id: int) -> tuple[Theme, list[Cluster], list[Note]]:
    """The theme anew (its number and what it withholds read together, so that a reveal cannot
    fall between them), its headings and the visible notes a wall starts from: none while the
    room writes in silence."""
    theme, headings = fresh_theme(theme_id)
    return theme, headings, [] if theme.notes_private else listing.public_notes(theme_id)


def staff_welcome(theme_id: int) -> tuple[int, list[Note]]:
    """The sequence number and every note a facilitator starts from."""
    seq = fresh_seq(theme_id)
    return seq, listing.staff_notes(theme_id)


def written_count(theme_id: int) -> int:
    return audience.written_count(theme_id)


def votes_left(theme: Theme, participant: Participant) -> int:
    return max(0, theme.votes_per_participant - votes.votes_used(theme, participant))
