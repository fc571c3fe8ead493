"""The floor: the least a Flask-SocketIO server on gevent can do for the participant half of ``/live``.

    python benchmarks/floor.py --port 5099

It speaks just enough of the contract for the load generator: connect with ``auth = {"code"}``,
``welcome``, and ``note:add`` acknowledged and broadcast as ``note:added`` to everyone with that
code. No database, no checks, no rate limits. Whatever latency and CPU it shows is what the stack
itself costs (gevent, python-socketio, python-engineio, simple-websocket); Facilitate is measured
against it in the same run. Not part of the app.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import uuid  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room  # noqa: E402

NAMESPACE = "/live"

app = Flask(__name__)
socketio = SocketIO(
    app,
    async_mode="gevent",
    cors_allowed_origins="*",
    max_http_buffer_size=64 * 1024,
    ping_interval=20,
    ping_timeout=20,
    logger=False,
    engineio_logger=False,
)
#: Per code: the next sequence number. The floor keeps nothing else.
sequences: dict[str, itertools.count] = defaultdict(lambda: itertools.count(1))
rooms: dict[str, str] = {}
note_ids = itertools.count(1)


@app.get("/healthz")
def healthz():
    return {"ok": True}


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    code = auth.get("code") if isinstance(auth, dict) else None
    if not isinstance(code, str) or not code:
        raise ConnectionRefusedError("no code")
    rooms[request.sid] = code
    join_room(code)
    participant = {"id": 0, "token": auth.get("token") or uuid.uuid4().hex, "name": None}
    emit("welcome", {"participant": participant, "theme": {"code": code}, "notes": [], "seq": 0})


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason):
    rooms.pop(request.sid, None)


@socketio.on("note:add", namespace=NAMESPACE)
def on_note_add(payload):
    code = rooms[request.sid]
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    seq = next(sequences[code])
    note = {
        "id": next(note_ids),
        "theme_id": 1,
        "client_id": payload.get("client_id"),
        "text": payload.get("text"),
        "kind": payload.get("kind") or "idea",
        "author": None,
        "status": "visible",
        "pinned": False,
        "cluster_id": None,
        "votes": 0,
        "created_at": now,
        "updated_at": now,
        "seq": seq,
        "mine": False,
        "people": 1,
        "voted": False,
        "merged_into": None,
    }
    socketio.emit("note:added", {"note": note, "seq": seq}, to=code, namespace=NAMESPACE)
    return {"ok": True, "note": {**note, "mine": True}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5099)
    arguments = parser.parse_args()
    print(f"floor listening on http://{arguments.host}:{arguments.port}", flush=True)
    socketio.run(app, host=arguments.host, port=arguments.port, log_output=False)


if __name__ == "__main__":
    main()
