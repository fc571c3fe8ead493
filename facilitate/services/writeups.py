"""Write-ups: compiling a draft from the notes, saving (and autosaving) edits, revisions, restoring,
inserting notes that arrived later, publishing and taking back.

Every change runs in one write transaction holding the theme's lock, so two facilitators saving at
once queue instead of losing a revision. A revision is never changed, with one exception that keeps
history readable: an autosave refreshes the previous revision when that was an autosave by the same
person less than ``AUTOSAVE_WINDOW`` ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..database import write_transaction
from ..exports.report import ReportNote, ReportTheme, build_report
from ..extensions import db
from ..models import Theme, User, Writeup, WriteupRevision, WriteupStatus, utcnow
from ..writeups import draft
from .errors import ServiceError, require
from .notes import lock_theme

AUTOSAVE_WINDOW = timedelta(minutes=5)
MAX_LENGTH = 100_000
AUTOSAVED = "autosaved"
COMPILED = "compiled"


@dataclass(frozen=True)
class CompileOutcome:
    """What "Compile draft" did: rewrote the draft from the notes, or kept the edits and counted
    the notes that could be inserted."""

    writeup: Writeup
    replaced: bool
    new_notes: int = 0


def writeup_of(theme: Theme) -> Writeup | None:
    return db.session.scalar(select(Writeup).where(Writeup.theme_id == theme.id))


def theme_report(theme: Theme) -> ReportTheme:
    """The theme as every export sees it: its clusters and exported notes, in order."""
    return build_report(theme.event, [theme.id]).themes[0]


def compile_writeup(theme: Theme) -> str:
    """The Markdown draft of a theme, made from its clusters and exported notes."""
    return draft.compose(theme_report(theme), theme.event.title)


def _locked_writeup(theme: Theme) -> Writeup:
    """Inside a write transaction: the theme locked, and its write-up (made if missing)."""
    lock_theme(theme.id)
    writeup = db.session.scalar(
        select(Writeup)
        .where(Writeup.theme_id == theme.id)
        .execution_options(populate_existing=True)
    )
    if writeup is None:
        writeup = Writeup(theme_id=theme.id, body="", known_note_ids=[])
        db.session.add(writeup)
        db.session.flush()
    return writeup


def latest_revision(writeup: Writeup) -> WriteupRevision | None:
    return db.session.scalar(
        select(WriteupRevision)
        .where(WriteupRevision.writeup_id == writeup.id)
        .order_by(WriteupRevision.number.desc())
        .limit(1)
    )


def _add_revision(writeup: Writeup, body: str, author: User | None, reason: str) -> WriteupRevision:
    number = (
        db.session.scalar(
            select(func.max(WriteupRevision.number)).where(WriteupRevision.writeup_id == writeup.id)
        )
        or 0
    ) + 1
    now = utcnow()
    revision = WriteupRevision(
        writeup_id=writeup.id,
        number=number,
        body=body,
        author_id=author.id if author else None,
        reason=reason,
        created_at=now,
        updated_at=now,
    )
    db.session.add(revision)
    writeup.body, writeup.updated_at = body, now
    return revision


def is_edited(writeup: Writeup | None) -> bool:
    """Whether the body holds anything the latest compiled draft did not."""
    if writeup is None or not writeup.body.strip():
        return False
    compiled = db.session.scalar(
        select(WriteupRevision.body)
        .where(WriteupRevision.writeup_id == writeup.id, WriteupRevision.reason == COMPILED)
        .order_by(WriteupRevision.number.desc())
        .limit(1)
    )
    return writeup.body != compiled


def compile_draft(theme: Theme, author: User | None, *, replace: bool = False) -> CompileOutcome:
    """Write the draft from the notes. An edited draft is never overwritten unless ``replace``
    says so (its text stays in the revisions either way); instead the outcome counts the notes
    that "Insert new notes" would add."""
    existing = writeup_of(theme)
    if is_edited(existing) and not replace:
        return CompileOutcome(existing, False, len(new_notes_since_compile(existing)))
    report = theme_report(theme)
    body = draft.compose(report, theme.event.title)
    with write_transaction():
        writeup = _locked_writeup(theme)
        if writeup.body != body or latest_revision(writeup) is None:
            _add_revision(writeup, body, author, COMPILED)
        writeup.known_note_ids = [note.id for note in report.notes]
        writeup.compiled_seq = theme.seq
    return CompileOutcome(writeup, True)


def check_body(body: object) -> str:
    require(isinstance(body, str), "invalid", _l("The write-up must be text."))
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    require(
        len(body) <= MAX_LENGTH,
        "too_long",
        _l(
            "A write-up can be up to %(limit)s characters; this one has %(count)s.",
            limit=f"{MAX_LENGTH:,}",
            count=f"{len(body):,}",
        ),
    )
    return body


def save_writeup(
    theme: Theme,
    body: object,
    author: User | None,
    *,
    autosave: bool = False,
    base_revision: int | None = None,
) -> Writeup:
    """Save the facilitator's text as a new revision (or refresh their recent autosave).

    ``base_revision`` is the revision the editor started from: when someone else saved since,
    the save is refused with ``conflict`` so that neither text is silently lost.
    """
    body = check_body(body)
    with write_transaction():
        writeup = _locked_writeup(theme)
        latest = latest_revision(writeup)
        if base_revision is not None and latest is not None and latest.number != base_revision:
            raise ServiceError(
                "conflict",
                _(
                    "Someone saved a newer version (revision %(number)s) while you were "
                    "writing. Your text is still here: keep it, or reload to see theirs.",
                    number=latest.number,
                ),
            )
        if latest is not None and body == writeup.body:
            return writeup
        if autosave and _can_refresh(latest, author):
            latest.body, latest.updated_at = body, utcnow()
            writeup.body, writeup.updated_at = body, latest.updated_at
        else:
            _add_revision(writeup, body, author, AUTOSAVED if autosave else "edited")
    return writeup


def _can_refresh(latest: WriteupRevision | None, author: User | None) -> bool:
    return (
        latest is not None
        and latest.reason == AUTOSAVED
        and author is not None
        and latest.author_id == author.id
        and utcnow() - latest.created_at < AUTOSAVE_WINDOW
    )


def new_notes_since_compile(
    writeup: Writeup | None, theme: Theme | None = None, report: ReportTheme | None = None
) -> list[ReportNote]:
    """Exported notes the draft has not accounted for yet, in the report's order (of ``report``,
    the theme's, when the caller has built it already)."""
    theme = theme or writeup.theme
    known = set(writeup.known_note_ids or []) if writeup else set()
    report = report or theme_report(theme)
    order = [n for c in report.clusters for n in c.notes] + report.unclustered
    return [note for note in order if note.id not in known]


