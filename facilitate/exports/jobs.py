"""Exports for the web, built and rendered in worker processes that the live loop only waits on.

Building a 2,000-note report and rendering it as DOCX or PDF is seconds of CPU; on the server's
event loop that would stop every room on the process. Under ``facilitate serve`` each download runs
``python -m facilitate.exports.jobs`` on the same database, at most ``EXPORT_WORKERS`` at a time
(more organisers queue rather than starve the rooms), and one that runs past
``EXPORT_TIMEOUT_SECONDS`` is stopped and refused with a clear message. In-process apps (tests,
tools) export directly.

The worker reads nothing but its arguments and the environment, and writes one JSON line (the
filename, the Content-Type, whether it is text) followed by the document's bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..models import Event, ExportJob
from ..services import export_jobs
from ..services.errors import ServiceError
from .formats import Export, export, steps
from .report import build_report

#: How often a worker records how far it has got.
PROGRESS_EVERY = 0.5

#: One queue per server process: downloads beyond the workers wait their turn here.
_slots: dict[int, threading.BoundedSemaphore] = {}


def _slot(workers: int) -> threading.BoundedSemaphore:
    return _slots.setdefault(workers, threading.BoundedSemaphore(workers))


def _worker_environment(app) -> dict:
    return {
        **os.environ,
        "FACILITATE_INSTANCE_PATH": app.instance_path,
        "FACILITATE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
    }


def _too_long(timeout: float) -> str:
    return ngettext(
        "The report took longer than %(count)s second to make and was stopped. "
        "Try again in a quieter moment, or download one theme at a time.",
        "The report took longer than %(count)s seconds to make and was stopped. "
        "Try again in a quieter moment, or download one theme at a time.",
        timeout,
        count=f"{timeout:g}",
    )


def export_for_download(event: Event, fmt: str, theme_ids: Iterable[int] | None = None) -> Export:
    """The report as the web downloads it: in a worker process under the real server."""
    app = current_app
    if app.config["ASYNC_MODE"] != "gevent":
        return export(event, fmt, theme_ids)
    arguments = [sys.executable, "-m", "facilitate.exports.jobs", str(event.id), fmt]
    arguments += [str(theme_id) for theme_id in theme_ids or ()]
    timeout = app.config["EXPORT_TIMEOUT_SECONDS"]
    with _slot(app.config["EXPORT_WORKERS"]):
        try:
            done = subprocess.run(  # noqa: S603  (this Python, this package, our arguments)
                arguments,
                env=_worker_environment(app),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ServiceError("unavailable", _too_long(timeout)) from None
    if done.returncode != 0:
        app.logger.error("Export worker failed: %s", done.stderr.decode(errors="replace")[-2000:])
        raise ServiceError("unavailable", _("The report could not be made just now. Try again."))
    header, _newline, data = done.stdout.partition(b"\n")
    fields = json.loads(header)
    return Export(data, fields["filename"], fields["content_type"], fields["is_text"])


def start_export_job(job: ExportJob) -> None:
    """Make a report the organiser asked for on the web: in a worker process under the real
    server, which the loop only waits on; in-process apps make it before this returns."""
    app = current_app._get_current_object()
    if app.config["ASYNC_MODE"] != "gevent":
        make_export_job(job)
        return
    from ..extensions import socketio

    socketio.start_background_task(_run_export_job, app, job.id)


def _run_export_job(app, job_id: int) -> None:
    from ..database import end_session

    with app.app_context():
        try:
            job = db.session.get(ExportJob, job_id)
            with _slot(app.config["EXPORT_WORKERS"]):
                export_jobs.start(job)
                done = subprocess.run(  # noqa: S603  (this Python, this package, our arguments)
                    [sys.executable, "-m", "facilitate.exports.jobs", "--job", str(job_id)],
                    env=_worker_environment(app),
                    capture_output=True,
                    timeout=app.config["EXPORT_TIMEOUT_SECONDS"],
                    check=False,
                )
            if done.returncode != 0:
                app.logger.error(
                    "Export worker failed: %s", done.stderr.decode(errors="replace")[-2000:]
                )
                _fail_unless_finished(job, _("The report could not be made just now. Try again."))
        except subprocess.TimeoutExpired:
            _fail_unless_finished(job, _too_long(app.config["EXPORT_TIMEOUT_SECONDS"]))
        finally:
            end_session()


def _fail_unless_finished(job: ExportJob, message: str) -> None:
    db.session.refresh(job)
    if not job.is_finished:
        export_jobs.fail(job, message)


def make_export_job(job: ExportJob) -> None:
    """Build and render the job's report here, recording its progress as it goes."""
    event = db.session.get(Event, job.event_id)
    export_jobs.start(job)
    report = build_report(event, job.theme_ids)
    total, done, said = steps(report, job.format), 0, 0.0

    def progress(count: int) -> None:
        nonlocal done, said
        done += count
        if time.monotonic() - said >= PROGRESS_EVERY:  # a few writes, not one per page
            export_jobs.record_progress(job, done, total)
            said = time.monotonic()

    export_jobs.record_progress(job, 0, total)
    made = export(event, job.format, report=report, progress=progress)
    export_jobs.finish(job, made.data, made.filename, made.content_type)


def main() -> None:
    """``python -m facilitate.exports.jobs EVENT_ID FORMAT [THEME_ID ...]`` writes the document
    to standard output; ``… --job JOB_ID`` makes an organiser's queued report."""
    from .. import create_app

    arguments = sys.argv[1:]
    app = create_app({"MESSAGE_QUEUE": None})
    if arguments[0] == "--job":
        with app.app_context():
            job = db.session.get(ExportJob, int(arguments[1]))
            if job is None:
                sys.exit("No such report.")
            make_export_job(job)
        return
    event_id, fmt, *theme_ids = arguments
    with app.app_context():
        event = db.session.get(Event, int(event_id))
        if event is None:
            sys.exit("No such event.")
        made = export(event, fmt, [int(t) for t in theme_ids] or None)
    out = sys.stdout.buffer
    header = {"filename": made.filename, "content_type": made.content_type, "is_text": made.is_text}
    out.write(json.dumps(header).encode() + b"\n")
    out.write(made.data)
    out.flush()


if __name__ == "__main__":
    main()
