"""The one error type services raise: a code from the realtime contract and a sentence for people,
and the one table of those codes with the HTTP status each has on the web."""

from __future__ import annotations

#: Every code a refusal may carry (docs/realtime.md, "Error codes", plus the write-up editor's
#: ``conflict``), with its HTTP status. Socket acknowledgements and refused connections carry the
#: code itself; web pages and JSON answers send the status.
HTTP_STATUS = {
    "empty": 400,
    "too_long": 400,
    "invalid": 400,
    "name_required": 400,
    "no_votes_left": 409,
    "theme_closed": 409,
    "conflict": 409,
    "forbidden": 403,
    "not_found": 404,
    "rate_limited": 429,
    "unavailable": 503,
}


def http_status(code: str) -> int:
    """The HTTP status of a refusal with this code."""
    return HTTP_STATUS[code]


class ServiceError(Exception):
    """A refused change. ``code`` is one of the contract's codes (``empty``, ``too_long``,
    ``theme_closed``, ``forbidden``, ``not_found``, ``rate_limited``, ``invalid``, ``unavailable``);
    ``message`` is shown to the person as it is."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        if code not in HTTP_STATUS:
            raise ValueError(f"{code!r} is not an error code of the contract")
        super().__init__(message)
        self.code = code
        #: A sentence, or a lazily translated one (made at import time, read in the language
        #: of the request that is refused).
        self._message = message
        #: The form field the problem is about, when there is one.
        self.field = field

    @property
    def message(self) -> str:
        return str(self._message)

    def __str__(self) -> str:
        return self.message

    @property
    def status(self) -> int:
        """The HTTP status this refusal has on the web."""
        return http_status(self.code)

    def as_payload(self) -> dict:
        return {"ok": False, "error": {"code": self.code, "message": self.message}}


def require(condition: bool, code: str, message: str, *, field: str | None = None) -> None:
    """Raise ``ServiceError`` unless ``condition`` holds."""
    if not condition:
        raise ServiceError(code, message, field=field)
