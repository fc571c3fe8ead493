"""Database engine setup and the one way services write: ``write_transaction``.

SQLite (the laptop default) runs in WAL mode with ``synchronous=NORMAL``, a busy timeout and
foreign keys on. A write transaction starts with ``BEGIN IMMEDIATE`` so that two writers queue for
the lock instead of both reading and then deadlocking on the upgrade; inside one process writers
also queue on a lock that gevent can switch on, because SQLite's own busy wait would block every
greenlet, including the one holding the lock. On PostgreSQL the services lock the theme row.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from . import private
from .extensions import db

log = logging.getLogger(__name__)

#: What a failed statement raises, for callers that must not import SQLAlchemy themselves.
DatabaseError = SQLAlchemyError

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
)


def init_app(app: Flask) -> None:
    """Tune the engine for its dialect and keep what ``write_transaction`` needs on the app."""
    with app.app_context():
        engine = db.engine
        is_sqlite = engine.dialect.name == "sqlite"
        if is_sqlite:
            _keep_private(engine.url)
            _configure_sqlite(engine)
    app.extensions["facilitate.write_lock"] = threading.Lock() if is_sqlite else None


def engine_options(uri: str) -> dict:
    """Pool settings for the database URL: SQLite needs no network pool, PostgreSQL a sized one."""
    if uri.startswith("sqlite"):
        return {"pool_size": 20, "max_overflow": 20, "pool_timeout": 30}
    return {
        "pool_size": 10,
        "max_overflow": 20,
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        # A stuck lock or query fails the one request after a while instead of holding a pool
        # connection (and a phone's note) for ever.
        "connect_args": {
            "application_name": "facilitate",
            "options": "-c statement_timeout=20000 -c lock_timeout=15000",
        },
    }


def _keep_private(url) -> None:
    """Ready the database file owner-only before SQLite first opens it (docs/security.md). A
    ``file:`` URI may open it read-only: then an existing file is only narrowed, never made."""
    database = url.database or ""
    creates = True
    if url.query.get("uri") and database.startswith("file:"):
        database = urlsplit(database).path
        creates = url.query.get("mode") not in ("ro", "memory")
    if not database or database == ":memory:":
        return
    if creates:
        private.sqlite_database(Path(database))
    elif Path(database).exists():
        private.narrow(Path(database))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = connection.get_execution_options().get("facilitate_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block as one write transaction, committed at the end or rolled back on error.

    Any read transaction the caller had open is ended first and every loaded object is expired,
    so the block works on the latest committed state. Objects keep their values after the commit,
    so the caller can build payloads without further queries. Called inside another write
    transaction it joins that one, so services compose into one all-or-nothing change.
    """
    session = db.session
    if session.info.get("facilitate.writing"):
        yield
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("Changes were made outside write_transaction()")
    session.commit()
    session.expire_all()
    lock = current_app.extensions["facilitate.write_lock"]
    with lock or nullcontext():
        session.connection(execution_options={"facilitate_write": True})
        session.info["facilitate.writing"] = True
        session.info["facilitate.changes"] = []
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise
        else:
            changes = session.info["facilitate.changes"]
        finally:
            session.info.pop("facilitate.writing", None)
            session.info.pop("facilitate.changes", None)
    if changes:
        _publish(changes)


def record(change: object) -> None:
    """Inside a write transaction: note what it changed, for the publisher after the commit."""
    changes = db.session.info.get("facilitate.changes")
    if changes is None:
        raise RuntimeError("A change was recorded outside write_transaction()")
    changes.append(change)


def on_commit(app: Flask, publish: Callable[[list], None]) -> None:
    """Have ``publish(changes)`` called after every committed write transaction of this app that
    recorded something. The services stay free of Socket.IO: the realtime layer installs it."""
    app.extensions["facilitate.publish"] = publish


def _publish(changes: list) -> None:
    publish = current_app.extensions.get("facilitate.publish")
    if publish is None:
        return
    try:
        publish(changes)
    except Exception:  # stored all the same: pages catch up with ``sync``
        log.exception("Could not tell the room about a stored change")


def rollback() -> None:
    """Drop whatever a refused or failed change left in the session."""
    db.session.rollback()


def end_session() -> None:
    """Give the session's connection back to the pool (after background work)."""
    db.session.remove()


#: Any constant will do: PostgreSQL advisory locks are named by a number.
_MIGRATION_LOCK = 0x46414349


def upgrade(app: Flask) -> None:
    """Create or migrate the database to the latest schema.

    On PostgreSQL an advisory lock makes processes that start together take turns: the first
    migrates, the others then find nothing to do.
    """
    from flask_migrate import upgrade as alembic_upgrade
    from sqlalchemy import text

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
                try:
                    alembic_upgrade()
                finally:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK}
                    )
                    connection.commit()
        else:
            alembic_upgrade()
        db.session.remove()


def describe(app: Flask) -> str:
    """The database URL without its password, for the start-up banner."""
    from sqlalchemy.engine import make_url

    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
