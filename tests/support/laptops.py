"""Several Facilitate installs in one test: each its own instance folder and database (SQLite, or
a PostgreSQL database of its own when the run is on PostgreSQL), migrated as a first start
would, with the command line of each."""

from __future__ import annotations

import contextvars
import json
from contextlib import contextmanager
from pathlib import Path

import pytest

from facilitate import create_app, database
from facilitate.extensions import db
from facilitate.models import Role
from tests.support import environment
from tests.support.factories import make_user


class Laptop:
    """One machine's install: ``with laptop.context():`` to arrange or check its data, and
    ``laptop.cli(...)`` to run ``facilitate …`` on it as its owner would."""

    def __init__(self, folder: Path, name: str):
        self.name = name
        self.instance = Path(folder) / name
        if environment.use_postgres():
            if not environment.postgres_available():
                environment.missing("PostgreSQL is not reachable")
            self.database_url = environment.create_postgres_database()
        else:
            self.instance.mkdir(parents=True, exist_ok=True)
            self.database_url = f"sqlite:///{self.instance / 'facilitate.db'}"
        self.app = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(self.instance),
                "SQLALCHEMY_DATABASE_URI": self.database_url,
                "MESSAGE_QUEUE": None,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            }
        )
        database.upgrade(self.app)

    @contextmanager
    def context(self):
        with self.app.app_context():
            try:
                yield self.app
            finally:
                db.session.remove()

    def cli(self, *args: str):
        """``facilitate ARGS`` on this machine; the click result (exit code, stdout, stderr). It runs
        outside whatever app context the test has open, as a command in its own process would."""
        runner = self.app.test_cli_runner()
        return contextvars.Context().run(runner.invoke, args=[str(arg) for arg in args])

    def report(self, slug: str) -> dict:
        """The event's report as ``facilitate export SLUG --format json`` writes it."""
        result = self.cli("export", slug, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.database_url.startswith("postgresql"):
            environment.drop_postgres_database(self.database_url)


@pytest.fixture
def laptops(tmp_path):
    """``laptops("a")``: a new install, with the same two accounts as every other (Olu organises,
    Sam facilitates), each with its own password as on separate machines."""
    made = []

    def make(name: str) -> Laptop:
        laptop = Laptop(tmp_path, name)
        made.append(laptop)
        with laptop.context():
            make_user(Role.ORGANISER, "olu@example.org", "Olu")
            make_user(Role.FACILITATOR, "sam@example.org", "Sam")
        return laptop

    yield make
    for laptop in made:
        laptop.close()
