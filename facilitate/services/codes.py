"""Join codes, wall tokens and participant tokens."""

from __future__ import annotations

import hashlib
import re
import secrets

#: Capitals and digits a person reads off a projector and types on a phone without confusion:
#: no 0/O, 1/I/L, and no 5/S, 2/Z or 8/B pairs either.
JOIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6
_NOT_IN_CODE = re.compile(r"[\s\-_.]+")
_WALL_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def new_join_code() -> str:
    """A random join code (25⁶, about 244 million possibilities)."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What a person typed, as a code: capitals, with spaces and dashes ignored; empty when it
    holds anything no code can (so nothing strange reaches the database)."""
    code = _NOT_IN_CODE.sub("", typed or "").upper()[:32]
    return code if code.isascii() and code.isalnum() else ""


def looks_like_wall_token(token: str) -> bool:
    """Whether ``token`` could be a wall token at all: URL-safe letters, at most 64."""
    return bool(_WALL_TOKEN.match(token or ""))


def new_wall_token() -> str:
    """A wall token of 192 random bits."""
    return secrets.token_urlsafe(24)


def new_participant_token() -> str:
    """A participant token of 192 random bits; only its hash is stored."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
