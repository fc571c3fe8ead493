"""How many phones are in each theme, sent to the room at most once a second.

A connect storm of 300 phones then costs one small ``presence`` message per second, not 300
messages to 300 phones. With several processes (a message queue configured) each process keeps its
own count in Redis and the room is told the sum.
"""

from __future__ import annotations

import uuid

from . import connections

_dirty: set[int] = set()


class LocalCounts:
    """One process: the count is what this process holds."""

    def total(self, theme_id: int) -> int:
        return connections.phones_in(theme_id)

    def publish(self, theme_id: int) -> int:
        return self.total(theme_id)


class SharedCounts:
    """Several processes: per-process counts in a Redis hash per theme; a process that stops
    renewing its heartbeat stops counting."""

    HEARTBEAT_SECONDS = 15

    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.process = uuid.uuid4().hex

    def _key(self, theme_id: int) -> str:
        return f"facilitate:presence:{theme_id}"

    def publish(self, theme_id: int) -> int:
        pipe = self.redis.pipeline()
        pipe.set(f"facilitate:process:{self.process}", 1, ex=self.HEARTBEAT_SECONDS)
        pipe.hset(self._key(theme_id), self.process, connections.phones_in(theme_id))
        pipe.expire(self._key(theme_id), 24 * 3600)
        pipe.execute()
        return self.total(theme_id)

    def total(self, theme_id: int) -> int:
        import redis

        try:
            counts = {
                k.decode(): int(v) for k, v in self.redis.hgetall(self._key(theme_id)).items()
            }
            if not counts:
                return connections.phones_in(theme_id)
            alive = self.redis.mget([f"facilitate:process:{p}" for p in counts])
        except redis.RedisError:
            return connections.phones_in(theme_id)
        mine = connections.phones_in(theme_id)
        others = sum(
            n for (p, n), up in zip(counts.items(), alive, strict=True) if up and p != self.process
        )
        return mine + others


_store: LocalCounts | SharedCounts = LocalCounts()


def configure(message_queue: str | None) -> None:
    global _store
    _store = SharedCounts(message_queue) if message_queue else LocalCounts()


def changed(theme_id: int) -> None:
    """Note that a theme's count changed; the next flush tells its room (and the overviews)."""
    from . import organisers

    _dirty.add(theme_id)
    organisers.changed(theme_id)


def count(theme_id: int) -> int:
    return _store.total(theme_id)


def flush() -> None:
    """Send the count of every theme that changed since the last flush."""
    from . import announce

    while _dirty:
        theme_id = _dirty.pop()
        try:
            total = _store.publish(theme_id)
        except Exception:  # Redis away: say what this process knows
            total = connections.phones_in(theme_id)
        announce.presence(theme_id, total)
