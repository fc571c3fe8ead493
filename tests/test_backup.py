"""``facilitate backup`` while the server runs and phones post, and ``facilitate restore`` back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from contextlib import closing

import pytest

from tests.support.factories import make_theme
from tests.support.phones import LiveClient

pytestmark = pytest.mark.server


def facilitate(instance, *arguments, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "FACILITATE_INSTANCE_PATH": str(instance)}
    env.pop("FACILITATE_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "facilitate", *arguments],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def count_notes(path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM notes").fetchone()[0]


def test_backup_during_heavy_posting_then_restore(tmp_path):
    from tests.support.servers import LiveServer

    instance = tmp_path / "instance"
    server = LiveServer(instance, f"sqlite:///{instance / 'facilitate.db'}").start()
    try:
        check_backup_and_restore(server, instance, tmp_path)
    finally:
        server.close()


def check_backup_and_restore(server, instance, tmp_path):
    with server.app_context():
        code = make_theme().join_code
    phones = [LiveClient(server.url, {"code": code}).connect() for _ in range(4)]
    stop = threading.Event()

    def keep_posting(phone):
        while not stop.is_set():
            phone.post(f"note {uuid.uuid4()}")

    threads = [threading.Thread(target=keep_posting, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    try:
        backups = tmp_path / "backups"
        result = facilitate(instance, "backup", str(backups))
        assert result.returncode == 0, result.stderr
        assert "Backed up 1 events and" in result.stdout
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        for phone in phones:
            phone.disconnect()
    [copy] = backups.glob("facilitate-*.db")
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    in_copy = count_notes(copy)
    server.stop()
    live_total = count_notes(instance / "facilitate.db")
    assert 0 < in_copy <= live_total

    refused = facilitate(instance, "restore", str(tmp_path / "nothing.db"), "--yes")
    assert refused.returncode == 1
    assert "There is no file at" in refused.stderr
    not_ours = tmp_path / "other.db"
    with closing(sqlite3.connect(not_ours)) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    refused = facilitate(instance, "restore", str(not_ours), "--yes")
    assert "not a Facilitate database" in refused.stderr

    restored = facilitate(instance, "restore", str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Restored." in restored.stdout
    assert count_notes(instance / "facilitate.db") == in_copy
    [kept] = instance.glob("facilitate.db.before-restore-*")
    assert count_notes(kept) == live_total  # nothing is thrown away
    server.start()
    again = LiveClient(server.url, {"code": code}).connect()
    assert len(again.welcome["notes"]) == in_copy
    again.disconnect()


def test_backup_explains_itself_on_postgresql(tmp_path):
    env = {
        **os.environ,
        "FACILITATE_INSTANCE_PATH": str(tmp_path),
        "FACILITATE_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/none",
    }
    result = subprocess.run(
        [sys.executable, "-m", "facilitate", "backup", str(tmp_path / "b")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "For PostgreSQL use pg_dump" in result.stderr
