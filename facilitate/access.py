"""Who may open what: the records a page works on, loaded for the signed-in person, or a 404 or
403. Every blueprint takes them from here."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from .extensions import db
from .models import Event, Theme
from .services import events, themes


def find_event(slug: str) -> Event:
    """The event at ``slug``, for anyone (its public pages); 404 when there is none."""
    return events.find_by_slug(slug) or abort(404)


def load_event(slug: str) -> Event:
    """The event at ``slug``, for one of its organisers; 404 or 403 otherwise."""
    event = find_event(slug)
    if not themes.can_organise(current_user, event):
        abort(403)
    return event


def load_theme(theme_id: int) -> Theme:
    """A theme, for an organiser of its event."""
    theme = db.session.get(Theme, theme_id) or abort(404)
    if not themes.can_organise(current_user, theme.event):
        abort(403)
    return theme


def load_led_theme(theme_id: int) -> Theme:
    """A theme the signed-in person leads (its facilitators and the event's organisers)."""
    theme = db.session.get(Theme, theme_id) or abort(404)
    if not themes.can_lead(current_user, theme):
        abort(403)
    return theme
