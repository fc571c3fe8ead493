"""A real ``facilitate serve`` process on a free port, with its own instance folder and database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from facilitate import create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """``facilitate serve`` as a person starts it, plus an in-process app on the same database for
    arranging what a test needs."""

    def __init__(
        self,
        instance: Path,
        database_url: str,
        *,
        message_queue: str | None = None,
        environment: dict | None = None,
        port: int | None = None,
        host: str = "127.0.0.1",
    ):
        self.instance = Path(instance)
        self.instance.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.message_queue = message_queue
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.instance / f"serve-{self.port}.log"
        self.environment = environment or {}
        self.process: subprocess.Popen | None = None
        self._app = None
        #: How to start it: ``facilitate serve`` of this Python, unless a test installs another.
        self.command = [
            sys.executable,
            "-m",
            "facilitate",
            "serve",
            "--host",
            host,
            "--port",
            str(self.port),
        ]
        self.cwd: Path | None = None

    def env(self) -> dict:
        env = {**os.environ, **self.environment}
        env.update(
            FACILITATE_INSTANCE_PATH=str(self.instance),
            FACILITATE_DATABASE_URL=self.database_url,
            PYTHONUNBUFFERED="1",
        )
        env.pop(
            "FACILITATE_BASE_URL", None
        ) if "FACILITATE_BASE_URL" not in self.environment else None
        if self.message_queue:
            env["FACILITATE_MESSAGE_QUEUE"] = self.message_queue
        else:
            env.pop("FACILITATE_MESSAGE_QUEUE", None)
        return env

    def start(self, timeout: float = 40) -> LiveServer:
        log = open(self.log_path, "ab")  # noqa: SIM115  (closed with the process)
        self.process = subprocess.Popen(
            self.command,
            env=self.env(),
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"facilitate serve exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"facilitate serve did not answer within {timeout} s:\n{self.log()}")

    def close(self) -> None:
        """Stop the server and let go of the arranging app's connections."""
        self.stop()
        if self._app is not None:
            from facilitate.extensions import db

            with self._app.app_context():
                for engine in db.engines.values():
                    engine.dispose()

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.send_signal(signal.SIGKILL)
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, *, kill: bool = False) -> LiveServer:
        self.stop(kill=kill)
        return self.start()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except FileNotFoundError:
            return ""

    @property
    def app(self):
        """An app on the same database and instance folder, for arranging and checking data."""
        if self._app is None:
            self._app = create_app(
                {
                    "INSTANCE_PATH": str(self.instance),
                    "SQLALCHEMY_DATABASE_URI": self.database_url,
                    "MESSAGE_QUEUE": None,
                }
            )
        return self._app

    @contextmanager
    def app_context(self):
        from facilitate.extensions import db

        with self.app.app_context():
            try:
                yield self.app
            finally:
                db.session.remove()


def sign_up_first_organiser(server: LiveServer) -> tuple[requests.Session, requests.Response]:
    """Follow the one-time setup link the server printed, as the first organiser does: the signed-in
    browser session and the form's answer (a redirect to the home page)."""
    import re

    from tests.conftest import csrf_from

    link = re.search(r"(/setup\?token=[\w-]+)", server.log()).group(1)
    browser = requests.Session()
    form = browser.get(server.url + link, timeout=10)
    assert form.status_code == 200
    created = browser.post(
        server.url + "/setup",
        data={
            "csrf_token": csrf_from(form.text),
            "token": link.split("=", 1)[1],
            "name": "Olive",
            "email": "olive@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert created.status_code == 302
    return browser, created


def signed_in(server: LiveServer, email: str, password: str | None = None) -> requests.Session:
    """A browser session signed in through the real form (the factories' password by default)."""
    from tests.conftest import csrf_from
    from tests.support.factories import PASSWORD

    browser = requests.Session()
    token = csrf_from(browser.get(server.url + "/login", timeout=10).text)
    answer = browser.post(
        server.url + "/login",
        data={"email": email, "password": password or PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, f"{email} could not sign in"
    return browser


def cookie_header(browser: requests.Session) -> str:
    """The session's cookies as a ``Cookie`` header, for a Socket.IO client."""
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def started_with_settings(folder: Path, settings: str) -> LiveServer:
    """A started ``facilitate serve`` on SQLite whose ``instance/config.py`` holds ``settings``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.py").write_text(settings)
    return LiveServer(folder, f"sqlite:///{folder / 'facilitate.db'}").start()
