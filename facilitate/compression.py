"""Compressed responses (brotli or gzip), with static files compressed once and kept in memory.

Flask-Compress compresses pages as they go out. Static files arrive as open-file streams, which it
would compress again on every request; they are read into memory instead (they are small), so that
each is compressed once per algorithm and served from the cache afterwards.
"""

from __future__ import annotations

from flask import Flask, request

from .extensions import compress


class StaticCache:
    """Flask-Compress's cache, holding only static files: pages are personal and change."""

    def __init__(self) -> None:
        self._entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._entries.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(_STATIC_MARK):
            self._entries[key] = value


_STATIC_MARK = "#static"


def _cache_key(req) -> str:
    return f"{req.full_path}{_STATIC_MARK}" if req.endpoint == "static" else ""


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_CACHE_BACKEND", StaticCache)
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    compress.init_app(app)
    # Registered after Flask-Compress, so it runs before it (after_request runs in reverse).
    app.after_request(_buffer_static)


def _buffer_static(response):
    """Read a compressible static file into the response, closing the file at once."""
    if (
        request.endpoint == "static"
        and response.status_code == 200
        and response.is_streamed
        and response.mimetype in compress.compress_mimetypes_set
    ):
        response.direct_passthrough = False
        data = response.get_data()
        response.close()
        response.set_data(data)
    return response
