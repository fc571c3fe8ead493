"""Merging a theme's notes and votes from a bundle.

A note already here is matched by its participant's ``uid`` and its client id. When its state
differs, the note's ``sync_hash`` (the state last brought in) and the bundle's ``base`` (the state
the other machine last brought in) tell which side changed: a change made on one side only is
taken or kept; a note changed on both is reported, and the later change is kept on both machines
alike. When the other change had other words, they stay beside the note as a hidden note (see
``_keep_aside``), so neither text is lost. Votes are added one by one, so none is lost; counts
are recounted from the rows.
"""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Note, NoteKind, NoteStatus, Participant, Theme, Vote, utcnow
from ..services.changes import NoteChange, note_changed
from . import values
from .content import iso, note_key, note_state
from .fileformat import BundleProblem


class _Notes:
    """The theme's notes by key while merging, and those touched (to restamp once)."""

    def __init__(self, theme: Theme, participants: dict[str, Participant], clusters: dict):
        self.theme = theme
        self.participants = participants
        self.uid_of = {p.id: uid for uid, p in participants.items()}
        self.clusters = clusters
        self.cluster_uid = {cluster_id: uid for uid, cluster_id in clusters.items()}
        notes = db.session.scalars(select(Note).where(Note.theme_id == theme.id))
        self.by_key = {self.key(note): note for note in notes}
        self.key_of = {note.id: key for key, note in self.by_key.items()}
        self.touched: dict[str, tuple[Note, bool, bool]] = {}
        self.merges: dict[str, str | None] = {}
        #: The event's notes in its other themes: a client id its participant used there clashes.
        rows = db.session.execute(
            select(Note.participant_id, Note.client_id, Theme.title)
            .join(Theme, Theme.id == Note.theme_id)
            .where(Theme.event_id == theme.event_id, Theme.id != theme.id)
        )
        self.elsewhere = {(pid, cid): title for pid, cid, title in rows}

    def key(self, note: Note) -> str:
        return note_key(self.uid_of.get(note.participant_id), note.client_id)

    def touch(self, key: str, note: Note, created: bool = False) -> None:
        if key not in self.touched:
            self.touched[key] = (note, False if created else note.is_public, created)

    def state_here(self, note: Note) -> str:
        return note_state(
            {
                "text": note.text,
                "kind": note.kind.value,
                "status": note.status.value,
                "pinned": note.pinned,
                "cluster": self.cluster_uid.get(note.cluster_id),
                "merged_into": self.key_of.get(note.merged_into_id),
                "deleted_at": iso(note.deleted_at),
            }
        )


def merge(theme: Theme, raw_theme: dict, participants: dict, clusters: dict, outcome) -> dict:
    """Add and update the theme's notes and votes; returns the notes by key."""
    notes = _Notes(theme, participants, clusters)
    for raw in values.items(raw_theme.get("notes"), _l("notes")):
        _note(notes, values.mapping(raw, _l("a note")), outcome)
    db.session.flush()
    _link_merges(notes)
    outcome.votes_added = _votes(notes, values.items(raw_theme.get("votes"), _l("votes")))
    _recount(notes)
    for note, was_public, created in notes.touched.values():
        if not created:  # a new note took its number when it was added
            theme.seq += 1
            note.seq = theme.seq
        note_changed(NoteChange(note, was_public, created))
    db.session.flush()
    return notes.by_key


def _fields(notes: _Notes, raw: dict) -> dict:
    cluster = values.uid(raw.get("cluster"), _l("a note's heading"), optional=True)
    deleted_at = values.moment(raw.get("deleted_at"), _l("when a note was deleted"))
    return {
        "text": values.text(raw["text"], _l("a note's text"), 20_000, required=True),
        "kind": values.choice(raw.get("kind", "idea"), NoteKind, _l("a note's kind")),
        "status": values.choice(raw.get("status", "visible"), NoteStatus, _l("a note's status")),
        "pinned": values.flag(raw.get("pinned", False), _l("a note's pin")),
        "cluster_id": notes.clusters.get(cluster),
        "deleted_at": deleted_at,
        "updated_at": values.moment(raw.get("updated_at"), _l("when a note changed")),
    }


