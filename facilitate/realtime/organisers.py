"""The organiser's live overview of an event and the plenary report-out wall.

An overview connects with ``auth = {"event_id": ID}`` and the signed-in session of one of the
event's organisers; a plenary wall with ``auth = {"plenary": TOKEN}``. Overviews get one row per
theme (``overview:theme``), sent at most once a second per theme however busy the theme is: a
change only marks the theme, and ``flush`` (a background task, every second) sends the marked
rows. The plenary is steered with ``plenary:steer`` from an overview, or from a plenary wall
opened by a signed-in organiser."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import emit, join_room

from ..extensions import socketio
from ..models import utcnow
from ..payloads import iso
from ..services import overview, plenary, themes
from ..services.errors import ServiceError
from . import NAMESPACE, connections, presence
from .connections import ORGANISER, PLENARY, Connection, organisers_room, plenary_room
from .handlers import live_event, ok

_dirty: set[int] = set()


def changed(theme_id: int) -> None:
    """Note that a theme's row changed (notes, phase, timer, presence); ``flush`` sends it."""
    _dirty.add(theme_id)


def with_presence(row: dict) -> dict:
    return {**row, "presence": presence.count(row["id"])}


def flush() -> None:
    """Send the row of every theme that changed since the last flush, to its event's overviews."""
    if not _dirty:
        return
    theme_ids = list(_dirty)
    _dirty.clear()
    try:
        rows = overview.changed_rows(theme_ids)
    except Exception:  # the database is busy or away: send them at the next flush
        _dirty.update(theme_ids)
        raise
    for row in rows:
        socketio.emit(
            "overview:theme",
            {"theme": with_presence(row), "now": iso(utcnow())},
            to=organisers_room(row["event_id"]),
            namespace=NAMESPACE,
        )


def connect_organiser(event_id: object) -> None:
    if not current_user.is_authenticated:
        raise ServiceError("forbidden", _("Sign in to see the overview."))
    event = overview.organised_event(event_id, current_user)
    room = organisers_room(event.id)
    connection = Connection(
        ORGANISER, 0, user_id=current_user.id, event_id=event.id, address=request.remote_addr or ""
    )
    join_room(room)
    connections.register(request.sid, connection)
    rows = overview.theme_rows(event)  # read after joining: later changes reach the room
    emit(
        "welcome",
        {
            "event": {"id": event.id, "title": event.title, "slug": event.slug},
            "themes": [with_presence(row) for row in rows],
            "plenary": plenary.view_of(event),
            "now": iso(utcnow()),
        },
    )


def connect_plenary(token: object) -> None:
    event = plenary.find_by_token(token) if isinstance(token, str) else None
    if event is None:
        raise ServiceError("not_found", _("This report-out address is not valid."))
    steers = plenary_steerer(event)
    connection = Connection(
        PLENARY,
        0,
        user_id=current_user.id if steers else None,
        event_id=event.id,
        address=request.remote_addr or "",
    )
    join_room(plenary_room(event.id))
    connections.register(request.sid, connection)
    emit("welcome", {"plenary": plenary.view_of(event), "steer": steers, "now": iso(utcnow())})


def plenary_steerer(event) -> bool:
    """Whether the person on this connection may move the plenary on (an organiser)."""
    return themes.can_organise(current_user, event)


def _steered_event(connection: Connection):
    """The connection's event, for a person still organising it."""
    if connection.user_id is None or getattr(current_user, "id", None) != connection.user_id:
        raise ServiceError("forbidden", _("Sign in as an organiser of the event to move it on."))
    return overview.organised_event(connection.event_id, current_user)


@live_event("plenary:steer", ORGANISER, PLENARY)
def on_plenary_steer(connection: Connection, payload: dict) -> dict:
    event = _steered_event(connection)
    view = plenary.steer(
        event,
        step=payload.get("step"),
        theme_id=payload.get("theme_id"),
        seconds=payload.get("seconds"),
    )
    message = {"plenary": view, "now": iso(utcnow())}
    socketio.emit(
        "plenary:updated",
        message,
        to=[plenary_room(event.id), organisers_room(event.id)],
        namespace=NAMESPACE,
    )
    return ok(**message)
