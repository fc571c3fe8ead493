"""Events: create, edit, delete, and who organises them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..database import write_transaction
from ..extensions import db
from ..models import Event, Note, Theme, User
from .errors import require


def slugify(text: str) -> str:
    """``Best by West Midlands launch`` → ``best-by-west-midlands-launch``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "event"


def _unique_slug(title: str) -> str:
    base = slugify(title)
    taken = set(db.session.scalars(select(Event.slug).where(Event.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


#: The zone of a new event unless its organiser says otherwise.
DEFAULT_TIME_ZONE = "Europe/London"


def check_time_zone(value: object) -> str:
    """An IANA time zone name (``Europe/London``), as the report's times are given in it."""
    zone = value.strip() if isinstance(value, str) else ""
    require(
        zone in available_timezones(),
        "invalid",
        _l("Give the time zone as a place, such as Europe/London or Europe/Dublin."),
        field="time_zone",
    )
    return zone


def check_language(value: object) -> str:
    """``en`` or ``cy``: the language the event's walls, plenary and report speak."""
    from ..i18n import offered

    language = offered(value)
    require(
        language is not None,
        "invalid",
        _l("Choose the event's language: en (English) or cy (Welsh)."),
        field="language",
    )
    return language


def _check(title: str, venue: str | None) -> tuple[str, str | None]:
    title = (title or "").strip()
    venue = (venue or "").strip() or None
    require(bool(title), "invalid", _l("Give the event a title."), field="title")
    require(len(title) <= 200, "invalid", _l("Keep the title under 200 characters."), field="title")
    require(
        venue is None or len(venue) <= 200,
        "invalid",
        _l("Keep the venue under 200 characters."),
        field="venue",
    )
    return title, venue


def create_event(
    organiser: User | None,
    title: str,
    date_: date | None = None,
    venue: str | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
    language: str = "en",
) -> Event:
    """Create an event; the organiser who creates it organises it."""
    title, venue = _check(title, venue)
    time_zone = check_time_zone(time_zone)
    language = check_language(language)
    with write_transaction():
        event = Event(
            slug=_unique_slug(title),
            title=title,
            date=date_,
            venue=venue,
            time_zone=time_zone,
            language=language,
        )
        if organiser is not None:
            event.organisers.append(organiser)
        db.session.add(event)
    return event


def update_event(
    event: Event,
    title: str,
    date_: date | None,
    venue: str | None,
    time_zone: str | None = None,
    language: str | None = None,
) -> Event:
    title, venue = _check(title, venue)
    time_zone = check_time_zone(time_zone) if time_zone is not None else event.time_zone
    language = check_language(language) if language is not None else event.language
    with write_transaction():
        event.title, event.date, event.venue = title, date_, venue
        event.time_zone, event.language = time_zone, language
    return event


def delete_event(event: Event) -> None:
    """Delete an event with its themes, notes and write-ups."""
    with write_transaction():
        db.session.delete(event)


def find_by_slug(slug: str) -> Event | None:
    """The event at this address (``/e/<slug>``, ``/r/<slug>``, ``facilitate export <slug>``)."""
    return db.session.scalar(select(Event).where(Event.slug == slug))


def note_count(event: Event) -> int:
    """Notes held by the event's themes (deleted ones included): what deleting it would lose."""
    return (
        db.session.scalar(
            select(func.count(Note.id))
            .join(Theme, Theme.id == Note.theme_id)
            .where(Theme.event_id == event.id)
        )
        or 0
    )


def events_for(user: User) -> list[Event]:
    """The events an organiser organises, newest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.organisers.contains(user))
            .order_by(Event.date.desc(), Event.id.desc())
        )
    )