def _note(notes: _Notes, raw: dict, outcome) -> None:
    participant_uid = values.uid(raw.get("participant"), _l("a note's author"), optional=True)
    client_id = values.client_id(raw["client_id"], _l("a note's id"))
    participant = notes.participants.get(participant_uid) if participant_uid else None
    if participant_uid and participant is None:
        raise values.wrong(
            _("a note's author %(uid)s is not among its participants", uid=participant_uid)
        )
    key = note_key(participant_uid, client_id)
    merged_into = raw.get("merged_into")
    if merged_into is not None and not isinstance(merged_into, str):
        raise values.wrong(_("a note's merge is not a note"))
    state = note_state(raw)
    fields = _fields(notes, raw)
    note = notes.by_key.get(key)
    if note is None:
        _add(notes, key, participant, client_id, raw, fields, state, merged_into)
        outcome.notes_added += 1
        return
    outcome.notes_present += 1
    here = notes.state_here(note)
    later_there = (fields["updated_at"] or note.updated_at) > note.updated_at
    if here == state:
        note.sync_hash = state
    elif state == note.sync_hash:  # changed here since that state came in: keep it
        return
    elif here == raw.get("base"):  # changed there, on top of this machine's state: take it
        _apply(notes, key, note, fields, state, merged_into)
    elif here == note.sync_hash:  # unchanged here since the last bundle: the later state wins
        if later_there:
            _apply(notes, key, note, fields, state, merged_into)
    else:
        _changed_on_both(notes, key, note, fields, state, merged_into, later_there, outcome)


def _changed_on_both(notes, key, note, fields, state, merged_into, later_there, outcome) -> None:
    """The later change is kept, on both machines alike; the other one's words, if they differ,
    are kept beside it as a hidden note, and the import says so."""
    if later_there:
        other = (note.text, note.kind, note.updated_at)
        _apply(notes, key, note, fields, state, merged_into)
    else:
        other = (fields["text"], fields["kind"], fields["updated_at"] or note.updated_at)
        note.sync_hash = state
    shown = _short(note.text)
    if later_there:
        sentence = _(
            "The note “%(note)s” was changed on both machines; the bundle changed it last, and "
            "that change is kept.",
            note=shown,
        )
    else:
        sentence = _(
            "The note “%(note)s” was changed on both machines; this machine changed it last, "
            "and that change is kept.",
            note=shown,
        )
    if other[0] != note.text:
        _keep_aside(notes, key, note, *other)
        aside = _short(other[0])
        sentence += " " + (
            _(
                "This machine had it as “%(text)s”: that text is kept beside it as a hidden "
                "note, which only facilitators see until they show it.",
                text=aside,
            )
            if later_there
            else _(
                "The bundle had it as “%(text)s”: that text is kept beside it as a hidden note, "
                "which only facilitators see until they show it.",
                text=aside,
            )
        )
    outcome.conflicts.append(sentence)


def _aside_client_id(key: str, text: str) -> str:
    """The client id of the hidden note keeping ``text`` beside the note ``key``: the same on
    every machine, so the same clash brought in again, either way, finds the note it made."""
    return "kept-" + hashlib.sha256(f"{key}\n{text}".encode()).hexdigest()[:32]


