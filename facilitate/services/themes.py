"""Themes: the break-outs of an event, their settings, phase and timer."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..database import write_transaction
from ..extensions import db
from ..models import Event, Note, Phase, Theme, User, utcnow
from . import audience, codes
from .changes import watching
from .errors import ServiceError, require
from .notes import lock_theme

MAX_VOTES = 50
MIN_NOTE_LENGTH = 20
MAX_TIMER_MINUTES = 240


@dataclass
class ThemeSettings:
    """What the facilitator can set for a theme (the defaults in config.py unless said otherwise)."""

    names_required: bool = False
    approval_required: bool = False
    votes_per_participant: int = 5
    note_max_length: int = 500
    votes_hidden: bool = False
    notes_private: bool = False

    def check(self) -> ThemeSettings:
        ceiling = current_app.config["NOTE_LENGTH_CEILING"]
        require(
            isinstance(self.votes_per_participant, int)
            and 0 <= self.votes_per_participant <= MAX_VOTES,
            "invalid",
            _l(
                "Votes per participant must be a whole number from 0 to %(most)s.",
                most=MAX_VOTES,
            ),
            field="votes_per_participant",
        )
        require(
            isinstance(self.note_max_length, int)
            and MIN_NOTE_LENGTH <= self.note_max_length <= ceiling,
            "invalid",
            _l(
                "The note length limit must be from %(least)s to %(most)s characters.",
                least=MIN_NOTE_LENGTH,
                most=ceiling,
            ),
            field="note_max_length",
        )
        return self

    def changed(self, payload: dict) -> ThemeSettings:
        """These settings with the fields ``payload`` names replaced; an unknown key is refused,
        so that a client of another version learns that its setting was not taken."""
        known = {field.name for field in fields(self)}
        unknown = sorted(str(key) for key in payload if key not in known)
        require(
            not unknown,
            "invalid",
            _l(
                "Unknown setting: %(unknown)s. Known settings: %(known)s.",
                unknown=", ".join(unknown),
                known=", ".join(sorted(known)),
            ),
        )
        for key in ("names_required", "approval_required", "votes_hidden", "notes_private"):
            require(
                isinstance(payload.get(key, False), bool),
                "invalid",
                _l("%(key)s must be true or false.", key=key),
            )
        return replace(self, **payload)

    @classmethod
    def of(cls, theme: Theme) -> ThemeSettings:
        return cls(
            theme.names_required,
            theme.approval_required,
            theme.votes_per_participant,
            theme.note_max_length,
            theme.votes_hidden,
            theme.notes_private,
        )


def _check_text(title: str, prompt: str | None) -> tuple[str, str]:
    title = (title or "").strip()
    prompt = (prompt or "").strip()
    require(bool(title), "invalid", _l("Give the theme a title."), field="title")
    require(len(title) <= 200, "invalid", _l("Keep the title under 200 characters."), field="title")
    require(
        len(prompt) <= 1000,
        "invalid",
        _l("Keep the question under 1,000 characters."),
        field="prompt",
    )
    return title, prompt


def _unused_join_code() -> str:
    for _attempt in range(100):
        code = codes.new_join_code()
        if db.session.scalar(select(Theme.id).where(Theme.join_code == code)) is None:
            return code
    raise ServiceError("unavailable", _("Could not find a free join code; try again."))


def _check_facilitators(facilitators: list[User]) -> list[User]:
    return list(dict.fromkeys(facilitators))


def create_theme(
    event: Event,
    title: str,
    prompt: str = "",
    facilitators: list[User] | None = None,
    settings: ThemeSettings | None = None,
) -> Theme:
    """Add a theme at the end of the event, in ``draft``, with a fresh join code and wall token."""
    title, prompt = _check_text(title, prompt)
    settings = (settings or default_settings()).check()
    with write_transaction():
        position = db.session.scalar(
            select(func.coalesce(func.max(Theme.position) + 1, 0)).where(Theme.event_id == event.id)
        )
        theme = Theme(
            event=event,
            position=position,
            title=title,
            prompt=prompt,
            join_code=_unused_join_code(),
            wall_token=codes.new_wall_token(),
            phase=Phase.DRAFT,
            facilitators=_check_facilitators(facilitators or []),
            **vars(settings),
        )
        db.session.add(theme)
    return theme


def default_settings() -> ThemeSettings:
    config = current_app.config
    return ThemeSettings(
        votes_per_participant=config["THEME_DEFAULT_VOTES"],
        note_max_length=config["THEME_DEFAULT_NOTE_LENGTH"],
    )


def update_theme(
    theme: Theme, title: str, prompt: str, facilitators: list[User], settings: ThemeSettings
) -> Theme:
    """Change a theme's words, facilitators and settings."""
    title, prompt = _check_text(title, prompt)
    settings.check()
    with write_transaction(), watching(theme):
        theme.title, theme.prompt = title, prompt
        theme.facilitators = _check_facilitators(facilitators)
        _apply(theme, settings)
    return theme


