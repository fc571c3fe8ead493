"""The organiser's live overview of an event: one row per theme with its phase, notes, pending
approvals and timer. The realtime layer adds how many people are in each theme."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, Note, NoteStatus, Theme
from ..payloads import iso
from . import themes
from .errors import require


def organised_event(event_id: object, user) -> Event:
    """The event ``user`` organises, checked when an overview connects; refused otherwise."""
    is_id = isinstance(event_id, int) and not isinstance(event_id, bool)
    event = db.session.get(Event, event_id) if is_id else None
    require(event is not None, "not_found", _l("This event no longer exists."))
    require(
        themes.can_organise(user, event), "forbidden", _l("Only the event's organisers see this.")
    )
    return event


def _counts(theme_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per theme: visible notes and notes waiting for approval, in one query."""
    if not theme_ids:
        return {}
    pending = Note.status == NoteStatus.PENDING
    rows = db.session.execute(
        select(
            Note.theme_id,
            func.count(Note.id).filter(Note.is_public),
            func.count(Note.id).filter(pending, Note.deleted_at.is_(None)),
        )
        .where(Note.theme_id.in_(theme_ids))
        .group_by(Note.theme_id)
    )
    return {theme_id: (int(shown), int(waiting)) for theme_id, shown, waiting in rows}


def _row(theme: Theme, counts: tuple[int, int]) -> dict:
    return {
        "id": theme.id,
        "event_id": theme.event_id,
        "title": theme.title,
        "phase": theme.phase.value,
        "phase_label": theme.phase.label,
        "code": theme.join_code,
        "notes": counts[0],
        "pending": counts[1],
        "timer": {"ends_at": iso(theme.timer_ends_at), "closes_theme": theme.timer_closes},
        "console_url": f"/themes/{theme.id}/console",
        "wall_url": f"/wall/{theme.wall_token}",
    }


def theme_rows(event: Event) -> list[dict]:
    """Every theme of the event, in its order, as the overview shows it."""
    counts = _counts([theme.id for theme in event.themes])
    return [_row(theme, counts.get(theme.id, (0, 0))) for theme in event.themes]


def changed_rows(theme_ids: list[int]) -> list[dict]:
    """The rows of these themes, read anew in two queries (themes that have gone are left out):
    what one flush of the overview sends, however many themes changed."""
    db.session.commit()  # a fresh read: the rows report what is committed now
    found = db.session.scalars(
        select(Theme).where(Theme.id.in_(theme_ids)).execution_options(populate_existing=True)
    ).all()
    counts = _counts([theme.id for theme in found])
    return [_row(theme, counts.get(theme.id, (0, 0))) for theme in found]
