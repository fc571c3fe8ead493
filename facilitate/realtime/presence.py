"""How many phones are in each theme, sent to the room at most once a second.

A connect storm of 300 phones then costs one small ``presence`` message per second, not 300
messages to 300 phones.
"""

from __future__ import annotations

from . import connections

_dirty: set[int] = set()


def changed(theme_id: int) -> None:
    """Note that a theme's count changed; the next flush tells its room."""
    _dirty.add(theme_id)


def count(theme_id: int) -> int:
    return connections.phones_in(theme_id)


def flush() -> None:
    """Send the count of every theme that changed since the last flush."""
    from . import announce

    while _dirty:
        theme_id = _dirty.pop()
        announce.presence(theme_id, count(theme_id))
