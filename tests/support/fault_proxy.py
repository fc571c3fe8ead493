"""A TCP proxy on loopback that misbehaves like venue Wi-Fi: it cuts connections, stalls them, and
leaves them half-open, at random but from a seed, and only while told to."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from dataclasses import dataclass, field

from tests.support.servers import free_port


@dataclass
class Link:
    """One browser connection and its upstream connection to the server."""

    client: socket.socket
    upstream: socket.socket
    #: Until when nothing is forwarded either way (a stall).
    stalled_until: float = 0.0
    #: Until when the server's bytes are dropped silently, after which the link is cut (half-open).
    deaf_until: float = 0.0
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class FaultProxy:
    """``FaultProxy(port).start()`` listens on ``self.port`` and forwards to ``port``.

    While ``misbehave(seconds)`` runs, every ``interval`` one open link, chosen from the seeded
    random source, is cut, stalled (1 to 3 s) or made half-open (server to browser dropped for up to
    6 s, then cut). Afterwards the proxy forwards faithfully again.
    """

    def __init__(self, target_port: int, seed: int = 1, interval: float = 0.7):
        self.target_port = target_port
        self.port = free_port()
        self.random = random.Random(seed)
        self.interval = interval
        self.links: list[Link] = []
        self.faults: list[str] = []
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._listener:
            self._listener.close()
        for link in list(self.links):
            link.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            link = Link(client, upstream)
            self.links.append(link)
            threading.Thread(target=self._pump, args=(link, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(link, False), daemon=True).start()

    def _pump(self, link: Link, to_server: bool) -> None:
        source, sink = (link.client, link.upstream) if to_server else (link.upstream, link.client)
        try:
            while not link.closed:
                data = source.recv(65536)
                if not data:
                    break
                while time.monotonic() < link.stalled_until and not link.closed:
                    time.sleep(0.05)
                if not to_server and time.monotonic() < link.deaf_until:
                    continue  # the browser never hears it
                sink.sendall(data)
        except OSError:
            pass
        link.close()

    def misbehave(self, seconds: float) -> None:
        """Inject faults for ``seconds``, then cut every half-open link and stop injecting."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(self.interval)
            live = [link for link in self.links if not link.closed]
            if not live:
                continue
            link = self.random.choice(live)
            fault = self.random.choice(["cut", "stall", "half-open"])
            self.faults.append(fault)
            now = time.monotonic()
            if fault == "cut":
                link.close()
            elif fault == "stall":
                link.stalled_until = now + self.random.uniform(1, 3)
            else:
                link.deaf_until = now + self.random.uniform(2, 6)
                threading.Timer(link.deaf_until - now, link.close).start()
        for link in self.links:
            if link.deaf_until > time.monotonic():
                link.close()
