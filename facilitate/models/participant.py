"""A participant: an anonymous identity per event, held by the phone as a token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import UTCDateTime, new_uid, utcnow


class Participant(db.Model):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The same on every machine it travels to in a bundle.
    uid: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, nullable=False, default=new_uid
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True
    )
    #: SHA-256 of the phone's token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    #: Optional display name; ``None`` stays anonymous.
    name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    def __repr__(self) -> str:
        return f"<Participant {self.id}>"
