"""Files only the account running Facilitate may read: the instance folder and what is in it.

The database holds every note and account, the secret key signs every session, and a backup is a
whole database. Each is created owner-only (folders 0700, files 0600) whatever the umask, and a
file or folder found with wider bits is narrowed. SQLite gives a database's ``-wal`` and ``-shm``
files the permission bits of the database file itself, so a 0600 database keeps them 0600 too.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
#: What SQLite keeps beside a database file while it is open.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def folder(path: Path, *, narrow_existing: bool = True) -> Path:
    """Make ``path`` (and missing parents) owner-only; an existing folder is narrowed to 0700
    unless ``narrow_existing`` is false (a folder the person chose for backups, say)."""
    path = Path(path)
    missing = []
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by another process at the same moment
            candidate.mkdir(mode=FOLDER_MODE)
        _narrow(candidate, FOLDER_MODE)
    if narrow_existing and not missing:
        _narrow(path, FOLDER_MODE)
    return path


def file(path: Path) -> Path:
    """Create ``path`` empty and owner-only if it is missing, else narrow it to 0600."""
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _narrow(path, FILE_MODE)
    else:
        os.fchmod(descriptor, FILE_MODE)  # a umask cannot widen it, but an odd one can narrow it
        os.close(descriptor)
    return path


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, owner-only from the first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text)


def sqlite_database(path: Path) -> None:
    """Ready a SQLite database file before SQLite opens it: owner-only, and its companions too."""
    path = Path(path)
    folder(path.parent, narrow_existing=False)
    file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            _narrow(companion, FILE_MODE)


def narrow(path: Path) -> None:
    """Take away group and other bits from an existing file (0600) or folder (0700)."""
    path = Path(path)
    _narrow(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def _narrow(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as error:  # someone else's folder, say: work on, but say so
        log.warning("Could not make %s owner-only: %s", path, error.strerror)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` owner-only, whole or not at all (a reader never sees half)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)
