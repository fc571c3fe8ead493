"""Connecting to ``/live``: phones with a join code, walls with a wall token, facilitators with
their signed-in session. Each gets a ``welcome`` with the theme and its notes. A wall whose address
was replaced is disconnected here too (``retire_walls``)."""

from __future__ import annotations

import logging

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit, join_room
from limits import parse as parse_limit

from ..database import rollback
from ..extensions import limiter, socketio
from ..models import Participant, utcnow
from ..payloads import audience, iso, note_payload, theme_payload
from ..services import live, participants, themes
from ..services.errors import ServiceError
from . import NAMESPACE, connections, organisers, presence, snapshots
from .connections import PARTICIPANT, STAFF, WALL, Connection, public_room, staff_room

log = logging.getLogger(__name__)


def refuse(code: str, message: str) -> ConnectionRefusedError:
    """A refused connection: the client's ``connect_error`` has ``message`` and
    ``data = {"code", "message"}``, the code being one of the table's (services.errors)."""
    return ConnectionRefusedError(message, ServiceError(code, message).as_payload()["error"])


def check_address(address: str) -> None:
    """Refuse a new connection when one address already holds very many (far above a venue's)."""
    if connections.from_address(address) >= current_app.config["CONNECTIONS_PER_ADDRESS"]:
        raise refuse(
            "rate_limited", _("Too many connections from this network. Try again in a minute.")
        )


def _join_misses():
    return parse_limit(current_app.config["JOIN_MISS_RATE_LIMIT"])


