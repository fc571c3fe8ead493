"""The facilitation sequence: write in silence, reveal the notes, vote with hidden counts, reveal
the votes, discuss. Each step is one control in the console and sets what phones and walls may
see; a step started with a timer moves on to the next one when the timer ends."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import Phase, Theme, utcnow
from .audience import restamp_visible_notes
from .changes import watching
from .errors import require
from .notes import lock_theme
from .themes import MAX_TIMER_MINUTES

#: Each step, in order, with what it withholds: (notes private, vote counts hidden).
STEPS = {
    "write": (True, True),
    "reveal": (False, True),
    "vote": (False, True),
    "results": (False, False),
    "discuss": (False, False),
}


def next_step(step: str | None) -> str | None:
    """The step after ``step``; ``None`` after the last."""
    order = list(STEPS)
    return order[order.index(step) + 1] if step in order[:-1] else None


def start_step(theme: Theme, step: object, seconds: object = None) -> Theme:
    """Move the room to ``step`` (hiding or revealing notes and counts as it says); with
    ``seconds``, start the shared timer, which moves on to the next step when it ends."""
    require(
        isinstance(step, str) and step in STEPS,
        "invalid",
        _l("Choose one of the steps: %(steps)s.", steps=", ".join(STEPS)),
    )
    timed = seconds is not None
    require(
        not timed
        or (
            isinstance(seconds, int)
            and not isinstance(seconds, bool)
            and 1 <= seconds <= MAX_TIMER_MINUTES * 60
        ),
        "invalid",
        _l("Set the step's timer from 1 second to %(minutes)s minutes.", minutes=MAX_TIMER_MINUTES),
    )
    with write_transaction(), watching(theme):
        _enter(lock_theme(theme.id), step)
        if timed:
            theme.timer_ends_at = utcnow() + timedelta(seconds=seconds)
            theme.timer_closes = False
        theme.timer_advances = timed
    return theme


def _enter(theme: Theme, step: str) -> None:
    """Inside a write transaction with the row locked: set the step and what it withholds."""
    private, hidden = STEPS[step]
    changes_audience = (private, hidden) != (theme.notes_private, theme.votes_hidden)
    theme.step, theme.notes_private, theme.votes_hidden = step, private, hidden
    if changes_audience:
        restamp_visible_notes(theme)


def advance_expired_steps() -> list[Theme]:
    """Move every open theme whose step timer has run out on to its next step."""
    due = select(Theme.id).where(
        Theme.phase == Phase.OPEN, Theme.timer_advances.is_(True), Theme.timer_ends_at <= utcnow()
    )
    if not db.session.scalars(due).first():
        return []
    moved = []
    with write_transaction():
        for theme_id in list(db.session.scalars(due)):
            theme = lock_theme(theme_id)
            with watching(theme):
                theme.timer_ends_at, theme.timer_advances = None, False
                following = next_step(theme.step)
                if following:
                    _enter(theme, following)
            moved.append(theme)
    return moved
