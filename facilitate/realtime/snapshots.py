"""What every phone of a theme is sent alike, built once per change of the theme instead of once
per phone.

A connect or reconnect storm brings hundreds of phones at the same moment, each asking for the same
visible notes (in its ``welcome``) and, after a drop, the same changes (``sync`` since the same
number). Every change to a note gives the theme a new sequence number, so what was built at one
number is right for every phone that reads the same number; an entry also lives at most
``TTL_SECONDS``, so that a renamed author shows on old notes as soon as without it.

Only the shared part is kept: each phone still gets its own ``mine`` and ``voted``.
"""

from __future__ import annotations

from time import monotonic

from flask import current_app

from ..models import Theme
from ..payloads import audience, note_payload
from ..services import listing, live

TTL_SECONDS = 2.0

#: One built list: (author's participant id, payload for others, payload for the author).
Entry = list[tuple[int | None, dict, dict]]


def _store(name: str) -> dict:
    """This app's own lists (each app has its own database: tests build many in one process)."""
    return current_app.extensions.setdefault("facilitate.snapshots", {}).setdefault(name, {})


def _entry(items, withheld: dict) -> Entry:
    return [
        (n.participant_id, note_payload(n, **withheld), note_payload(n, mine=True, **withheld))
        for n in items
    ]


def _version(theme: Theme) -> tuple:
    """What a built list depends on: the theme's number and what it withholds from phones."""
    return (theme.seq, theme.votes_hidden, theme.notes_private)


def _fresh(cached, version: tuple) -> bool:
    return cached is not None and cached[0] == version and monotonic() - cached[1] < TTL_SECONDS


def public_notes(theme: Theme) -> Entry:
    """The theme's visible notes, as of its sequence number (read in the same snapshot)."""
    built = _store("public")
    cached = built.get(theme.id)
    version = _version(theme)
    if not _fresh(cached, version):
        notes = listing.public_notes(theme.id)
        cached = (version, monotonic(), _entry(notes, audience(theme)))
        built[theme.id] = cached
    return cached[2]


def changes_since(theme: Theme, since: int) -> Entry:
    """Every note changed after ``since``, as participants and walls may see it."""
    built = _store("changes")
    key = (theme.id, since)
    cached = built.get(key)
    version = _version(theme)
    if not _fresh(cached, version):
        if len(built) > 256:  # numbers nobody asks for any more
            built.clear()
        notes = listing.changes_since(theme.id, since)
        if notes and notes[-1].seq > theme.seq:
            # A change was committed after the theme was read, perhaps a reveal: build with what
            # the theme withholds now, and keep nothing for the number that was read.
            live.reread_theme(theme.id)
            return _entry(notes, audience(theme))
        cached = (version, monotonic(), _entry(notes, audience(theme)))
        built[key] = cached
    return cached[2]


def for_participant(entry: Entry, participant_id: int | None, voted: set[int]) -> list[dict]:
    """The shared payloads, with this participant's own notes and votes marked."""
    shown = []
    for author, public, own in entry:
        if author is not None and author == participant_id:
            shown.append({**own, "voted": own["id"] in voted} if voted else own)
        elif public["id"] in voted:
            shown.append({**public, "voted": True})
        else:
            shown.append(public)
    return shown
