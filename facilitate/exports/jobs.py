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
from collections.abc import Iterable

from flask import current_app

from ..models import Event
from ..services.errors import ServiceError
from .formats import Export, export

#: One queue per server process: downloads beyond the workers wait their turn here.
_slots: dict[int, threading.BoundedSemaphore] = {}


def _slot(workers: int) -> threading.BoundedSemaphore:
    return _slots.setdefault(workers, threading.BoundedSemaphore(workers))


def export_for_download(event: Event, fmt: str, theme_ids: Iterable[int] | None = None) -> Export:
    """The report as the web downloads it: in a worker process under the real server."""
    app = current_app
    if app.config["ASYNC_MODE"] != "gevent":
        return export(event, fmt, theme_ids)
    arguments = [sys.executable, "-m", "facilitate.exports.jobs", str(event.id), fmt]
    arguments += [str(theme_id) for theme_id in theme_ids or ()]
    environment = {
        **os.environ,
        "FACILITATE_INSTANCE_PATH": app.instance_path,
        "FACILITATE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    timeout = app.config["EXPORT_TIMEOUT_SECONDS"]
    with _slot(app.config["EXPORT_WORKERS"]):
        try:
            done = subprocess.run(  # noqa: S603  (this Python, this package, our arguments)
                arguments, env=environment, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise ServiceError(
                "unavailable",
                f"The report took longer than {timeout} seconds to make and was stopped. "
                "Try again in a quieter moment, or download one theme at a time.",
            ) from None
    if done.returncode != 0:
        app.logger.error("Export worker failed: %s", done.stderr.decode(errors="replace")[-2000:])
        raise ServiceError("unavailable", "The report could not be made just now. Try again.")
    header, _, data = done.stdout.partition(b"\n")
    fields = json.loads(header)
    return Export(data, fields["filename"], fields["content_type"], fields["is_text"])


def main() -> None:
    """``python -m facilitate.exports.jobs EVENT_ID FORMAT [THEME_ID ...]``."""
    from .. import create_app
    from ..extensions import db

    event_id, fmt, *theme_ids = sys.argv[1:]
    app = create_app({"MESSAGE_QUEUE": None})
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
