"""The plenary report-out: an event wall at a secret address that shows, theme by theme, each
theme's headings, its most-voted notes and its actions, steered by an organiser or paced by itself.

Where it stands is ``Event.plenary_view``: the theme shown since a moment, and how many seconds
each theme stays when it paces itself. Every page works out the theme shown now from that, so
several screens agree without the server ticking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import Event, Note, NoteKind, Phase, Theme, utcnow
from ..payloads import iso
from . import codes, writeups
from .errors import require

#: How many of a theme's most-voted notes the plenary shows.
TOP_NOTES = 5
#: The longest a theme may stay when the wall paces itself (an hour); 0 turns pacing off.
MAX_SECONDS = 3600


@dataclass
class Slide:
    """One theme as the plenary shows it; only visible notes, never hidden, pending or merged."""

    theme: Theme
    headings: list[str] = field(default_factory=list)
    top_notes: list[Note] = field(default_factory=list)
    actions: list[Note] = field(default_factory=list)


def find_by_token(token: str) -> Event | None:
    if not codes.looks_like_wall_token(token):
        return None
    return db.session.scalar(select(Event).where(Event.plenary_token == token))


def shown_themes(event: Event) -> list[Theme]:
    """The themes the report-out goes through: every one that has started, in the event's order."""
    return [theme for theme in event.themes if theme.phase is not Phase.DRAFT]


def _visible(theme_id: int):
    return select(Note).where(Note.theme_id == theme_id, Note.is_public)


def slide_of(theme: Theme) -> Slide:
    top = db.session.scalars(
        _visible(theme.id)
        .where(Note.votes > 0)
        .order_by(Note.votes.desc(), Note.people.desc(), Note.id)
        .limit(TOP_NOTES)
    )
    actions = db.session.scalars(
        _visible(theme.id).where(Note.kind == NoteKind.ACTION).order_by(Note.votes.desc(), Note.id)
    )
    return Slide(theme, [c.title for c in theme.clusters], list(top), list(actions))


def slides(event: Event) -> list[Slide]:
    return [slide_of(theme) for theme in shown_themes(event)]


def any_published(event: Event) -> bool:
    """Whether the event's public report page has something to read."""
    found = writeups.writeups_by_theme([theme.id for theme in event.themes])
    return any(w.is_published for w in found.values())


def view_of(event: Event) -> dict:
    """PLENARY: ``{"theme_id", "seconds", "since", "theme_ids"}``, the themes in their order."""
    view = event.plenary_view or {}
    ids = [theme.id for theme in shown_themes(event)]
    theme_id = view.get("theme_id") if view.get("theme_id") in ids else (ids[0] if ids else None)
    return {
        "theme_id": theme_id,
        "seconds": int(view.get("seconds") or 0),
        "since": view.get("since") or iso(event.created_at),
        "theme_ids": ids,
    }


def current_theme_id(view: dict, now: datetime) -> int | None:
    """The theme shown at ``now``: the chosen one, moved on by the time passed when paced."""
    ids, chosen = view["theme_ids"], view["theme_id"]
    if chosen is None:
        return None
    index = ids.index(chosen)
    if view["seconds"] > 0:
        passed = (now - datetime.fromisoformat(view["since"])).total_seconds()
        index = (index + max(0, int(passed // view["seconds"]))) % len(ids)
    return ids[index]


def steer(event: Event, *, step: object = None, theme_id: object = None, seconds=None) -> dict:
    """Show another theme (``step`` ±1 from the one shown now, or one ``theme_id``), or set how
    many seconds each theme stays (0: only the organiser moves it on). Returns the new view."""
    view = view_of(event)
    require(bool(view["theme_ids"]), "invalid", _l("No theme has started yet: open one first."))
    now = utcnow()
    shown = current_theme_id(view, now)
    if theme_id is not None:
        require(
            theme_id in view["theme_ids"], "not_found", _l("That theme is not in the report-out.")
        )
        shown = theme_id
    elif step is not None:
        require(step in (-1, 1), "invalid", _l("Move one theme at a time."))
        ids = view["theme_ids"]
        shown = ids[(ids.index(shown) + step) % len(ids)]
    if seconds is not None:
        valid = isinstance(seconds, int) and not isinstance(seconds, bool)
        require(
            valid and 0 <= seconds <= MAX_SECONDS,
            "invalid",
            _l(
                "Give the seconds per theme as a whole number from 0 to %(most)s.",
                most=MAX_SECONDS,
            ),
        )
        view["seconds"] = seconds
    with write_transaction():
        event.plenary_view = {"theme_id": shown, "seconds": view["seconds"], "since": iso(now)}
    return view_of(event)
