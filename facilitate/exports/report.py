"""The one report builder every export format reads, so that the formats can never disagree.

``build_report(event)`` loads an event (or some of its themes) with one query per kind of row —
themes, facilitators, clusters, write-ups, published revisions, notes with their authors, and two
small aggregates — and returns plain frozen data. Only exported notes are loaded: visible, not
deleted, not merged into another (a merged duplicate counts in ``people`` of the note it joined).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import and_, func, select, union
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Cluster,
    Event,
    Note,
    Theme,
    Vote,
    Writeup,
    WriteupRevision,
    WriteupStatus,
)
from ..payloads import note_payload
from ..services.suggesting import hidden_keywords
from ..services.suggestions import Text, telling_terms, term_key
from .report_data import (
    KIND_LABELS,
    Report,
    ReportCluster,
    ReportEvent,
    ReportNote,
    ReportTheme,
    ReportWriteup,
    Stats,
)

__all__ = [
    "KIND_LABELS",
    "Report",
    "ReportCluster",
    "ReportEvent",
    "ReportNote",
    "ReportTheme",
    "ReportWriteup",
    "Stats",
    "build_report",
    "exported",
    "note_order",
]

#: How many keywords a theme's section lists.
REPORT_KEYWORDS = 12


def exported(statement):
    """Restrict a select of notes to those any export or write-up may show."""
    return statement.where(Note.is_public)


def note_order(note: ReportNote) -> tuple:
    """Within a cluster: pinned first, then most votes, most people, oldest."""
    return (not note.pinned, -note.votes, -note.people, note.id)


def build_report(event: Event, theme_ids: Iterable[int] | None = None) -> Report:
    """The report of ``event``, or of the themes ``theme_ids`` of it."""
    themes = _load_themes(event, theme_ids)
    ids = [theme.id for theme in themes]
    writeups = _load_writeups(ids)
    notes = _load_notes(ids)
    participants = _participant_counts(ids)
    built = [
        _theme(theme, number, writeups.get(theme.id), notes.get(theme.id, []), participants)
        for number, theme in enumerate(themes, start=1)
    ]
    report_event = ReportEvent(event.title, event.slug, event.date, event.venue, event.time_zone)
    return Report(
        report_event,
        built,
        _updated_at(event, themes, ids),
        single_theme=theme_ids is not None and len(built) == 1,
    )


def _load_themes(event: Event, theme_ids: Iterable[int] | None) -> list[Theme]:
    statement = (
        select(Theme)
        .where(Theme.event_id == event.id)
        .options(selectinload(Theme.facilitators), selectinload(Theme.clusters))
        .order_by(Theme.position, Theme.id)
    )
    if theme_ids is not None:
        statement = statement.where(Theme.id.in_(list(theme_ids)))
    return list(db.session.scalars(statement))


def _load_writeups(theme_ids: list[int]) -> dict[int, ReportWriteup]:
    writeups = list(db.session.scalars(select(Writeup).where(Writeup.theme_id.in_(theme_ids))))
    published = dict(
        db.session.execute(
            select(WriteupRevision.writeup_id, WriteupRevision.body)
            .join(
                Writeup,
                and_(
                    Writeup.id == WriteupRevision.writeup_id,
                    Writeup.published_revision == WriteupRevision.number,
                ),
            )
            .where(Writeup.theme_id.in_(theme_ids))
        ).all()
    )
    result = {}
    for writeup in writeups:
        body, status = writeup.body, writeup.status.value
        if writeup.status is WriteupStatus.PUBLISHED:
            body = published.get(writeup.id, body)
        elif not body.strip():
            status = None  # opened but never written: no draft to speak of
        result[writeup.theme_id] = ReportWriteup(status, body, writeup.show_citations)
    return result


def _load_notes(theme_ids: list[int]) -> dict[int, list[ReportNote]]:
    statement = exported(select(Note).where(Note.theme_id.in_(theme_ids))).order_by(Note.id)
    by_theme: dict[int, list[ReportNote]] = defaultdict(list)
    for note in db.session.scalars(statement):
        by_theme[note.theme_id].append(
            ReportNote(
                id=note.id,
                kind=note.kind.value,
                text=note.text,
                author=note.author_name,
                votes=note.votes,
                people=note.people,
                pinned=note.pinned,
                cluster_id=note.cluster_id,
                created_at=note.created_at,
                payload=note_payload(note, public=True),
            )
        )
    return by_theme


def _participant_counts(theme_ids: list[int]) -> dict[int, int]:
    """People who posted a note or voted, per theme."""
    posted = select(Note.theme_id, Note.participant_id).where(
        Note.theme_id.in_(theme_ids), Note.participant_id.is_not(None)
    )
    voted = select(Vote.theme_id, Vote.participant_id).where(Vote.theme_id.in_(theme_ids))
    people = union(posted, voted).subquery()
    rows = db.session.execute(
        select(people.c.theme_id, func.count()).group_by(people.c.theme_id)
    ).all()
    return dict(rows)


def _updated_at(event: Event, themes: list[Theme], theme_ids: list[int]) -> datetime:
    latest_note = db.session.scalar(
        select(func.max(Note.updated_at)).where(Note.theme_id.in_(theme_ids))
    )
    latest_writeup = db.session.scalar(
        select(func.max(Writeup.updated_at)).where(Writeup.theme_id.in_(theme_ids))
    )
    moments = [event.updated_at, latest_note, latest_writeup]
    moments += [theme.updated_at for theme in themes]
    moments += [cluster.created_at for theme in themes for cluster in theme.clusters]
    return max(_aware(m) for m in moments if m is not None)


def _aware(moment: datetime) -> datetime:
    """Aggregates skip the column type, so SQLite hands them back as text or naive times."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _theme(
    theme: Theme,
    number: int,
    writeup: ReportWriteup | None,
    notes: list[ReportNote],
    participants: dict[int, int],
) -> ReportTheme:
    grouped: dict[int | None, list[ReportNote]] = defaultdict(list)
    for note in notes:
        grouped[note.cluster_id].append(note)
    clusters = [_cluster(cluster, grouped.get(cluster.id, [])) for cluster in theme.clusters]
    known = {cluster.id for cluster in theme.clusters}
    unclustered = sorted((note for note in notes if note.cluster_id not in known), key=note_order)
    return ReportTheme(
        id=theme.id,
        number=number,
        title=theme.title,
        prompt=theme.prompt,
        phase=theme.phase.value,
        facilitators=[user.name for user in theme.facilitators],
        writeup=writeup or ReportWriteup(None, ""),
        clusters=clusters,
        unclustered=unclustered,
        notes=notes,
        stats=Stats(
            participants=participants.get(theme.id, 0),
            notes=len(notes),
            votes=sum(note.votes for note in notes),
        ),
        keywords=report_keywords(theme, notes),
    )


def report_keywords(theme: Theme, notes: list[ReportNote]) -> tuple[tuple[str, int], ...]:
    """The exported notes' most telling words, as the wall shows them (removed ones left out)."""
    hidden = set(hidden_keywords(theme))
    texts = [Text(note.id, note.text, note.people) for note in notes]
    return tuple((t, n) for t, n in telling_terms(texts) if term_key(t) not in hidden)[
        :REPORT_KEYWORDS
    ]


def _cluster(cluster: Cluster, notes: list[ReportNote]) -> ReportCluster:
    return ReportCluster(cluster.id, cluster.title, sorted(notes, key=note_order))
