"""Worker processes that render write-ups while the server's event loop only waits.

A worker is ``python -m facilitate.writeups.render_worker``: it reads one render job per line on
its standard input (JSON) and answers each with one line on its standard output, and stays up for the next job. The
server keeps at most ``WRITEUP_RENDER_WORKERS`` of them; a job waits for a free one, and a render
that runs past ``WRITEUP_RENDER_TIMEOUT_SECONDS`` is stopped (its worker killed and replaced
later) and refused with a clear message rather than run to the end.

Used only under ``facilitate serve``, where gevent makes the pipes and the waiting cooperative.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict

from ..services.errors import ServiceError
from .rendering import RenderJob, RenderResult, render_now

TOO_LONG = (
    "This write-up took too long to show and was stopped. Split it into shorter sections, "
    "or remove long runs of symbols such as [ or *."
)
#: What a worker says once it can take jobs, and how long it may take to say it.
READY = b"ready\n"
STARTUP_SECONDS = 30


class RenderPool:
    """Up to ``size`` worker processes, each doing one render at a time."""

    def __init__(self, size: int, timeout: float):
        from gevent.queue import LifoQueue

        self.timeout = timeout
        self._workers: LifoQueue = LifoQueue()
        for _ in range(size):
            self._workers.put(None)  # a free place; the process starts on first use

    def render(self, job: RenderJob) -> RenderResult:
        import gevent

        try:
            worker = self._workers.get(timeout=self.timeout)
        except gevent.queue.Empty:
            raise ServiceError("unavailable", TOO_LONG) from None
        try:
            worker = worker if worker is not None and worker.poll() is None else _start()
            with gevent.Timeout(self.timeout, False):
                worker.stdin.write(json.dumps(asdict(job)).encode() + b"\n")
                worker.stdin.flush()
                line = worker.stdout.readline()
                if line:
                    answer = json.loads(line)
                    return RenderResult(
                        answer["html"],
                        tuple(answer["order"]),
                        tuple(answer["missing"]),
                        answer["has_title"],
                    )
            worker.kill()
            worker.wait()
            worker = None
            raise ServiceError("unavailable", TOO_LONG)
        finally:
            self._workers.put(worker)


def _start() -> subprocess.Popen:
    """A new worker, once it says it is ready: its start does not count against a render."""
    import gevent

    worker = subprocess.Popen(
        [sys.executable, "-m", "facilitate.writeups.render_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    with gevent.Timeout(STARTUP_SECONDS, False):
        if worker.stdout.readline() == READY:
            return worker
    worker.kill()
    worker.wait()
    raise ServiceError("unavailable", "Write-ups cannot be shown just now. Try again in a minute.")


def pool(app) -> RenderPool:
    """The app's pool, made on first use."""
    found = app.extensions.get("facilitate.render_pool")
    if found is None:
        found = RenderPool(
            app.config["WRITEUP_RENDER_WORKERS"], app.config["WRITEUP_RENDER_TIMEOUT_SECONDS"]
        )
        app.extensions["facilitate.render_pool"] = found
    return found


def main() -> None:
    """Render jobs from standard input, one JSON line each, until it closes."""
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    for line in sys.stdin.buffer:
        fields = json.loads(line)
        fields["citable"] = tuple(fields["citable"])
        result = render_now(RenderJob(**fields))
        sys.stdout.write(json.dumps(asdict(result)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