def _keep_aside(notes: _Notes, key: str, note: Note, text: str, kind, updated_at) -> None:
    """The words of the change not kept, as a hidden note of the same author under the same
    heading: made once, as a later import finds it by its key."""
    client_id = _aside_client_id(key, text)
    aside_key = note_key(notes.uid_of.get(note.participant_id), client_id)
    if aside_key in notes.by_key:
        return
    aside = Note(
        theme_id=notes.theme.id,
        participant_id=note.participant_id,
        client_id=client_id,
        text=text,
        kind=kind,
        status=NoteStatus.HIDDEN,
        pinned=False,
        cluster_id=note.cluster_id,
        people=1,
        votes=0,
        seq=notes.theme.seq + 1,
        created_at=note.created_at,
        updated_at=updated_at,
    )
    aside.sync_hash = notes.state_here(aside)
    notes.theme.seq = aside.seq
    db.session.add(aside)
    notes.by_key[aside_key] = aside
    notes.merges[aside_key] = None
    notes.touch(aside_key, aside, created=True)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def _add(notes, key, participant, client_id, raw, fields, state, merged_into) -> None:
    if participant is not None:
        elsewhere = notes.elsewhere.get((participant.id, client_id))
        if elsewhere is not None:
            raise BundleProblem(
                _(
                    "The note “%(note)s” is in another theme here (“%(theme)s”); nothing was "
                    "imported.",
                    note=_short(fields["text"]),
                    theme=elsewhere,
                )
            )
    created_at = values.moment(raw.get("created_at"), _l("when a note was posted"))
    note = Note(
        theme_id=notes.theme.id,
        participant_id=participant.id if participant else None,
        client_id=client_id,
        people=1,
        votes=0,
        seq=notes.theme.seq + 1,
        sync_hash=state,
        created_at=created_at or fields["updated_at"],
        **fields,
    )
    if note.created_at is None or note.updated_at is None:
        raise values.wrong(_("a note has no time"))
    notes.theme.seq = note.seq
    db.session.add(note)
    notes.by_key[key] = note
    notes.merges[key] = merged_into
    notes.touch(key, note, created=True)


def _apply(notes, key, note, fields, state, merged_into) -> None:
    notes.touch(key, note)
    for name, value in fields.items():
        if value is not None or name in ("cluster_id", "deleted_at"):
            setattr(note, name, value)
    note.sync_hash = state
    notes.merges[key] = merged_into


def _link_merges(notes: _Notes) -> None:
    """Point merged duplicates at their kept note here; a chain or a loop made by two machines
    merging either way is resolved so that every duplicate points at a note that stands."""
    for key, target in notes.merges.items():
        kept = notes.by_key.get(target) if target else None
        notes.by_key[key].merged_into_id = kept.id if kept is not None else None
    by_id = {note.id: note for note in notes.by_key.values()}
    for key, note in notes.by_key.items():
        seen = {note.id}
        root = by_id.get(note.merged_into_id)
        while root is not None and root.merged_into_id is not None:
            if root.merged_into_id in seen:
                root = None
                break
            seen.add(root.id)
            root = by_id.get(root.merged_into_id)
        wanted = root.id if root is not None and root.id != note.id else None
        if note.merged_into_id != wanted:
            notes.touch(key, note)
            note.merged_into_id = wanted


def _votes(notes: _Notes, raws: list) -> int:
    by_id = {note.id: note for note in notes.by_key.values()}
    have = set(
        db.session.execute(
            select(Vote.note_id, Vote.participant_id).where(Vote.theme_id == notes.theme.id)
        ).all()
    )
    added = 0
    for raw in raws:
        raw = values.mapping(raw, _l("a vote"))
        note = notes.by_key.get(raw.get("note"))
        participant = notes.participants.get(raw.get("participant"))
        if note is None or participant is None:
            continue
        note = by_id.get(
            note.merged_into_id, note
        )  # a vote for a duplicate counts for the kept note
        if (note.id, participant.id) in have or note.participant_id == participant.id:
            continue
        created_at = values.moment(raw.get("created_at"), _l("when a vote was given"))
        db.session.add(
            Vote(
                note_id=note.id,
                participant_id=participant.id,
                theme_id=notes.theme.id,
                created_at=created_at or utcnow(),
            )
        )
        have.add((note.id, participant.id))
        added += 1
    db.session.flush()
    return added


def _recount(notes: _Notes) -> None:
    """Votes and people from the rows: each kept note counts itself and its duplicates."""
    theme_id = notes.theme.id
    votes = dict(
        db.session.execute(
            select(Vote.note_id, func.count(Vote.id))
            .where(Vote.theme_id == theme_id)
            .group_by(Vote.note_id)
        ).all()
    )
    merged = dict(
        db.session.execute(
            select(Note.merged_into_id, func.count(Note.id))
            .where(Note.theme_id == theme_id, Note.merged_into_id.is_not(None))
            .group_by(Note.merged_into_id)
        ).all()
    )
    for key, note in notes.by_key.items():
        people = note.people if note.merged_into_id is not None else 1 + merged.get(note.id, 0)
        if (note.votes, note.people) != (votes.get(note.id, 0), people):
            notes.touch(key, note)
            note.votes, note.people = votes.get(note.id, 0), people
