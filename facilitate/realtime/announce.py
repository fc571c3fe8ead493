"""Telling a theme's rooms what changed: the one publish step. ``publish`` runs after every
committed write transaction with what its services recorded (services.changes), whichever door
the change came through; nothing here touches the database."""

from __future__ import annotations

from ..extensions import socketio
from ..models import Theme
from ..payloads import audience, cluster_payload, note_payload, theme_payload
from ..services import clusters
from ..services.audience import written_count
from ..services.changes import AudienceChange, ClustersChange, NoteChange, ThemeChange
from . import NAMESPACE, organisers
from .connections import public_room, staff_room


def publish(changes: list) -> None:
    """Tell each theme's rooms what one transaction changed, every thing once, in order."""
    reveals = []
    for change in merged(changes):
        organisers.changed(
            change.note.theme_id if isinstance(change, NoteChange) else change.theme.id
        )
        if isinstance(change, NoteChange):
            note_change(change)
        elif isinstance(change, ThemeChange):
            theme_updated(change.theme)
        elif isinstance(change, ClustersChange):
            clusters_updated(change.theme, clusters.clusters_of(change.theme))
        elif isinstance(change, AudienceChange):
            reveals.append(change.theme)
    for theme in reveals:  # after the theme's new settings, so pages know what they fetch
        resync_theme(theme.id)


def merged(changes: list) -> list:
    """One record per note, theme or heading list: a note changed twice in one transaction is
    new if it was new at first, and was public if it was before the first change."""
    kept: dict[tuple, object] = {}
    for change in changes:
        if isinstance(change, NoteChange):
            key = ("note", change.note.id)
            first = kept.get(key)
            if first is not None:
                change = NoteChange(
                    change.note,
                    first.was_public,
                    first.created or change.created,
                    first.votes_only and change.votes_only,
                )
        else:
            key = (type(change).__name__, change.theme.id)
        kept[key] = change  # a key seen before keeps its place
    return list(kept.values())


def note_change(change: NoteChange) -> None:
    """Staff hear of every change; participants and walls only of what they may see, so a note
    that stops being visible reaches them as ``note:removed`` and a newly visible one as
    ``note:added``. When both hear the same thing it is encoded and sent once."""
    note = change.note
    theme_id = note.theme_id
    withheld = audience(note.theme)
    staff_event = "note:added" if change.created else "note:updated"
    public_event = _public_event(change, **withheld)
    if withheld["private"]:
        _written(theme_id)
    if public_event == staff_event and not withheld["hide_votes"]:
        # a visible note: the same payload for everyone
        payload = {"note": note_payload(note, public=False), "seq": note.seq}
        socketio.emit(
            staff_event,
            payload,
            to=[public_room(theme_id), staff_room(theme_id)],
            namespace=NAMESPACE,
        )
        return
    socketio.emit(
        staff_event,
        {"note": note_payload(note, public=False), "seq": note.seq},
        to=staff_room(theme_id),
        namespace=NAMESPACE,
    )
    if public_event:
        socketio.emit(
            public_event,
            {"note": note_payload(note, public=True, **withheld), "seq": note.seq},
            to=public_room(theme_id),
            namespace=NAMESPACE,
        )


def _public_event(change: NoteChange, hide_votes: bool, private: bool) -> str | None:
    """What phones and walls hear of a note's change: nothing while everyone writes in silence
    (each author has the acknowledgement), nor of a vote while counts are hidden."""
    if private or (hide_votes and change.votes_only):
        return None
    if change.note.is_public:
        return "note:updated" if change.was_public else "note:added"
    return "note:removed" if change.was_public else None


def _written(theme_id: int) -> None:
    """While notes are private the walls and phones learn only how many have been written."""
    socketio.emit(
        "notes:written",
        {"count": written_count(theme_id)},
        to=public_room(theme_id),
        namespace=NAMESPACE,
    )


def resync_theme(theme_id: int) -> None:
    """What phones and walls may see changed all at once (a reveal): every page of the theme, on
    every process, fetches the changes since the point it holds, as it may now see them."""
    for room in (public_room(theme_id), staff_room(theme_id)):
        socketio.emit("resync", {}, to=room, namespace=NAMESPACE)


def theme_updated(theme: Theme) -> None:
    """Phase, timer, settings or words changed: everyone in the theme gets the new state."""
    payload = {"theme": theme_payload(theme)}
    for room in (public_room(theme.id), staff_room(theme.id)):
        socketio.emit("theme:updated", payload, to=room, namespace=NAMESPACE)


def clusters_updated(theme: Theme, clusters: list) -> None:
    """The headings changed (added, renamed, reordered or removed)."""
    payload = {"clusters": [cluster_payload(c) for c in clusters]}
    for room in (public_room(theme.id), staff_room(theme.id)):
        socketio.emit("clusters:updated", payload, to=room, namespace=NAMESPACE)


def presence(theme_id: int, count: int) -> None:
    for room in (public_room(theme_id), staff_room(theme_id)):
        socketio.emit("presence", {"count": count}, to=room, namespace=NAMESPACE)