def insert_new_notes(theme: Theme, author: User | None) -> Writeup:
    """Append the notes that arrived after the draft was compiled, grouped by cluster, to the
    end of the draft, and remember them."""
    writeup = writeup_of(theme)
    fresh = new_notes_since_compile(writeup, theme)
    require(bool(fresh), "invalid", _l("There are no new notes to insert."))
    block = draft.new_notes_section(theme_report(theme), fresh)
    with write_transaction():
        writeup = _locked_writeup(theme)
        body = writeup.body.rstrip() + "\n\n" + block if writeup.body.strip() else block
        _add_revision(writeup, body, author, "inserted notes")
        writeup.known_note_ids = [*writeup.known_note_ids, *(note.id for note in fresh)]
    return writeup


def set_aside_new_notes(theme: Theme) -> Writeup:
    """Stop offering the current new notes, without inserting them."""
    writeup = writeup_of(theme)
    fresh = new_notes_since_compile(writeup, theme)
    with write_transaction():
        writeup = _locked_writeup(theme)
        writeup.known_note_ids = [*writeup.known_note_ids, *(note.id for note in fresh)]
    return writeup


def get_revision(writeup: Writeup, number: object) -> WriteupRevision:
    require(
        isinstance(number, int) and not isinstance(number, bool),
        "invalid",
        _l("That is not a revision number."),
    )
    revision = db.session.scalar(
        select(WriteupRevision).where(
            WriteupRevision.writeup_id == writeup.id, WriteupRevision.number == number
        )
    )
    require(revision is not None, "not_found", _l("That revision does not exist."))
    return revision


def restore_revision(theme: Theme, number: object, author: User | None) -> Writeup:
    """Make an old revision's text the current one, as a new revision (nothing is lost)."""
    writeup = writeup_of(theme)
    require(writeup is not None, "not_found", _l("This theme has no write-up yet."))
    revision = get_revision(writeup, number)
    with write_transaction():
        writeup = _locked_writeup(theme)
        _add_revision(writeup, revision.body, author, f"restored {revision.number}")
    return writeup


def publish_writeup(theme: Theme, author: User | None, *, show_citations: bool = True) -> Writeup:
    """Publish the current text: it appears on the public pages and in reports as published.
    Later edits wait in the draft until it is published again."""
    writeup = writeup_of(theme)
    require(
        writeup is not None and bool(writeup.body.strip()),
        "empty",
        _l("Write the write-up before you publish it."),
    )
    with write_transaction():
        writeup = _locked_writeup(theme)
        revision = _add_revision(writeup, writeup.body, author, "published")
        writeup.status = WriteupStatus.PUBLISHED
        writeup.published_revision = revision.number
        writeup.published_at = revision.created_at
        writeup.show_citations = bool(show_citations)
    return writeup


def unpublish_writeup(theme: Theme, author: User | None) -> Writeup:
    """Take the write-up back to draft: the public pages stop showing it."""
    writeup = writeup_of(theme)
    require(
        writeup is not None and writeup.is_published,
        "invalid",
        _l("This write-up is not published."),
    )
    with write_transaction():
        writeup = _locked_writeup(theme)
        _add_revision(writeup, writeup.body, author, "back to draft")
        writeup.status = WriteupStatus.DRAFT
        writeup.published_revision = None
        writeup.published_at = None
    return writeup


def published_body(writeup: Writeup) -> str:
    """The text readers see: the published revision's."""
    if writeup.published_revision is None:
        return writeup.body
    return get_revision(writeup, writeup.published_revision).body


def has_unpublished_changes(writeup: Writeup | None) -> bool:
    return bool(writeup and writeup.is_published and published_body(writeup) != writeup.body)


def writeups_by_theme(theme_ids: list[int]) -> dict[int, Writeup]:
    """The write-ups of several themes, in one query (for the event page)."""
    rows = db.session.scalars(select(Writeup).where(Writeup.theme_id.in_(theme_ids)))
    return {writeup.theme_id: writeup for writeup in rows}
