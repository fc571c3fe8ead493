"""Backing up and restoring the SQLite database of a laptop install.

``backup`` uses SQLite's online backup API: a consistent copy taken while the server keeps running
(WAL readers never block the writer). ``restore`` checks a copy before it replaces anything and keeps
the database it replaces beside it. PostgreSQL has its own tools (``pg_dump``; docs/deploy.md).
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy.engine import make_url

from .. import private
from .errors import ServiceError

TABLES = {"users", "events", "themes", "notes", "alembic_version"}


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    revision: str
    events: int
    notes: int
    size: int


def sqlite_path(database_url: str) -> Path:
    """The database file of a SQLite URL; anything else is refused with a pointer to its own tools."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ServiceError(
            "invalid",
            _(
                "Backups here are for the SQLite database of a laptop install. "
                "For PostgreSQL use pg_dump (see docs/deploy.md)."
            ),
        )
    return Path(url.database)


def inspect_copy(path: Path) -> BackupSummary:
    """Check that a file is a whole, readable Facilitate database and say what it holds."""
    if not path.is_file():
        raise ServiceError("not_found", _("There is no file at %(path)s.", path=path))
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ServiceError(
                    "invalid", _("%(path)s is damaged: SQLite's integrity check failed.", path=path)
                )
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables >= TABLES:
                raise ServiceError(
                    "invalid",
                    _("%(path)s is an SQLite file, but not a Facilitate database.", path=path),
                )
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            events = connection.execute("SELECT count(*) FROM events").fetchone()[0]
            notes = connection.execute("SELECT count(*) FROM notes").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise ServiceError(
            "invalid", _("%(path)s is not a readable database (%(error)s).", path=path, error=error)
        ) from None
    return BackupSummary(path, revision, events, notes, path.stat().st_size)


def backup(database_url: str, target: Path) -> BackupSummary:
    """Copy the live database to ``target`` consistently, even while the server writes. A target
    without a file suffix is a folder, made if need be, and the copy is named by its time."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise ServiceError(
            "not_found", _("There is no database at %(path)s yet.", path=source_path)
        )
    target = Path(target)
    if target.is_dir() or not target.suffix:  # a folder: name the copy by its time
        target = target / f"facilitate-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"
    if target.exists():
        raise ServiceError("invalid", _("%(path)s exists already; choose a new name.", path=target))
    private.folder(target.parent, narrow_existing=False)
    partial = private.file(target.with_name(target.name + ".partial"))
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    partial.replace(target)
    return inspect_copy(target)


def restore(database_url: str, copy: Path) -> tuple[BackupSummary, Path | None]:
    """Put a checked backup in place of the database; the one replaced is kept beside it.

    Stop the server first: a running server keeps using the file it opened.
    """
    summary = inspect_copy(Path(copy))
    destination = sqlite_path(database_url)
    kept = None
    if destination.exists():
        kept = destination.with_name(
            f"{destination.name}.before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}"
        )
        with closing(sqlite3.connect(destination, timeout=30)) as live:
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(destination, kept)
        private.narrow(kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{destination}{suffix}").unlink(missing_ok=True)
    private.folder(destination.parent, narrow_existing=False)
    shutil.copy2(summary.path, destination)
    private.narrow(destination)  # the copy may come from anywhere, with any bits
    return summary, kept
