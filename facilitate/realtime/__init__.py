"""Realtime: the Socket.IO namespace ``/live`` for phones, walls and facilitators' consoles.

Handlers parse, authorise, call a service and emit; they hold no business rule and no SQL.
"""

from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO

NAMESPACE = "/live"


def init_realtime(app: Flask, socketio: SocketIO) -> None:
    # Handlers register on the shared SocketIO object at import, before init_app binds it.
    from ..database import on_commit
    from . import (  # noqa: F401
        announce,
        catchup,
        facilitators,
        frames,
        organisers,
        participants,
        presence,
        suggestions,
    )

    frames.install()

    on_commit(app, announce.publish)
    config = app.config
    presence.configure(config["MESSAGE_QUEUE"])
    # The SocketIO object outlives an app (tests build many): forget a previous app's queue.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=config["ASYNC_MODE"],
        message_queue=config["MESSAGE_QUEUE"],
        channel=config["MESSAGE_QUEUE_CHANNEL"],
        cors_allowed_origins=allowed_origins(app),
        max_http_buffer_size=64 * 1024,
        serializer=frames.GuardedPacket,
        ping_interval=20,
        ping_timeout=20,
        manage_session=True,
        logger=False,
        engineio_logger=False,
    )
    app.wsgi_app = without_websocket_compression(app.wsgi_app)


def without_websocket_compression(wsgi_app):
    """Decline per-message deflate on websockets. It would give every phone's connection its own
    zlib compressor (some 200 kB of the laptop's memory each) and compress every note once per
    phone; notes are a few hundred bytes, so frames go as they are."""

    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def allowed_origins(app: Flask):
    """Socket.IO connections from pages of this server only: its own host (as the browser or the
    proxy names it), or the public address when ``FACILITATE_BASE_URL`` is set."""
    base = app.config.get("BASE_URL")

    def allowed(origin: str, environ: dict) -> bool:
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", environ.get("wsgi.url_scheme", "http"))
        host = environ.get("HTTP_X_FORWARDED_HOST", environ.get("HTTP_HOST", ""))
        own = {f"{scheme.split(',')[0].strip()}://{host.split(',')[0].strip()}"}
        own.add(f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}")
        return origin in own or (base is not None and origin == base)

    return allowed


def start_background_tasks(app: Flask) -> None:
    """Per process: close themes whose timer ran out, and send coalesced presence counts."""
    from .tasks import start

    start(app)
