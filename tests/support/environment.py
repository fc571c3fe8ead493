"""Which real services this machine has, and what to do when one is missing.

On CI (``CI=true``) a missing browser, PostgreSQL or Redis fails the test; on a person's machine the
test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from functools import cache
from urllib.parse import urlsplit

import pytest

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: An administrative connection; each test run makes its own database beside it.
POSTGRES_ADMIN_URL = os.environ.get(
    "FACILITATE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
#: Tests use their own Redis database number, never the default 0.
REDIS_URL = os.environ.get("FACILITATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def missing(reason: str) -> None:
    """Fail on CI, skip elsewhere."""
    if ON_CI:
        pytest.fail(f"{reason} (CI must run this test, not skip it)")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


@cache
def postgres_available() -> bool:
    return _reachable(POSTGRES_ADMIN_URL, 5432)


@cache
def redis_available() -> bool:
    return _reachable(REDIS_URL, 6379)


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("FACILITATE_TEST_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
    ):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def use_postgres() -> bool:
    """Whether this run puts the whole suite on PostgreSQL (``FACILITATE_TEST_DATABASE=postgresql``)."""
    return os.environ.get("FACILITATE_TEST_DATABASE", "sqlite").lower().startswith("postgres")


def create_postgres_database() -> str:
    """Make an empty database for this test run and return its URL."""
    import psycopg

    name = f"facilitate_test_{uuid.uuid4().hex[:10]}"
    admin = POSTGRES_ADMIN_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = POSTGRES_ADMIN_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
