"""Socket.IO frames that cannot be taken as they are: bad JSON, nesting past any real message,
numbers past what a phone's JavaScript can even hold, an event that is not ``[name, …]``.

Such a frame is turned into the event ``MALFORMED`` on its own namespace and acknowledgement id,
so a client waiting for an answer hears the contract's refusal instead of nothing, and the server
logs one warning line instead of a traceback. Whatever still escapes python-socketio's dispatch
is logged as one line too (``OneLineErrors``).
"""

from __future__ import annotations

import logging
import re

from flask import request
from flask_babel import gettext as _
from socketio import packet

from ..extensions import socketio
from ..services.errors import ServiceError
from . import NAMESPACE, connections
from .handlers import refuse_flood

log = logging.getLogger(__name__)

#: The event a refused frame becomes; a client sending it itself is refused the same way.
MALFORMED = "facilitate:malformed"
#: Far deeper than any message of the contract (a few levels), far below Python's recursion limit.
MAX_DEPTH = 16
#: JavaScript's largest exact integer: no phone sends a larger id, count or number of seconds.
MAX_INTEGER = 2**53 - 1
#: The packets whose data comes from the client: its connect's ``auth``, events, answers.
CHECKED = (packet.CONNECT, packet.EVENT, packet.BINARY_EVENT, packet.ACK)
_EVENT_NAME = re.compile(r'\["([\w:.-]{1,40})"')


class Refused(ValueError):
    """Why a frame was not taken, in a few words."""


class GuardedPacket(packet.Packet):
    """python-socketio's packet, refusing (rather than raising on) what it cannot take."""

    def decode(self, encoded_packet):
        try:
            attachments = super().decode(encoded_packet)
            if self.packet_type in CHECKED:
                check_data(self.packet_type, self.data)
        except (ValueError, RecursionError, TypeError) as error:
            self._refuse(encoded_packet, error)
            return 0
        return attachments

    def _refuse(self, encoded_packet, error: Exception) -> None:
        text = encoded_packet if isinstance(encoded_packet, str) else ""
        name = _EVENT_NAME.search(text[:200])
        event = "connect" if self.packet_type == packet.CONNECT else name.group(1) if name else "?"
        reason = reason_for(error)
        log.warning(
            "Refused a Socket.IO message (event %s, namespace %s): %s",
            event,
            self.namespace or "/",
            reason,
        )
        self.attachment_count = 0
        if self.packet_type == packet.CONNECT:  # connects with no credentials: refused as such
            self.data = None
            return
        self.packet_type = packet.EVENT
        self.data = [MALFORMED, {"event": event, "reason": reason}]


def reason_for(error: Exception) -> str:
    if isinstance(error, Refused):
        return str(error)
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return f"not understood ({type(error).__name__})"


def check_data(packet_type: int, data) -> None:
    """Refuse a frame's data past ``MAX_DEPTH``, with an integer past ``MAX_INTEGER``, or (for
    an event) not a list starting with the event's name. Iterative, so depth costs no stack."""
    if packet_type in (packet.EVENT, packet.BINARY_EVENT) and not (
        isinstance(data, list) and data and isinstance(data[0], str)
    ):
        raise Refused("not an event")
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise Refused("nested too deeply")
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            raise Refused("a number out of range")


class OneLineErrors(logging.Filter):
    """Engine.IO logs a handler's exception with its traceback: keep the first line only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            message = record.getMessage()
            record.msg = "%s: %s"
            record.args = (message, reason_for(record.exc_info[1]))
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install() -> None:
    """Keep Engine.IO's handler errors to one line."""
    engineio_log = logging.getLogger("engineio.server")
    if not any(isinstance(f, OneLineErrors) for f in engineio_log.filters):
        engineio_log.addFilter(OneLineErrors())


def answer_refused(*_args) -> dict:
    """The refusal a client hears for a frame that was not taken."""
    connection = connections.get(request.sid)
    if connection is not None and not connection.spend():
        return refuse_flood(connection)
    return ServiceError(
        "invalid", _("That message was not understood. Reload the page.")
    ).as_payload()


socketio.on_event(MALFORMED, answer_refused, namespace=NAMESPACE)
