"""What a state change changed, recorded while its write transaction is open.

Services record one of these for every change the theme's room should hear of; after the
outermost commit ``write_transaction`` hands the list to the publisher the realtime layer
installed (see ``database.on_commit``), whichever door the change came through: a socket, a web
form, the no-JavaScript page, the command line or a background task. A refused change is rolled
back and its records with it; a change that changes nothing records nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..database import record
from ..models import Note, Theme


@dataclass(frozen=True)
class NoteChange:
    """One note after a change, whether participants could see it before, whether it is new, and
    whether only its vote count changed (which phones and walls do not hear of while counts are
    hidden)."""

    note: Note
    was_public: bool
    created: bool = False
    votes_only: bool = False


@dataclass(frozen=True)
class ThemeChange:
    """The theme's words, phase, timer or settings changed."""

    theme: Theme


@dataclass(frozen=True)
class AudienceChange:
    """What phones and walls may see of the theme's notes changed all at once (a reveal): every
    visible note took a new number, and each page should ``sync`` to fetch it as it may see it."""

    theme: Theme


@dataclass(frozen=True)
class ClustersChange:
    """The theme's headings changed: added, renamed, reordered or removed."""

    theme: Theme


def note_changed(change: NoteChange) -> NoteChange:
    record(change)
    return change


def theme_changed(theme: Theme) -> None:
    record(ThemeChange(theme))


def clusters_changed(theme: Theme) -> None:
    record(ClustersChange(theme))


#: What ``theme:updated`` carries that a change may leave as it was.
_ROOM_SEES = (
    "title",
    "prompt",
    "phase",
    "names_required",
    "approval_required",
    "votes_per_participant",
    "note_max_length",
    "votes_hidden",
    "notes_private",
    "step",
    "timer_advances",
    "timer_ends_at",
    "timer_closes",
)


def _seen_by_the_room(theme: Theme) -> tuple:
    return tuple(getattr(theme, name) for name in _ROOM_SEES)


@contextmanager
def watching(theme: Theme) -> Iterator[None]:
    """Inside a write transaction: record that the theme changed if the block changed anything
    the room sees. Saving a form unchanged is no news."""
    before = _seen_by_the_room(theme)
    yield
    if _seen_by_the_room(theme) != before:
        theme_changed(theme)
