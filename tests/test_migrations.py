"""The migrations build the whole schema, match the models, and go back down, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from facilitate import create_app
from facilitate.extensions import db
from tests.support import environment

TABLES = {
    "users",
    "events",
    "event_organisers",
    "themes",
    "theme_facilitators",
    "clusters",
    "participants",
    "notes",
    "votes",
    "writeups",
    "writeup_revisions",
}


def migrate_up_and_down(url: str, instance) -> None:
    app = create_app(
        {"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url, "MESSAGE_QUEUE": None}
    )
    with app.app_context():
        upgrade()
        engine = db.engine
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and up again, as a fresh install would
        assert set(inspect(engine).get_table_names()) >= TABLES
        db.session.remove()
        engine.dispose()


def test_sqlite_migrates_to_head_and_back(tmp_path):
    migrate_up_and_down(f"sqlite:///{tmp_path / 'migrate.db'}", tmp_path / "instance")


@pytest.mark.postgres
def test_postgresql_migrates_to_head_and_back(tmp_path):
    if not environment.postgres_available():
        environment.missing("PostgreSQL is not reachable")
    url = environment.create_postgres_database()
    try:
        migrate_up_and_down(url, tmp_path / "instance")
    finally:
        environment.drop_postgres_database(url)


def test_sqlite_database_is_tuned(tmp_path):
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "MESSAGE_QUEUE": None, "SQLALCHEMY_DATABASE_URI": None}
    )
    with app.app_context():
        assert db.engine.url.database == str(tmp_path / "facilitate.db")
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") >= 5000
        db.session.remove()
        db.engine.dispose()
    raw = create_engine(f"sqlite:///{tmp_path / 'facilitate.db'}")
    with raw.connect() as connection:
        assert (
            connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        )  # kept in the file
    raw.dispose()
