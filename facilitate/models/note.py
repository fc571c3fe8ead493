"""Notes posted by participants, and their votes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .participant import Participant
    from .theme import Cluster, Theme


class NoteKind(enum.StrEnum):
    IDEA = "idea"
    QUESTION = "question"
    ACTION = "action"
    QUOTE = "quote"


class NoteStatus(enum.StrEnum):
    PENDING = "pending"
    VISIBLE = "visible"
    HIDDEN = "hidden"


class Note(db.Model):
    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("participant_id", "client_id", name="uq_notes_participant_client"),
        Index("ix_notes_theme_seq", "theme_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), nullable=False
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    #: The phone's UUID for the note: posting it again returns this note instead of a copy.
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[NoteKind] = mapped_column(
        enum_column(NoteKind), nullable=False, default=NoteKind.IDEA
    )
    status: Mapped[NoteStatus] = mapped_column(
        enum_column(NoteStatus), nullable=False, default=NoteStatus.VISIBLE
    )
    pinned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: Set on a duplicate: the note it was merged into. Nothing merged is ever deleted.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: How many people made this point: 1 plus those of every note merged into it.
    people: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    votes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: Set when the author deleted the note; the row stays so that phones learn of it.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: The note's state as last brought in from a bundle (see facilitate.bundles), or ``None``.
    sync_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The theme's sequence number of this note's latest change.
    seq: Mapped[int] = mapped_column(Integer, nullable=False)

    theme: Mapped[Theme] = relationship()
    participant: Mapped[Participant | None] = relationship(lazy="joined")
    cluster: Mapped[Cluster | None] = relationship()

    @property
    def author_name(self) -> str | None:
        return self.participant.name if self.participant else None

    @hybrid_property
    def is_public(self) -> bool:
        """Whether participants and the wall may see the note (and exports and write-ups show
        it). In a query, ``Note.is_public`` is the same rule as SQL."""
        return (
            self.status is NoteStatus.VISIBLE
            and self.deleted_at is None
            and self.merged_into_id is None
        )

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return and_(
            cls.status == NoteStatus.VISIBLE,
            cls.deleted_at.is_(None),
            cls.merged_into_id.is_(None),
        )

    def __repr__(self) -> str:
        return f"<Note {self.id} {self.status.value} seq={self.seq}>"


class Vote(db.Model):
    """One participant's vote on one note."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("note_id", "participant_id", name="uq_votes_note_participant"),
        Index("ix_votes_theme_participant", "theme_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), nullable=False)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    )
    #: Copied from the note, so that a participant's votes in a theme are one index away.
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
