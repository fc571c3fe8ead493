"""The JSON shapes of the public contracts (docs/realtime.md, "Shapes"): NOTE, the theme,
clusters."""

from __future__ import annotations

from datetime import datetime

from .links import contract_url
from .models import Cluster, Note, Theme


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, as the contract's times are."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def note_status(note: Note) -> str:
    """``removed`` for a note deleted or merged away, else its stored status."""
    if note.deleted_at is not None or note.merged_into_id is not None:
        return "removed"
    return note.status.value


def audience(theme: Theme) -> dict:
    """What the theme withholds from phones and walls, as ``note_payload``'s keywords: the vote
    counts until they are revealed, and the others' notes while everyone writes in silence."""
    return {"hide_votes": theme.votes_hidden, "private": theme.notes_private}


def note_payload(
    note: Note,
    *,
    mine: bool = False,
    voted: bool = False,
    public: bool = True,
    hide_votes: bool = False,
    private: bool = False,
) -> dict:
    """NOTE as the contract gives it, plus ``people`` (how many people made the point), ``voted``
    (for the receiving participant) and ``merged_into``.

    ``public`` payloads go to participants and walls: a note they may not see is sent as
    ``removed`` with its text withheld. ``hide_votes`` sends ``"votes": null``; ``private``
    withholds every note but the receiver's own (see ``audience``).
    """
    withheld = public and not mine and (private or not note.is_public)
    status = "removed" if withheld else note_status(note)
    return {
        "id": note.id,
        "theme_id": note.theme_id,
        "client_id": note.client_id,
        "text": "" if withheld else note.text,
        "kind": note.kind.value,
        "author": None if withheld else note.author_name,
        "status": status,
        "pinned": note.pinned,
        "cluster_id": note.cluster_id,
        "votes": None if public and hide_votes else note.votes,
        "created_at": iso(note.created_at),
        "updated_at": iso(note.updated_at),
        "seq": note.seq,
        "mine": mine,
        "people": note.people,
        "voted": voted,
        "merged_into": note.merged_into_id,
    }


def cluster_payload(cluster: Cluster) -> dict:
    return {"id": cluster.id, "title": cluster.title, "position": cluster.position}


def theme_payload(theme: Theme, clusters: list[Cluster] | None = None) -> dict:
    """The theme as phones, walls and consoles see it: words, phase, settings, timer, clusters."""
    return {
        "id": theme.id,
        "title": theme.title,
        "prompt": theme.prompt,
        "phase": theme.phase.value,
        "code": theme.join_code,
        "join_url": contract_url(f"/j/{theme.join_code}"),
        "event": {"title": theme.event.title, "slug": theme.event.slug},
        "settings": {
            "names_required": theme.names_required,
            "approval_required": theme.approval_required,
            "votes_per_participant": theme.votes_per_participant,
            "note_max_length": theme.note_max_length,
            "votes_hidden": theme.votes_hidden,
            "notes_private": theme.notes_private,
        },
        "step": theme.step,
        "timer": {
            "ends_at": iso(theme.timer_ends_at),
            "closes_theme": theme.timer_closes,
            "advances": theme.timer_advances,
        },
        "wall": theme.wall_view or {"mode": "all"},
        "clusters": [
            cluster_payload(c) for c in (theme.clusters if clusters is None else clusters)
        ],
    }
