"""A theme's phase (open, closed) and its shared countdown, which may close it when it ends."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import Phase, Theme, utcnow
from .changes import theme_changed, watching
from .errors import ServiceError, require
from .themes import MAX_TIMER_MINUTES


def set_phase(theme: Theme, phase: Phase | str) -> Theme:
    """Open or close a theme. Closing refuses new notes; opening again is allowed."""
    try:
        phase = Phase(phase)
    except ValueError:
        raise ServiceError("invalid", _("A theme can be opened or closed.")) from None
    require(
        phase is not Phase.DRAFT,
        "invalid",
        _l("A theme that has started cannot go back to “not started”."),
    )
    with write_transaction():
        if theme.phase is not phase:
            theme.phase = phase
            theme.closed_by_timer = False  # a facilitator's close is final at once
            now = utcnow()
            if phase is Phase.OPEN:
                theme.opened_at = theme.opened_at or now
                theme.closed_at = None
            else:
                theme.closed_at = now
                theme.timer_ends_at = None
            theme_changed(theme)
    return theme


def start_timer(theme: Theme, seconds: int, closes_theme: bool = True) -> Theme:
    """Start (or restart) the shared countdown; optionally close the theme when it ends."""
    require(
        isinstance(seconds, int) and 1 <= seconds <= MAX_TIMER_MINUTES * 60,
        "invalid",
        _l("Set the timer from 1 second to %(minutes)s minutes.", minutes=MAX_TIMER_MINUTES),
    )
    with write_transaction():
        theme.timer_ends_at = utcnow() + timedelta(seconds=seconds)
        theme.timer_closes = bool(closes_theme)
        theme.timer_advances = False
        theme_changed(theme)
    return theme


def stop_timer(theme: Theme) -> Theme:
    with write_transaction(), watching(theme):
        theme.timer_ends_at = None
        theme.timer_closes = theme.timer_advances = False
    return theme


def close_expired_timers() -> list[Theme]:
    """Close every open theme whose timer said to close it and has run out; return them."""
    now = utcnow()
    due = select(Theme.id).where(
        Theme.phase == Phase.OPEN, Theme.timer_closes.is_(True), Theme.timer_ends_at <= now
    )
    if not db.session.scalars(due).first():
        return []
    closed = []
    with write_transaction():
        for theme in db.session.scalars(select(Theme).where(Theme.id.in_(due))):
            theme.phase, theme.closed_at, theme.closed_by_timer = Phase.CLOSED, now, True
            theme.timer_ends_at, theme.timer_closes = None, False
            theme_changed(theme)
            closed.append(theme)
    return closed
