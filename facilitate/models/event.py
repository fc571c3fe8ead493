"""An event (the unconference day) and who organises it."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .theme import Theme
    from .user import User

event_organisers = Table(
    "event_organisers",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event's address in URLs and on the command line (``best-by-west-midlands-launch``).
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    date: Mapped[date | None] = mapped_column(Date, nullable=True)
    venue: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: Where the event happens, for the times in its report (an IANA name such as ``Europe/London``).
    time_zone: Mapped[str] = mapped_column(
        String(64), nullable=False, default="Europe/London", server_default="Europe/London"
    )
    #: The event's language (``en`` or ``cy``): its walls, plenary and report speak it, and it is
    #: what a phone gets when its browser asks for neither language.
    language: Mapped[str] = mapped_column(
        String(8), nullable=False, default="en", server_default="en"
    )
    #: The secret in the plenary report-out's address (like a theme's wall token): anyone holding
    #: it sees the plenary wall, nothing more.
    plenary_token: Mapped[str] = mapped_column(
        String(64), unique=True, nullable=False, default=lambda: secrets.token_urlsafe(24)
    )
    #: What the plenary wall shows: ``{"theme_id": ID or None, "seconds": N, "since": ISO}``; with
    #: ``seconds`` above 0 it moves to the next theme by itself every so many seconds from ``since``.
    plenary_view: Mapped[dict] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    themes: Mapped[list[Theme]] = relationship(
        back_populates="event",
        order_by="Theme.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    organisers: Mapped[list[User]] = relationship(secondary=event_organisers, order_by="User.name")

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
