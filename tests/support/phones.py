"""Real Socket.IO clients (python-socketio) acting as phones, walls and consoles against a real server."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid

import socketio

NS = "/live"


class LiveClient:
    """One connection to ``/live`` that records everything the server sends it."""

    def __init__(
        self, url: str, auth: dict, *, headers: dict | None = None, transports=("websocket",)
    ):
        self.url, self.auth, self.headers, self.transports = (
            url,
            dict(auth),
            headers or {},
            list(transports),
        )
        self.events: list[tuple[str, dict, float]] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", self._record, namespace=NS)
        self.refusal = None
        self.sio.on("connect_error", self._refused, namespace=NS)

    def _record(self, event, data=None):
        with self.lock:
            self.events.append((event, data, time.monotonic()))
        if event == "welcome" and data.get("participant"):
            self.auth["token"] = data["participant"]["token"]

    def _refused(self, data=None):
        self.refusal = data

    def connect(self, timeout: float = 15) -> LiveClient:
        try:
            self.sio.connect(
                self.url,
                namespaces=[NS],
                transports=self.transports,
                auth=self.auth,
                headers=self.headers,
                wait_timeout=timeout,
            )
        except Exception:
            self._release()
            raise
        self.wait_for("welcome", timeout=timeout)
        return self

    def disconnect(self) -> None:
        """Leave as a phone does. The client library waits up to 3 s for a closing frame that its own
        reader thread may already have taken, so that wait is cut short here."""
        if self.sio.connected:
            ws = getattr(self.sio.eio, "ws", None)
            if ws is not None:
                close = ws.close
                ws.close = lambda *args, **kwargs: close(*args, **{**kwargs, "timeout": 0.2})
            self.sio.disconnect()
        self._release()

    def _release(self) -> None:
        """Close the client's sockets even when the server went away first (no leaked sockets)."""
        eio = self.sio.eio
        ws = getattr(eio, "ws", None)
        if ws is not None:
            with contextlib.suppress(Exception):  # already closed
                ws.shutdown()
        http = getattr(eio, "http", None)
        if http is not None:
            http.close()

    def call(self, event: str, payload: dict, timeout: float = 15) -> dict:
        return self.sio.call(event, payload, namespace=NS, timeout=timeout)

    def post(self, text: str, client_id: str | None = None, timeout: float = 15) -> dict:
        return self.call(
            "note:add", {"client_id": client_id or str(uuid.uuid4()), "text": text}, timeout
        )

    def of(self, name: str) -> list[dict]:
        with self.lock:
            return [data for event, data, _ in self.events if event == name]

    def wait_for(self, name: str, count: int = 1, timeout: float = 15) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(name)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{name}: {len(self.of(name))} of {count} within {timeout} s")

    def wait_closed(self, timeout: float = 10) -> bool:
        """Wait for the server to close this connection; whether it did within ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.sio.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.sio.connected

    @property
    def welcome(self) -> dict:
        return self.of("welcome")[-1]
