"""The feedback write-up of a theme, with every saved revision."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .theme import Theme
    from .user import User


class WriteupStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Writeup(db.Model):
    __tablename__ = "writeups"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    status: Mapped[WriteupStatus] = mapped_column(
        enum_column(WriteupStatus), nullable=False, default=WriteupStatus.DRAFT
    )
    #: The current Markdown; always equal to the latest revision's body.
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The theme's sequence number when the draft was last compiled: later notes are "new".
    compiled_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    theme: Mapped[Theme] = relationship()
    revisions: Mapped[list[WriteupRevision]] = relationship(
        back_populates="writeup",
        order_by="WriteupRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class WriteupRevision(db.Model):
    """A saved state of a write-up; none is ever overwritten."""

    __tablename__ = "writeup_revisions"
    __table_args__ = (
        UniqueConstraint("writeup_id", "number", name="uq_writeup_revisions_writeup_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    writeup_id: Mapped[int] = mapped_column(
        ForeignKey("writeups.id", ondelete="CASCADE"), nullable=False
    )
    #: 1, 2, 3 … within the write-up.
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: Why it was saved: ``compiled``, ``edited``, ``restored 3``, ``inserted notes``.
    reason: Mapped[str] = mapped_column(String(40), nullable=False, default="edited")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    writeup: Mapped[Writeup] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
