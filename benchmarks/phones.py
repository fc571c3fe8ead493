"""Driving the Node load generator (benchmarks/loadgen/loadgen.js): many phones on the real
socket.io-client, with the servers' ``/proc`` read at each phase the generator reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .servers import ServerProcess, Usage, usage

LOADGEN = Path(__file__).resolve().parent / "loadgen"


class LoadgenMissing(RuntimeError):
    """Node or npm is not installed, so there are no phones to drive."""


def ensure_loadgen() -> str:
    """The path of ``node``, with the pinned socket.io-client installed (``npm ci``) when missing."""
    node = shutil.which("node")
    if node is None:
        raise LoadgenMissing("Node.js is not installed (the load generator is a Node script)")
    if not (LOADGEN / "node_modules" / "socket.io-client").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise LoadgenMissing("npm is not installed (needed once for `npm ci`)")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=LOADGEN,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return node


@dataclass
class Run:
    """A scenario's result from the generator, and the servers' usage at each of its phases."""

    result: dict
    marks: dict[str, list[Usage]] = field(default_factory=dict)
    samples: list[tuple[float, list[Usage]]] = field(default_factory=list)
    phases: dict[str, dict] = field(default_factory=dict)
    #: The generator's own CPU seconds at each phase: a busy generator delays what it measures.
    generator: dict[str, float] = field(default_factory=dict)

    def cpu_between(self, start: str, end: str) -> float:
        """CPU seconds all servers used between two phases."""
        return sum(
            b.cpu_seconds - a.cpu_seconds
            for a, b in zip(self.marks[start], self.marks[end], strict=True)
        )

    def peak_rss_mb(self) -> float:
        """The largest peak RSS of the servers (each read from VmHWM at the end)."""
        last = self.marks.get("end") or next(reversed(self.marks.values()))
        return max(u.peak_rss_mb for u in last)

    def seconds_between(self, start: str, end: str) -> float:
        return (self.phases[end]["t"] - self.phases[start]["t"]) / 1000


def run_scenario(
    config: dict,
    servers: list[ServerProcess],
    *,
    sample_every: float | None = None,
    timeout: float = 900,
    echo_progress: bool = False,
) -> Run:
    """Run one scenario of the generator against ``servers`` (their URLs are in ``config``)."""
    node = ensure_loadgen()
    run = Run(result={})
    run.marks["start"] = [s.usage() for s in servers]
    process = subprocess.Popen(
        [node, str(LOADGEN / "loadgen.js"), json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    errors: list[str] = []

    def read_phases() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                errors.append(line.rstrip())
                continue
            name = message.get("phase", "?")
            try:
                run.marks[name] = [s.usage() for s in servers]
                run.generator[name] = usage(process.pid).cpu_seconds
            except FileNotFoundError:  # a server died; the result will say so
                pass
            run.phases[name] = message
            if name == "error":
                errors.append(message.get("message", ""))
            elif echo_progress and name == "progress":
                print(f"    {message}", flush=True)

    reader = threading.Thread(target=read_phases, daemon=True)
    reader.start()
    stop = threading.Event()
    if sample_every:

        def sample() -> None:
            started = time.monotonic()
            while not stop.wait(sample_every):
                try:
                    run.samples.append((time.monotonic() - started, [s.usage() for s in servers]))
                except FileNotFoundError:
                    return

        threading.Thread(target=sample, daemon=True).start()
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        stdout = process.stdout.read()
        process.wait()
    finally:
        watchdog.cancel()
        stop.set()
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=5)
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    run.marks["end"] = [s.usage() for s in servers]
    if process.returncode != 0 or not stdout.strip():
        raise RuntimeError(f"load generator failed ({process.returncode}): {' | '.join(errors)}")
    run.result = json.loads(stdout.strip().splitlines()[-1])
    return run
