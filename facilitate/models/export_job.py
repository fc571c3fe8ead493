"""A report an organiser asked for on the web, made in a worker while they wait or go elsewhere."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .event import Event


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    MAKING = "making"
    READY = "ready"
    FAILED = "failed"


class ExportJob(db.Model):
    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The job's address (unguessable: the file may hold every note of the event).
    token: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True, nullable=False
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    format: Mapped[str] = mapped_column(String(8), nullable=False)
    #: The themes asked for, or null for the whole event.
    theme_ids: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[ExportStatus] = mapped_column(
        enum_column(ExportStatus), nullable=False, default=ExportStatus.QUEUED
    )
    #: Steps done of steps in all (themes laid out, for PDF and DOCX), while it is being made.
    steps_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    steps_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: What went wrong, in words for the organiser.
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: The finished file, inside the instance folder's ``exports`` folder.
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    event: Mapped[Event] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED)
