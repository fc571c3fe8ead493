"""The feedback write-up of a theme, with every saved revision."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, new_uid, utcnow

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
    #: Ids of the notes the draft has accounted for (compiled in, inserted or set aside); any
    #: other note that can be exported is offered as new.
    known_note_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)
    #: Whether the published page lists the notes each paragraph cites.
    show_citations: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: The number of the revision readers see while the write-up is published; edits made after
    #: publishing wait in the draft until it is published again.
    published_revision: Mapped[int | None] = mapped_column(Integer, nullable=True)

    theme: Mapped[Theme] = relationship()
    revisions: Mapped[list[WriteupRevision]] = relationship(
        back_populates="writeup",
        order_by="WriteupRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.status is WriteupStatus.PUBLISHED


class WriteupRevision(db.Model):
    """A saved state of a write-up. Explicit saves, compiles, restores and publishing each add
    one; autosaves by the same person within a few minutes refresh their own autosaved one."""

    __tablename__ = "writeup_revisions"
    __table_args__ = (
        UniqueConstraint("writeup_id", "number", name="uq_writeup_revisions_writeup_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    writeup_id: Mapped[int] = mapped_column(
        ForeignKey("writeups.id", ondelete="CASCADE"), nullable=False
    )
    #: The same on every machine it travels to in a bundle.
    uid: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, nullable=False, default=new_uid
    )
    #: 1, 2, 3 … within the write-up.
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: Why it was saved: ``compiled``, ``edited``, ``autosaved``, ``restored 3``, ``published`` …
    reason: Mapped[str] = mapped_column(String(40), nullable=False, default="edited")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: When the body last changed: later than ``created_at`` for a refreshed autosave.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    writeup: Mapped[Writeup] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
