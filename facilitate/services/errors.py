"""The one error type services raise: a code from the realtime contract and a sentence for people."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused change. ``code`` is one of the contract's codes (``empty``, ``too_long``,
    ``theme_closed``, ``forbidden``, ``not_found``, ``rate_limited``, ``invalid``, ``unavailable``);
    ``message`` is shown to the person as it is."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        #: The form field the problem is about, when there is one.
        self.field = field

    def as_payload(self) -> dict:
        return {"ok": False, "error": {"code": self.code, "message": self.message}}


def require(condition: bool, code: str, message: str, *, field: str | None = None) -> None:
    """Raise ``ServiceError`` unless ``condition`` holds."""
    if not condition:
        raise ServiceError(code, message, field=field)