def update_settings(theme: Theme, settings: ThemeSettings) -> Theme:
    """Change only the settings (the console's settings panel)."""
    settings.check()
    with write_transaction(), watching(theme):
        _apply(theme, settings)
    return theme


def _apply(theme: Theme, settings: ThemeSettings) -> None:
    """Set the settings; when what phones and walls may see changes (the votes or the notes are
    revealed or withheld), every visible note takes a new number so that pages fetch it anew."""
    reveals = (settings.votes_hidden, settings.notes_private) != (
        theme.votes_hidden,
        theme.notes_private,
    )
    if reveals:
        lock_theme(theme.id)  # the new numbers follow every note already stored
    for name, value in vars(settings).items():
        setattr(theme, name, value)
    if reveals:
        audience.restamp_visible_notes(theme)


def delete_theme(theme: Theme) -> None:
    """Delete a theme with its notes and write-up, and close the gap in the order."""
    with write_transaction():
        event_id, position = theme.event_id, theme.position
        db.session.delete(theme)
        db.session.flush()
        db.session.execute(
            update(Theme)
            .where(Theme.event_id == event_id, Theme.position > position)
            .values(position=Theme.position - 1)
        )


def move_theme(theme: Theme, offset: int) -> None:
    """Move a theme up (``-1``) or down (``+1``) in its event's order."""
    require(offset in (-1, 1), "invalid", _l("A theme moves one place at a time."))
    with write_transaction():
        siblings = list(theme.event.themes)
        index = siblings.index(theme)
        target = index + offset
        if 0 <= target < len(siblings):
            siblings[index], siblings[target] = siblings[target], siblings[index]
            for position, sibling in enumerate(siblings):
                sibling.position = position


def regenerate_wall_token(theme: Theme) -> Theme:
    """Give the wall a new secret address; the old one stops working at once."""
    with write_transaction():
        theme.wall_token = codes.new_wall_token()
    return theme


def find_by_join_code(typed: str) -> Theme | None:
    """The theme a typed join code names, unless it was closed too long ago."""
    code = codes.normalise_join_code(typed)
    if not code:
        return None
    theme = db.session.scalar(
        select(Theme).where(Theme.join_code == code).options(joinedload(Theme.event))
    )
    if theme is None:
        return None
    expires_after = current_app.config["JOIN_CODE_EXPIRES_AFTER"]
    if (
        theme.phase is Phase.CLOSED
        and theme.closed_at
        and utcnow() - theme.closed_at > expires_after
    ):
        return None
    return theme


def find_by_wall_token(token: str) -> Theme | None:
    if not codes.looks_like_wall_token(token):
        return None
    return db.session.scalar(select(Theme).where(Theme.wall_token == token))


def note_count(theme: Theme) -> int:
    return db.session.scalar(select(func.count(Note.id)).where(Note.theme_id == theme.id)) or 0


def themes_led_by(user: User) -> list[Theme]:
    """The themes a facilitator leads, newest event first."""
    return list(
        db.session.scalars(
            select(Theme)
            .join(Event)
            .where(Theme.facilitators.contains(user))
            .order_by(Event.date.desc(), Event.id.desc(), Theme.position)
        )
    )


def can_lead(user: User, theme: Theme) -> bool:
    """Whether a signed-in user may run a theme: its facilitators, and the event's organisers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user in theme.facilitators or user in theme.event.organisers


def can_organise(user: User, event: Event) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user in event.organisers)
