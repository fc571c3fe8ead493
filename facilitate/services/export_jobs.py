"""Reports asked for on the web: queued, made in a worker that records its progress, and kept
for a day so that an organiser can leave the page and come back to the finished file."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import private
from ..database import write_transaction
from ..exports.names import FORMATS
from ..extensions import db
from ..models import Event, ExportJob, ExportStatus, User, utcnow
from .errors import ServiceError, require

#: How long a finished report stays ready to download.
KEPT_FOR = timedelta(hours=24)
#: A job that says it is being made for longer than this was lost with its server process.
STALLED_AFTER = timedelta(minutes=30)


def folder() -> Path:
    return private.folder(Path(current_app.instance_path) / "exports")


def file_of(job: ExportJob) -> Path:
    return folder() / f"{job.token}.{FORMATS[job.format][0]}"


def request_export(
    event: Event, user: User | None, fmt: str, theme_ids: list[int] | None = None
) -> ExportJob:
    """Queue a report of ``event`` (or of some of its themes) in ``fmt``."""
    require(fmt in FORMATS, "invalid", _l("Choose one of the report formats offered."))
    forget_old_jobs()
    own = {theme.id for theme in event.themes}
    require(not theme_ids or set(theme_ids) <= own, "invalid", _l("Choose themes of this event."))
    with write_transaction():
        job = ExportJob(
            token=secrets.token_urlsafe(16),
            event_id=event.id,
            requested_by_id=user.id if user else None,
            format=fmt,
            theme_ids=sorted(theme_ids) if theme_ids else None,
        )
        db.session.add(job)
    return job


def find_job(event: Event, token: str) -> ExportJob:
    job = db.session.scalar(select(ExportJob).filter_by(event_id=event.id, token=token))
    if job is None:
        raise ServiceError("not_found", _("That report is no longer kept. Ask for it again."))
    return _notice_stalled(job)


def recent_jobs(event: Event) -> list[ExportJob]:
    """The event's reports of the last day, newest first."""
    since = utcnow() - KEPT_FOR
    query = select(ExportJob).filter(ExportJob.event_id == event.id, ExportJob.created_at >= since)
    return [_notice_stalled(job) for job in db.session.scalars(query.order_by(ExportJob.id.desc()))]


def start(job: ExportJob) -> None:
    with write_transaction():
        job.status, job.steps_done = ExportStatus.MAKING, 0


def record_progress(job: ExportJob, done: int, total: int) -> None:
    with write_transaction():
        job.steps_done, job.steps_total = done, total


def finish(job: ExportJob, data: bytes, filename: str, content_type: str) -> None:
    """Keep the made file and say it is ready."""
    private.write_bytes(file_of(job), data)
    with write_transaction():
        job.status, job.finished_at = ExportStatus.READY, utcnow()
        job.filename, job.content_type, job.size = filename, content_type, len(data)
        job.steps_done = job.steps_total


def fail(job: ExportJob, message: str) -> None:
    with write_transaction():
        job.status, job.finished_at, job.error = ExportStatus.FAILED, utcnow(), message[:500]


def read_file(job: ExportJob) -> bytes:
    require(job.status is ExportStatus.READY, "invalid", _l("This report is not ready yet."))
    try:
        return file_of(job).read_bytes()
    except FileNotFoundError:
        raise ServiceError(
            "not_found", _("That report is no longer kept. Ask for it again.")
        ) from None


def forget_old_jobs() -> int:
    """Remove the reports older than a day, files and all; return how many."""
    old = list(
        db.session.scalars(select(ExportJob).filter(ExportJob.created_at < utcnow() - KEPT_FOR))
    )
    if not old:
        return 0
    for job in old:
        file_of(job).unlink(missing_ok=True)
    with write_transaction():
        for job in old:
            db.session.delete(db.session.merge(job))
    return len(old)


def _notice_stalled(job: ExportJob) -> ExportJob:
    if not job.is_finished and job.created_at < utcnow() - STALLED_AFTER:
        fail(job, _("The report was not finished: the server restarted. Ask for it again."))
    return job
