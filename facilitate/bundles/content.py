"""What a bundle holds: an event and its chosen themes, as plain data that survives machines.

Rows are named by what is the same on every machine, never by a database id: the event by its
slug, a theme by its join code and wall token, a participant, heading or write-up revision by its
``uid``, a note by its participant's ``uid`` and its ``client_id`` (see ``note_key``), a person by
email. Participants travel without their tokens; accounts without their passwords.
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Event, Note, Participant, Theme, Vote, Writeup, WriteupRevision
from .fileformat import BundleProblem

#: What a theme's facilitator set, carried so that a theme first brought in behaves the same.
THEME_SETTINGS = (
    "names_required",
    "approval_required",
    "votes_per_participant",
    "note_max_length",
    "votes_hidden",
    "notes_private",
)


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def note_key(participant_uid: str | None, client_id: str) -> str:
    """A note's name on every machine: the client id is unique per participant."""
    return f"{participant_uid or ''}:{client_id}"


def note_state(fields: dict) -> str:
    """A digest of what people change about a note (not its votes, which are merged one by one)."""
    state = [
        fields["text"],
        fields["kind"],
        fields["status"],
        bool(fields["pinned"]),
        fields["cluster"],
        fields["merged_into"],
        fields["deleted_at"],
    ]
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode()).hexdigest()


def choose_themes(event: Event, titles: list[str] | tuple[str, ...]) -> list[Theme]:
    """The event's themes named by title (all when none is named); an unknown title is refused."""
    if not titles:
        return list(event.themes)
    by_title = {theme.title.casefold(): theme for theme in event.themes}
    chosen = []
    for title in titles:
        theme = by_title.get(title.strip().casefold())
        if theme is None:
            known = ", ".join(t.title for t in event.themes) or _("none")
            raise BundleProblem(
                _(
                    "“%(event)s” has no theme called “%(title)s”. Its themes: %(known)s.",
                    event=event.title,
                    title=title,
                    known=known,
                )
            )
        if theme not in chosen:
            chosen.append(theme)
    return chosen


def build(event: Event, themes: list[Theme]) -> dict:
    """The content of a bundle of ``themes`` of ``event``."""
    participants = list(
        db.session.scalars(
            select(Participant).where(Participant.event_id == event.id).order_by(Participant.id)
        )
    )
    uids = {participant.id: participant.uid for participant in participants}
    return {
        "event": {
            "slug": event.slug,
            "title": event.title,
            "date": iso(event.date),
            "venue": event.venue,
            "time_zone": event.time_zone,
            "language": event.language,
            "organisers": [user.email for user in event.organisers],
        },
        "participants": [
            {"uid": p.uid, "name": p.name, "created_at": iso(p.created_at)} for p in participants
        ],
        "themes": [_theme(theme, uids) for theme in themes],
    }


def _theme(theme: Theme, uids: dict[int, str]) -> dict:
    notes = list(
        db.session.scalars(select(Note).where(Note.theme_id == theme.id).order_by(Note.id))
    )
    clusters = {cluster.id: cluster.uid for cluster in theme.clusters}
    keys = {note.id: note_key(uids.get(note.participant_id), note.client_id) for note in notes}
    return {
        "title": theme.title,
        "prompt": theme.prompt,
        "join_code": theme.join_code,
        "wall_token": theme.wall_token,
        "phase": theme.phase.value,
        "settings": {name: getattr(theme, name) for name in THEME_SETTINGS},
        "opened_at": iso(theme.opened_at),
        "closed_at": iso(theme.closed_at),
        "created_at": iso(theme.created_at),
        "facilitators": [user.email for user in theme.facilitators],
        "clusters": [
            {
                "uid": c.uid,
                "title": c.title,
                "position": c.position,
                "created_at": iso(c.created_at),
            }
            for c in theme.clusters
        ],
        "notes": [_note(note, uids, clusters, keys) for note in notes],
        "votes": [
            {
                "note": keys[vote.note_id],
                "participant": uids[vote.participant_id],
                "created_at": iso(vote.created_at),
            }
            for vote in db.session.scalars(
                select(Vote).where(Vote.theme_id == theme.id).order_by(Vote.id)
            )
            if vote.note_id in keys and vote.participant_id in uids
        ],
        "writeup": _writeup(theme, keys),
    }


def _note(note: Note, uids: dict[int, str], clusters: dict[int, str], keys: dict[int, str]) -> dict:
    fields = {
        "participant": uids.get(note.participant_id),
        "client_id": note.client_id,
        "text": note.text,
        "kind": note.kind.value,
        "status": note.status.value,
        "pinned": note.pinned,
        "cluster": clusters.get(note.cluster_id),
        "merged_into": keys.get(note.merged_into_id),
        "people": note.people,
        "deleted_at": iso(note.deleted_at),
        "created_at": iso(note.created_at),
        "updated_at": iso(note.updated_at),
    }
    #: The state this one was built on, when it came from a bundle: tells an edit from a clash.
    fields["base"] = note.sync_hash
    return fields


def _writeup(theme: Theme, keys: dict[int, str]) -> dict | None:
    writeup = db.session.scalar(select(Writeup).where(Writeup.theme_id == theme.id))
    if writeup is None:
        return None
    revisions = list(
        db.session.scalars(
            select(WriteupRevision)
            .where(WriteupRevision.writeup_id == writeup.id)
            .order_by(WriteupRevision.number)
        )
    )
    published = next((r.uid for r in revisions if r.number == writeup.published_revision), None)
    return {
        "status": writeup.status.value,
        "body": writeup.body,
        "show_citations": writeup.show_citations,
        "published_at": iso(writeup.published_at),
        "published_revision": published,
        "known_notes": [keys[i] for i in writeup.known_note_ids or [] if i in keys],
        "revisions": [
            {
                "uid": r.uid,
                "number": r.number,
                "body": r.body,
                "author": r.author.email if r.author else None,
                "reason": r.reason,
                "created_at": iso(r.created_at),
                "updated_at": iso(r.updated_at),
            }
            for r in revisions
        ],
    }
