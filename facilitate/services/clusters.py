"""Clusters: the headings that group a theme's notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..database import write_transaction
from ..extensions import db
from ..models import Cluster, Note, Theme
from .changes import NoteChange, clusters_changed, note_changed
from .errors import require
from .notes import get_note, lock_theme, stamp
from .text import clean_line

MAX_CLUSTERS = 30


def _check_title(title: object) -> str:
    require(isinstance(title, str), "invalid", _l("A heading must be text."))
    title = clean_line(title)
    require(bool(title), "empty", _l("Give the heading a name."))
    require(len(title) <= 120, "too_long", _l("Keep headings under 120 characters."))
    return title


def get_cluster(cluster_id: object, theme_id: int) -> Cluster:
    require(
        isinstance(cluster_id, int) and not isinstance(cluster_id, bool),
        "invalid",
        _l("That is not a heading id."),
    )
    cluster = db.session.get(Cluster, cluster_id)
    require(
        cluster is not None and cluster.theme_id == theme_id,
        "not_found",
        _l("That heading is no longer here."),
    )
    return cluster


def add_cluster(theme: Theme, title: object) -> Cluster:
    """Add a heading after the others."""
    title = _check_title(title)
    with write_transaction():
        lock_theme(theme.id)
        count = db.session.scalar(
            select(func.count(Cluster.id)).where(Cluster.theme_id == theme.id)
        )
        require(
            count < MAX_CLUSTERS,
            "invalid",
            _l("A theme can have up to %(count)s headings.", count=MAX_CLUSTERS),
        )
        cluster = Cluster(theme_id=theme.id, title=title, position=count)
        db.session.add(cluster)
        clusters_changed(theme)
    return cluster


def rename_cluster(cluster_id: object, theme: Theme, title: object) -> Cluster:
    cluster = get_cluster(cluster_id, theme.id)
    title = _check_title(title)
    with write_transaction():
        if cluster.title != title:
            cluster.title = title
            clusters_changed(theme)
    return cluster


def delete_cluster(cluster_id: object, theme: Theme) -> list[NoteChange]:
    """Remove a heading; its notes go back to the unsorted ones, none is lost."""
    cluster = get_cluster(cluster_id, theme.id)
    with write_transaction():
        locked = lock_theme(theme.id)
        clusters_changed(theme)
        changes = []
        for note in db.session.scalars(select(Note).where(Note.cluster_id == cluster.id)):
            note.cluster_id = None
            stamp(locked, note)
            changes.append(note_changed(NoteChange(note, note.is_public)))
        db.session.delete(cluster)
        db.session.flush()
        for position, remaining in enumerate(_clusters(theme.id)):
            remaining.position = position
    return changes


def reorder_clusters(theme: Theme, cluster_ids: object) -> list[Cluster]:
    """Put the headings in the given order (every heading of the theme, once)."""
    require(isinstance(cluster_ids, list), "invalid", _l("Give the headings in their new order."))
    with write_transaction():
        lock_theme(theme.id)
        clusters = {cluster.id: cluster for cluster in _clusters(theme.id)}
        before = list(clusters)  # in their old order
        require(
            all(isinstance(i, int) and not isinstance(i, bool) for i in cluster_ids)
            and sorted(cluster_ids) == sorted(clusters),
            "invalid",
            _l("The order must list every heading of the theme once."),
        )
        for position, cluster_id in enumerate(cluster_ids):
            clusters[cluster_id].position = position
        if cluster_ids != before:
            clusters_changed(theme)
    return _clusters(theme.id)


def move_note(note_id: object, theme: Theme, cluster_id: object) -> NoteChange:
    """Put a note under a cluster heading, or back among the unsorted ones (``None``)."""
    note = get_note(note_id, theme.id)
    if cluster_id is not None:
        get_cluster(cluster_id, theme.id)
    with write_transaction():
        locked = lock_theme(theme.id)
        was_public = note.is_public
        if note.cluster_id != cluster_id:
            note.cluster_id = cluster_id
            stamp(locked, note)
            note_changed(NoteChange(note, was_public))
    return NoteChange(note, was_public)


def _clusters(theme_id: int) -> list[Cluster]:
    return list(
        db.session.scalars(
            select(Cluster)
            .where(Cluster.theme_id == theme_id)
            .order_by(Cluster.position, Cluster.id)
        )
    )


def clusters_of(theme: Theme) -> list[Cluster]:
    return _clusters(theme.id)
