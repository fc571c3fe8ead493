"""Who is on each Socket.IO connection of this process, and the rooms of a theme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from time import monotonic

PARTICIPANT, WALL, STAFF = "participant", "wall", "staff"
#: An organiser's overview of a whole event, and the event's plenary report-out wall.
ORGANISER, PLENARY = "organiser", "plenary"


def public_room(theme_id: int) -> str:
    """Participants and walls: they only ever see visible notes."""
    return f"theme:{theme_id}"


def staff_room(theme_id: int) -> str:
    """The theme's facilitators and organisers: they see every note."""
    return f"staff:{theme_id}"


def organisers_room(event_id: int) -> str:
    """The organisers' overviews of an event: a row per theme, and the plenary's state."""
    return f"organisers:{event_id}"


def plenary_room(event_id: int) -> str:
    """The event's plenary report-out walls."""
    return f"plenary:{event_id}"


@dataclass
class Connection:
    role: str
    theme_id: int
    participant_id: int | None = None
    user_id: int | None = None
    #: The event of an organiser's overview or a plenary wall (their ``theme_id`` is 0).
    event_id: int | None = None
    #: The address the connection comes from (the phone's, behind a trusted proxy).
    address: str = ""
    #: Token bucket for this connection's events: a flood is refused, not queued.
    tokens: float = 40.0
    refilled_at: float = field(default_factory=monotonic)
    #: Refusals of this connection waiting out their pause (see ``handlers.refuse_flood``), and
    #: until when every event it sends is refused.
    held: int = 0
    refused_until: float = 0.0

    RATE = 10.0
    BURST = 40.0
    #: Seconds a refusal waits before it is sent, and how many may wait at once.
    HOLD = 1.0
    MAX_HELD = 40

    def spend(self) -> bool:
        """Take one event from the bucket. False when it is empty, and then for ``HOLD`` seconds
        after every refusal: a connection that sends on while refused stays refused."""
        now = monotonic()
        if now >= self.refused_until:
            self.tokens = min(self.BURST, self.tokens + (now - self.refilled_at) * self.RATE)
            self.refilled_at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
        self.refused_until = now + self.HOLD
        return False


_connections: dict[str, Connection] = {}
_phones: Counter[int] = Counter()
_per_address: Counter[str] = Counter()


def register(sid: str, connection: Connection) -> None:
    _connections[sid] = connection
    _per_address[connection.address] += 1
    if connection.role == PARTICIPANT:
        _phones[connection.theme_id] += 1


def _decrement(counter: Counter, key) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


def forget(sid: str) -> Connection | None:
    connection = _connections.pop(sid, None)
    if connection is not None:
        _decrement(_per_address, connection.address)
        if connection.role == PARTICIPANT:
            _decrement(_phones, connection.theme_id)
    return connection


def from_address(address: str) -> int:
    """How many connections this process holds from one address (a venue's Wi-Fi is often one)."""
    return _per_address.get(address, 0)


def get(sid: str) -> Connection | None:
    return _connections.get(sid)


def phones_in(theme_id: int) -> int:
    """How many phones this process has in a theme."""
    return _phones.get(theme_id, 0)
