"""Server processes for the benchmarks: ``facilitate serve`` (the app) and ``benchmarks/floor.py``,
each started fresh on a free port, with its CPU time and memory read from ``/proc``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
#: One secret key for every process of a run, as processes behind one proxy share theirs.
SECRET_KEY = uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Usage:
    """What ``/proc`` says of a process at one moment."""

    cpu_seconds: float
    rss_mb: float
    peak_rss_mb: float


def usage(pid: int) -> Usage:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    memory = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                memory[key] = int(value.split()[0]) / 1024
    return Usage(cpu, memory.get("VmRSS", 0.0), memory.get("VmHWM", 0.0))


class ServerProcess:
    """One server on 127.0.0.1: the app (``facilitate serve``) or the floor."""

    def __init__(
        self,
        kind: str,
        *,
        folder: Path | None = None,
        database_url: str | None = None,
        message_queue: str | None = None,
        channel: str | None = None,
    ):
        self.kind = kind
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(folder or tempfile.mkdtemp(prefix=f"facilitate-bench-{kind}-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.own_folder = folder is None
        self.database_url = database_url or f"sqlite:///{self.folder / 'facilitate.db'}"
        self.message_queue = message_queue
        self.process: subprocess.Popen | None = None
        self.log_path = self.folder / f"{kind}-{self.port}.log"
        if channel:
            # A channel of our own, so no other Facilitate on the same Redis hears these notes.
            (self.folder / "config.py").write_text(f"MESSAGE_QUEUE_CHANNEL = {channel!r}\n")

    def command(self) -> list[str]:
        if self.kind == "floor":
            return [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "--port", str(self.port)]
        return [
            sys.executable,
            "-m",
            "facilitate",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATE_")}
        env.update(
            FACILITATE_INSTANCE_PATH=str(self.folder),
            FACILITATE_DATABASE_URL=self.database_url,
            FACILITATE_SECRET_KEY=SECRET_KEY,
            PYTHONUNBUFFERED="1",
        )
        if self.message_queue:
            env["FACILITATE_MESSAGE_QUEUE"] = self.message_queue
        return env

    def start(self, timeout: float = 60) -> ServerProcess:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                env=self.environment(),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.kind} did not answer within {timeout} s:\n{self.log()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def usage(self) -> Usage:
        return usage(self.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def close(self) -> None:
        self.stop()
        if self.own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except FileNotFoundError:
            return ""

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.close()


def arrange_themes(server: ServerProcess, count: int) -> list[str]:
    """Open ``count`` themes in one event on the app's database; return their join codes. The floor
    needs nothing arranged: any code is a room."""
    if server.kind == "floor":
        return [f"FLOOR{number}" for number in range(count)]
    sys.path.insert(0, str(ROOT))
    from facilitate import create_app
    from facilitate.extensions import db
    from facilitate.models import Phase
    from facilitate.services import accounts, events, phases, themes

    app = create_app(
        {
            "INSTANCE_PATH": str(server.folder),
            "SQLALCHEMY_DATABASE_URI": server.database_url,
            "MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        tag = uuid.uuid4().hex[:8]
        lead = accounts.create_user(f"lead-{tag}@example.org", "Lee Lead", "facilitator", "x" * 12)
        organiser = accounts.create_user(f"org-{tag}@example.org", "Olive", "organiser", "x" * 12)
        event = events.create_event(organiser, "Benchmark launch")
        codes = []
        for number in range(count):
            theme = themes.create_theme(event, f"Theme {number + 1}", "What works?", [lead])
            phases.set_phase(theme, Phase.OPEN)
            codes.append(theme.join_code)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return codes


class PostgresDatabase:
    """A database of our own on the local PostgreSQL, dropped afterwards."""

    ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"

    def __init__(self):
        self.name = f"facilitate_bench_{uuid.uuid4().hex[:10]}"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.name}"

    def __enter__(self) -> PostgresDatabase:
        import psycopg

        with psycopg.connect(self.ADMIN, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *_exc) -> None:
        import psycopg

        with psycopg.connect(self.ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
