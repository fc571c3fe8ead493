"""Merging a theme's write-up from a bundle: every revision of both machines is kept.

Revisions are matched by ``uid``; those new here are added after this machine's, in their order,
with the next numbers. When the bundle's history continues this machine's, its text and status
become current. When both machines saved revisions the other lacks, it is reported, and this
machine's text stays current as one more revision, so neither version is lost.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Theme, Writeup, WriteupRevision, WriteupStatus, utcnow
from . import values

KEPT = "kept after a bundle import"


def merge(theme: Theme, raw, notes: dict, outcome) -> None:
    if raw is None:
        return
    raw = values.mapping(raw, _l("a write-up"))
    revisions = [
        values.mapping(r, _l("a revision"))
        for r in values.items(raw.get("revisions"), _l("revisions"))
    ]
    writeup = db.session.scalar(select(Writeup).where(Writeup.theme_id == theme.id))
    created = writeup is None
    if created:
        writeup = Writeup(theme_id=theme.id, body="", known_note_ids=[], compiled_seq=0)
        db.session.add(writeup)
        db.session.flush()
    here = {
        r.uid: r.number
        for r in db.session.scalars(
            select(WriteupRevision).where(WriteupRevision.writeup_id == writeup.id)
        )
    }
    theirs = {values.uid(r.get("uid"), _l("a revision's id")) for r in revisions}
    only_here = set(here) - theirs
    top = max(here.values(), default=0)
    added = _add_revisions(writeup, revisions, here)
    outcome.revisions_added = added
    _known_notes(writeup, raw, notes)
    if created:
        writeup.compiled_seq = theme.seq
    if not added:
        return
    if only_here:
        kept = _add_revision(writeup, top + added + 1, writeup.body, None, KEPT)
        outcome.conflicts.append(
            _(
                "The write-up was edited on both machines: both versions are kept among its "
                "revisions, and this machine's text stays current (revision %(number)s).",
                number=kept.number,
            )
        )
        return
    _take(writeup, raw, here)


def _add_revisions(writeup: Writeup, revisions: list[dict], here: dict[str, int]) -> int:
    number = (
        db.session.scalar(
            select(func.max(WriteupRevision.number)).where(WriteupRevision.writeup_id == writeup.id)
        )
        or 0
    )
    added = 0
    for raw in sorted(revisions, key=lambda r: r.get("number") or 0):
        if raw["uid"] in here:
            continue
        number += 1
        author = (
            values.accounts([raw.get("author")], _l("a revision's author"))
            if raw.get("author")
            else []
        )
        _add_revision(
            writeup,
            number,
            values.text(raw["body"], _l("a revision"), 100_000),
            author[0] if author else None,
            values.text(raw.get("reason"), _l("a revision's reason"), 40) or "edited",
            uid=raw["uid"],
            created_at=values.moment(raw.get("created_at"), _l("when a revision was saved")),
            updated_at=values.moment(raw.get("updated_at"), _l("when a revision was saved")),
        )
        here[raw["uid"]] = number
        added += 1
    return added


def _add_revision(
    writeup, number, body, author, reason, *, uid=None, created_at=None, updated_at=None
):
    now = utcnow()
    revision = WriteupRevision(
        writeup_id=writeup.id,
        number=number,
        body=body,
        author_id=author.id if author else None,
        reason=reason,
        created_at=created_at or now,
        updated_at=updated_at or created_at or now,
    )
    if uid:
        revision.uid = uid
    db.session.add(revision)
    db.session.flush()
    if reason == KEPT:
        writeup.updated_at = now
    return revision


def _take(writeup: Writeup, raw: dict, numbers: dict[str, int]) -> None:
    """The bundle's history continues this one: its text, status and publishing become current."""
    writeup.body = values.text(raw.get("body"), _l("a write-up"), 100_000)
    writeup.status = values.choice(
        raw.get("status", "draft"), WriteupStatus, _l("a write-up's status")
    )
    writeup.show_citations = values.flag(
        raw.get("show_citations", True), _l("a write-up's citations")
    )
    published = raw.get("published_revision")
    writeup.published_revision = numbers.get(published) if published else None
    writeup.published_at = values.moment(
        raw.get("published_at"), _l("when a write-up was published")
    )
    if writeup.published_revision is None:
        writeup.status, writeup.published_at = WriteupStatus.DRAFT, None
    writeup.updated_at = utcnow()


def _known_notes(writeup: Writeup, raw: dict, notes: dict) -> None:
    """The notes the draft has accounted for, on either machine."""
    known = list(writeup.known_note_ids or [])
    for key in values.items(raw.get("known_notes"), _l("a write-up's notes")):
        note = notes.get(key)
        if note is not None and note.id not in known:
            known.append(note.id)
    if known != list(writeup.known_note_ids or []):
        writeup.known_note_ids = known
