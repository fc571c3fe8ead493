"""Worker processes that render write-ups and public pages while the event loop only waits.

A worker is ``python -m facilitate.writeups.render_worker``: it reads one job per line on its
standard input (JSON) and answers each with one line on its standard output, and stays up for the
next job. A Markdown job needs nothing but the text; a page job (reports/pages.py) reads the
database, so the worker builds the app the first time it gets one. The server keeps at most
``WRITEUP_RENDER_WORKERS`` of them; a job waits for a free one, and a render that runs past
``WRITEUP_RENDER_TIMEOUT_SECONDS`` is stopped (its worker killed, replaced on the next job) and
refused with a clear message rather than run to the end.

Used only under ``facilitate serve``, where gevent makes the pipes and the waiting cooperative.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict

from ..services.errors import ServiceError
from .rendering import RenderJob, RenderResult, render_now

TOO_LONG = (
    "This write-up took too long to show and was stopped. Split it into shorter sections, "
    "or remove long runs of symbols such as [ or *."
)
UNAVAILABLE = "This page cannot be shown just now. Try again in a minute."
#: What a worker says once it can take jobs, and how long it may take to say it.
READY = b"ready\n"
STARTUP_SECONDS = 30


class RenderPool:
    """Up to ``size`` worker processes, each doing one job at a time."""

    def __init__(self, size: int, timeout: float, environment: dict):
        from gevent.queue import LifoQueue

        self.timeout = timeout
        self.environment = environment
        self._workers: LifoQueue = LifoQueue()
        for _ in range(size):
            self._workers.put(None)  # a free place; the process starts on first use

    def render(self, job: RenderJob) -> RenderResult:
        answer = self._run({"kind": "markdown", **asdict(job)}, TOO_LONG)
        return RenderResult(
            answer["html"], tuple(answer["order"]), tuple(answer["missing"]), answer["has_title"]
        )

    def render_page(self, job):
        from ..reports.pages import Fragment

        answer = self._run({"kind": "page", **asdict(job)}, UNAVAILABLE)
        return Fragment(answer["html"], answer["title"])

    def _run(self, payload: dict, too_long: str) -> dict:
        import gevent

        try:
            worker = self._workers.get(timeout=self.timeout)
        except gevent.queue.Empty:
            raise ServiceError("unavailable", too_long) from None
        try:
            if worker is None or worker.poll() is not None:
                worker = self._start()
            with gevent.Timeout(self.timeout, False):
                worker.stdin.write(json.dumps(payload).encode() + b"\n")
                worker.stdin.flush()
                line = worker.stdout.readline()
                if line:
                    answer = json.loads(line)
                    if "error" in answer:
                        raise ServiceError("unavailable", UNAVAILABLE)
                    return answer
            worker.kill()
            worker.wait()
            worker = None
            raise ServiceError("unavailable", too_long)
        finally:
            self._workers.put(worker)

    def _start(self) -> subprocess.Popen:
        """A new worker, once it says it is ready: its start does not count against a job."""
        import gevent

        worker = subprocess.Popen(
            [sys.executable, "-m", "facilitate.writeups.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.environment,
        )
        with gevent.Timeout(STARTUP_SECONDS, False):
            if worker.stdout.readline() == READY:
                return worker
        worker.kill()
        worker.wait()
        raise ServiceError("unavailable", UNAVAILABLE)


def pool(app) -> RenderPool:
    """The app's pool, made on first use."""
    found = app.extensions.get("facilitate.render_pool")
    if found is None:
        environment = {
            **os.environ,
            "FACILITATE_INSTANCE_PATH": app.instance_path,
            "FACILITATE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        }
        found = RenderPool(
            app.config["WRITEUP_RENDER_WORKERS"],
            app.config["WRITEUP_RENDER_TIMEOUT_SECONDS"],
            environment,
        )
        app.extensions["facilitate.render_pool"] = found
    return found


def _render_page(app, fields: dict) -> dict:
    from ..extensions import db
    from ..reports.pages import PageJob
    from ..reports.pages import render_now as render_page_now

    job = PageJob(**fields)
    with app.test_request_context("/", base_url=job.base_url):
        try:
            return asdict(render_page_now(job))
        finally:
            db.session.remove()


def main() -> None:
    """Jobs from standard input, one JSON line each, until it closes."""
    import logging

    app = None
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    for line in sys.stdin.buffer:
        fields = json.loads(line)
        kind = fields.pop("kind")
        try:
            if kind == "markdown":
                fields["citable"] = tuple(fields["citable"])
                answer = asdict(render_now(RenderJob(**fields)))
            else:
                if app is None:
                    from .. import create_app

                    app = create_app({"MESSAGE_QUEUE": None})
                answer = _render_page(app, fields)
        except Exception:  # one bad job must not end the worker: the server says so plainly
            logging.getLogger(__name__).exception("A render failed")
            answer = {"error": True}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
