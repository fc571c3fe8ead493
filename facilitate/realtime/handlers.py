"""The frame every Socket.IO event handler runs in: authorise the connection, check the payload is
an object, and turn any refusal or fault into the contract's ``{"ok": false, "error": …}``."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from functools import wraps

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..database import DatabaseError, rollback
from ..extensions import socketio
from ..services.errors import ServiceError
from . import NAMESPACE, connections
from .connections import Connection

log = logging.getLogger(__name__)

TOO_FAST = ServiceError("rate_limited", _l("Too much at once. Wait a moment, then try again."))
NOT_SAVED = ServiceError(
    "unavailable",
    _l("Not saved: the server could not store that just now. Your phone will try again."),
)


def ok(**payload) -> dict:
    return {"ok": True, **payload}


def refuse_flood(connection: Connection) -> dict:
    """Refuse an event past the connection's burst, after a pause.

    Answering at once would let a client that sends again as soon as it hears back (every
    Socket.IO client waiting for its acknowledgements) take the loop from everyone else at
    thousands of refusals a second; held back, it gets a few dozen a second. A client that does
    not wait for its answers fills the pause and has its connection closed (a page reconnects
    on its own, a second or more later)."""
    if connection.held >= connection.MAX_HELD:
        log.warning(
            "Closing a connection from %s: it kept sending while refused", connection.address
        )
        server = socketio.server
        server.eio.disconnect(server.manager.eio_sid_from_sid(request.sid, NAMESPACE))
        return TOO_FAST.as_payload()
    connection.held += 1
    try:
        # Spread out, so that a client's refusals do not all come back, and return, together.
        socketio.sleep(connection.HOLD * random.uniform(1.0, 1.5))
    finally:
        connection.held -= 1
    return TOO_FAST.as_payload()


def live_event(name: str, *roles: str) -> Callable:
    """Register ``fn(connection, payload)`` for event ``name`` on ``/live``, for these roles only."""

    def decorator(fn: Callable[[Connection, dict], dict]) -> Callable:
        @wraps(fn)
        def handler(*args):
            try:
                connection = connections.get(request.sid)
                if connection is None or connection.role not in roles:
                    raise ServiceError("forbidden", _("You cannot do that here."))
                if not connection.spend():
                    return refuse_flood(connection)
                payload = args[0] if args else None
                if not isinstance(payload, dict):
                    raise ServiceError(
                        "invalid", _("That message was not understood. Reload the page.")
                    )
                return fn(connection, payload)
            except ServiceError as error:
                rollback()
                return error.as_payload()
            except DatabaseError:
                rollback()
                log.exception("Database error in %s", name)
                return NOT_SAVED.as_payload()
            except Exception:
                rollback()
                log.exception("Unexpected error in %s", name)
                return ServiceError(
                    "invalid", _("Something went wrong with that. Try again.")
                ).as_payload()

        socketio.on_event(name, handler, namespace=NAMESPACE)
        return handler

    return decorator
