"""Bundles uploaded on the event page, kept between the preview and the organiser's confirmation.

Each is a private file in the instance folder under a random name; one older than a few hours is
removed when another is kept.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

from .. import private

KEEP_SECONDS = 6 * 3600
_NAME = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _folder() -> Path:
    return private.folder(Path(current_app.instance_path) / "bundle-uploads")


def keep(data: bytes) -> str:
    """Store an uploaded bundle; its name, for the confirmation form."""
    folder = _folder()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.bundle"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    name = secrets.token_urlsafe(16)
    path = private.file(folder / f"{name}.bundle")
    path.write_bytes(data)
    return name


def read(name: object) -> bytes | None:
    """The bundle kept under ``name``, or ``None`` when there is none (or never was)."""
    if not isinstance(name, str) or not _NAME.match(name):
        return None
    path = _folder() / f"{name}.bundle"
    return path.read_bytes() if path.is_file() else None


def discard(name: str) -> None:
    if isinstance(name, str) and _NAME.match(name):
        (_folder() / f"{name}.bundle").unlink(missing_ok=True)