def _join_miss_key(address: str) -> list[str]:
    """The join page's own budget of wrong codes for this address (its Flask-Limiter key), so
    guessing by socket and by page together is no faster than by page alone."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return [*([prefix] if prefix else []), f"join-miss:{address}", "join-miss"]


def count_join_miss(address: str) -> None:
    """A wrong code from this address: refuse it as unknown, or as one too many."""
    if not limiter.limiter.hit(_join_misses(), *_join_miss_key(address)):
        raise refuse(
            "rate_limited",
            _("Too many wrong codes from this network. Wait a minute, then try again."),
        )
    raise refuse(
        "not_found", _("We could not find that code. Check the screen at the front of the room.")
    )


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    try:
        check_address(request.remote_addr or "")
        if auth.get("wall") is not None:
            connect_wall(auth.get("wall"))
        elif auth.get("theme_id") is not None:
            connect_staff(auth.get("theme_id"))
        elif auth.get("event_id") is not None:
            organisers.connect_organiser(auth.get("event_id"))
        elif auth.get("plenary") is not None:
            organisers.connect_plenary(auth.get("plenary"))
        else:
            connect_participant(auth.get("code"), auth.get("token"), auth.get("name"))
    except ServiceError as error:
        rollback()
        raise refuse(error.code, error.message) from None
    except ConnectionRefusedError:
        raise
    except Exception:
        rollback()
        log.exception("Could not connect")
        raise refuse(
            "unavailable", _("The server could not let you in just now. It will try again.")
        ) from None


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(*_reason):
    connection = connections.forget(request.sid)
    if connection is not None and connection.role == PARTICIPANT:
        presence.changed(connection.theme_id)
    if connection is not None and connection.role == WALL:
        _share_wall(connection.theme_id, request.sid, present=False)


def connect_participant(code: object, token: object, name: object) -> None:
    address = request.remote_addr or ""
    theme = themes.find_by_join_code(code) if isinstance(code, str) else None
    if theme is None:
        count_join_miss(address)
    sent = token if isinstance(token, str) else None
    if sent is None:  # a phone that posted with the plain form before its script ran
        sent = request.cookies.get(participants.cookie_name(theme.event_id))
    theme_id = theme.id  # read now: joining may write, which expires what the session holds
    participant, token = participants.join(
        theme.event, sent, name if isinstance(name, str) else None
    )
    join_room(public_room(theme_id))
    connections.register(
        request.sid,
        Connection(PARTICIPANT, theme_id, participant_id=participant.id, address=address),
    )
    presence.changed(theme_id)
    emit("welcome", participant_welcome(theme_id, participant, token, new=token != sent))


def participant_welcome(theme_id: int, participant: Participant, token: str, new: bool) -> dict:
    """The theme's visible notes (built once for all phones at this sequence number) and, for a
    participant who was here before, their votes and own notes waiting for approval."""
    state = live.participant_welcome(theme_id, participant.id, returning=not new)
    theme, seq, voted, withheld = state.theme, state.theme.seq, state.voted, audience(state.theme)
    if theme.notes_private:  # writing in silence: one's own notes only
        shown = [note_payload(n, mine=True, voted=False, **withheld) for n in state.own]
    else:
        shown = snapshots.for_participant(snapshots.public_notes(theme), participant.id, voted)
        shown += [note_payload(n, mine=True, **withheld) for n in state.waiting]
    return {
        "participant": {"id": participant.id, "token": token, "name": participant.name},
        "theme": theme_payload(theme, state.clusters),
        "notes": shown,
        "seq": seq,
        "presence": presence.count(theme.id),
        "votes_left": state.votes_left,
        "now": iso(utcnow()),
        **_written(theme),
    }


def _written(theme) -> dict:
    """While notes are private, how many the room has written (phones and walls show it)."""
    return {"written": live.written_count(theme.id)} if theme.notes_private else {}


def connect_wall(token: object) -> None:
    theme = themes.find_by_wall_token(token) if isinstance(token, str) else None
    if theme is None:
        raise refuse(
            "not_found",
            _("This wall address is not valid any more. Open the wall again from the console."),
        )
    join_room(public_room(theme.id))
    join_room(walls_room(theme.id))
    connections.register(request.sid, Connection(WALL, theme.id, address=request.remote_addr or ""))
    _share_wall(theme.id, request.sid, present=True)
    theme, headings, shown = live.wall_welcome(theme.id)
    withheld = audience(theme)
    emit(
        "welcome",
        {
            "theme": theme_payload(theme, headings),
            "notes": [note_payload(n, **withheld) for n in shown],
            "seq": theme.seq,
            "presence": presence.count(theme.id),
            "now": iso(utcnow()),
            **_written(theme),
        },
    )


def connect_staff(theme_id: object) -> None:
    if not current_user.is_authenticated:
        raise refuse("forbidden", _("Sign in to run this theme."))
    theme = live.led_theme(theme_id, current_user)
    join_room(staff_room(theme.id))
    connections.register(
        request.sid,
        Connection(STAFF, theme.id, user_id=current_user.id, address=request.remote_addr or ""),
    )
    emit("welcome", staff_welcome(theme))


def staff_welcome(theme) -> dict:
    seq, shown = live.staff_welcome(theme.id)
    return {
        "theme": theme_payload(theme),
        "notes": [note_payload(n, public=False) for n in shown],
        "seq": seq,
        "presence": presence.count(theme.id),
        "now": iso(utcnow()),
    }


def walls_room(theme_id: int) -> str:
    """The walls of a theme in this process (they also sit in the theme's public room)."""
    return f"walls:{theme_id}"


_redis_clients: dict = {}


def _shared_walls():
    """With several processes (a message queue), the Redis that holds every process's walls, so
    that any process can disconnect a theme's walls; ``None`` on a laptop."""
    url = current_app.config["MESSAGE_QUEUE"]
    if not url:
        return None
    if url not in _redis_clients:
        import redis

        _redis_clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _redis_clients[url]


def _walls_key(theme_id: int) -> str:
    return f"{current_app.config['MESSAGE_QUEUE_CHANNEL']}:walls:{theme_id}"


def _share_wall(theme_id: int, sid: str, *, present: bool) -> None:
    """Add a wall's sid to the shared set of the theme's walls, or take it out."""
    import redis

    shared = _shared_walls()
    if shared is None:
        return
    try:
        if present:
            shared.sadd(_walls_key(theme_id), sid)
            shared.expire(_walls_key(theme_id), 2 * 24 * 3600)
        else:
            shared.srem(_walls_key(theme_id), sid)
    except redis.RedisError:
        log.warning("The message queue is away: walls of theme %s are known here only", theme_id)


def _walls_everywhere(theme_id: int) -> set[str]:
    """The sids of the theme's walls on every process (this one's, and those shared in Redis)."""
    import redis

    sids = {
        sid for sid, _ in socketio.server.manager.get_participants(NAMESPACE, walls_room(theme_id))
    }
    shared = _shared_walls()
    if shared is not None:
        try:
            sids |= {sid.decode() for sid in shared.smembers(_walls_key(theme_id))}
        except redis.RedisError:
            log.warning("The message queue is away: only this process's walls are closed")
    return sids


def retire_walls(theme_id: int) -> int:
    """Disconnect every wall open on the theme, after its address changed: each one reconnects
    with its old token, is refused, and says that its address is not valid any more. Returns how
    many walls were told to close."""
    sids = _walls_everywhere(theme_id)
    for sid in sids:  # a wall on another process is disconnected through the message queue
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    return len(sids)
