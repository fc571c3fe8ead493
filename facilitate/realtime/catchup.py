"""Catching up after a gap: ``sync`` for every kind of connection, and a nudge to sync when the
message queue between processes comes back after an outage.

A note is always stored before it is broadcast, so the database is the truth; a broadcast lost while
Redis was down is recovered by asking for the changes since the last sequence number seen.
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from ..extensions import socketio
from ..payloads import note_payload
from ..services import listing, live, votes
from ..services.errors import require
from . import NAMESPACE, snapshots
from .connections import PARTICIPANT, STAFF, WALL, Connection
from .handlers import live_event, ok

log = logging.getLogger(__name__)


@live_event("sync", PARTICIPANT, WALL, STAFF)
def on_sync(connection: Connection, payload: dict) -> dict:
    """Every note of the theme changed after ``since``, as this connection may see it."""
    since = payload.get("since", 0)
    require(
        isinstance(since, int) and not isinstance(since, bool) and since >= 0,
        "invalid",
        _l("sync needs the last sequence number seen (0 or more)."),
    )
    theme = live.theme_of(connection.theme_id)
    if connection.role == STAFF:
        shown = [note_payload(n, public=False) for n in listing.changes_since(theme.id, since)]
    else:
        # After a Wi-Fi drop a whole room asks at once, mostly since the same number.
        changed = snapshots.changes_since(theme, since)
        me = connection.participant_id if connection.role == PARTICIPANT else None
        voted = votes.voted_note_ids(theme.id, me) if me is not None else set()
        shown = snapshots.for_participant(changed, me, voted)
    return ok(seq=max([theme.seq, *(n["seq"] for n in shown)]), notes=shown)


def nudge_everyone_here() -> None:
    """Ask every page connected to this process to sync: broadcasts may have been lost."""
    socketio.emit("resync", {}, namespace=NAMESPACE, ignore_queue=True)


def watch_message_queue(url: str, pause: float = 0.5) -> None:
    """Background task: hold a subscription to Redis, which breaks whenever Redis goes away; when it
    can subscribe again, nudge this process's pages to catch up on what they missed meanwhile."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    lost = False
    while True:
        try:
            subscription = client.pubsub(ignore_subscribe_messages=True)
            subscription.subscribe("facilitate:watch")
            if lost:
                log.warning("The message queue is back; asking every page to catch up")
                lost = False
                # Give the Socket.IO listener a moment to subscribe again before pages ask.
                socketio.sleep(2 * pause)
                nudge_everyone_here()
            for _message in subscription.listen():  # returns or raises only when the link breaks
                pass
        except redis.RedisError:
            if not lost:
                log.warning("The message queue at %s is not answering; notes are still stored", url)
            lost = True
        socketio.sleep(pause)
