"""The frame every Socket.IO event handler runs in: authorise the connection, check the payload is
an object, and turn any refusal or fault into the contract's ``{"ok": false, "error": …}``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import request
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..extensions import db, socketio
from ..services.errors import ServiceError
from . import NAMESPACE, connections
from .connections import Connection

log = logging.getLogger(__name__)

NOT_SAVED = ServiceError(
    "unavailable", "Not saved: the server could not store that just now. Your phone will try again."
)


def ok(**payload) -> dict:
    return {"ok": True, **payload}


def live_event(name: str, *roles: str) -> Callable:
    """Register ``fn(connection, payload)`` for event ``name`` on ``/live``, for these roles only."""

    def decorator(fn: Callable[[Connection, dict], dict]) -> Callable:
        @wraps(fn)
        def handler(*args):
            try:
                connection = connections.get(request.sid)
                if connection is None or connection.role not in roles:
                    raise ServiceError("forbidden", "You cannot do that here.")
                connection.spend()
                payload = args[0] if args else None
                if not isinstance(payload, dict):
                    raise ServiceError(
                        "invalid", "That message was not understood. Reload the page."
                    )
                return fn(connection, payload)
            except ServiceError as error:
                db.session.rollback()
                return error.as_payload()
            except (OperationalError, SQLAlchemyError):
                db.session.rollback()
                log.exception("Database error in %s", name)
                return NOT_SAVED.as_payload()
            except Exception:
                db.session.rollback()
                log.exception("Unexpected error in %s", name)
                return ServiceError(
                    "invalid", "Something went wrong with that. Try again."
                ).as_payload()

        socketio.on_event(name, handler, namespace=NAMESPACE)
        return handler

    return decorator
