"""What a state change changed, recorded while its write transaction is open.

Services record one of these for every change the theme's room should hear of; after the
outermost commit ``write_transaction`` hands the list to the publisher the realtime layer
installed (see ``database.on_commit``), whichever door the change came through: a socket, a web
form, the no-JavaScript page, the command line or a background task. A refused change is rolled
back and its records with it; a change that changes nothing records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..database import record
from ..models import Note, Theme


@dataclass(frozen=True)
class NoteChange:
    """One note after a change, whether participants could see it before, and whether it is new."""

    note: Note
    was_public: bool
    created: bool = False


@dataclass(frozen=True)
class ThemeChange:
    """The theme's words, phase, timer or settings changed."""

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
