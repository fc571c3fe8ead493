"""A theme: one break-out of an event, with its facilitators, settings and clusters."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, new_uid, utcnow

if TYPE_CHECKING:
    from .event import Event
    from .user import User


class Phase(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """The phase in people's words: "draft" is kept for unpublished write-ups alone."""
        return str(_PHASE_LABELS[self])


_PHASE_LABELS = {Phase.DRAFT: _l("not started"), Phase.OPEN: _l("open"), Phase.CLOSED: _l("closed")}


theme_facilitators = Table(
    "theme_facilitators",
    db.metadata,
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: Order of the themes within the event, from 0.
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    #: The question put to the room, shown large on phones and the wall.
    prompt: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: What participants type or scan to join: unambiguous capitals and digits.
    join_code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    #: The secret in the wall's address; anyone holding it sees the wall, nothing more.
    wall_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), nullable=False, default=Phase.DRAFT)

    names_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    approval_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    votes_per_participant: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    note_max_length: Mapped[int] = mapped_column(Integer, nullable=False, default=500)
    #: Vote counts withheld from phones and walls until the facilitator reveals them.
    votes_hidden: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    #: Silent writing: each phone sees only its own notes, the walls none, until the reveal.
    notes_private: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    #: The step of the facilitation sequence the room is in (``services.steps``), or ``None``.
    step: Mapped[str | None] = mapped_column(String(16), nullable=True)
    #: Whether the running timer moves the sequence on to its next step when it ends.
    timer_advances: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    #: When the shared countdown ends; ``None`` when no timer runs.
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Whether the theme closes itself when the timer ends.
    timer_closes: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    #: The sequence number of the theme's latest change; every change takes the next one.
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: What the walls show, as the facilitator steers them: ``{"mode": "all" | "newest" | "heading"
    #: | "note", "cluster_id"?, "note_id"?}``.
    wall_view: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict, server_default="{}")
    #: What the facilitator set aside of the suggestions: ``{"apart": [[NOTE_ID, NOTE_ID], ...]}``
    #: (pairs of notes that do not say the same thing) and ``{"hidden_keywords": [WORD, ...]}``.
    suggestions: Mapped[dict] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )
    #: Whether the timer closed it (rather than the facilitator): notes still on their way then
    #: have a short grace.
    closed_by_timer: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship(back_populates="themes")
    facilitators: Mapped[list[User]] = relationship(
        secondary=theme_facilitators, order_by="User.name"
    )
    clusters: Mapped[list[Cluster]] = relationship(
        back_populates="theme",
        order_by="Cluster.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Theme {self.id} {self.title!r} {self.phase.value}>"


class Cluster(db.Model):
    """A heading that groups notes in a theme (a column on the wall)."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: The same on every machine it travels to in a bundle.
    uid: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, nullable=False, default=new_uid
    )
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    #: Order of the clusters within the theme, from 0.
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    theme: Mapped[Theme] = relationship(back_populates="clusters")

    def __repr__(self) -> str:
        return f"<Cluster {self.id} {self.title!r}>"
