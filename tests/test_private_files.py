"""The instance folder and everything Facilitate keeps in it are the owner's alone (folders 0700,
files 0600), whatever umask the person who starts the server happens to have."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate import private
from tests.support.servers import LiveServer, sign_up_first_organiser


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def under_umask(umask: int, command: list[str]) -> list[str]:
    return ["sh", "-c", f"umask {umask:03o} && exec {shlex.join(command)}"]


@pytest.mark.parametrize("umask", [0o022, 0o000], ids=["umask-022", "umask-000"])
def test_serve_keeps_the_instance_folder_owner_only(tmp_path, umask):
    instance = tmp_path / "instance"
    database = instance / "facilitate.db"
    server = LiveServer(instance, f"sqlite:///{database}")
    os.chmod(instance, 0o755)  # as a person's own mkdir would leave it
    server.command = under_umask(umask, server.command)
    try:
        server.start()
        assert mode(instance / "setup_token") == 0o600
        sign_up_first_organiser(server)
        assert mode(instance) == 0o700
        for name in ("facilitate.db", "facilitate.db-wal", "facilitate.db-shm", "secret_key"):
            assert mode(instance / name) == 0o600, name

        backups = instance / "backups" / "nightly"
        done = subprocess.run(
            under_umask(umask, [sys.executable, "-m", "facilitate", "backup", str(backups)]),
            env=server.env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert mode(instance / "backups") == 0o700
        assert mode(backups) == 0o700
        copies = sorted(backups.iterdir())
        assert copies
        assert copies[0].suffix == ".db"
        for copy in copies:  # the copy, and what SQLite keeps beside it while it is read
            assert mode(copy) == 0o600, copy.name
    finally:
        server.close()


def test_an_older_install_with_wider_bits_is_narrowed(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    for name in ("facilitate.db", "facilitate.db-wal", "secret_key"):
        (instance / name).touch()
        os.chmod(instance / name, 0o644)
    (instance / "secret_key").write_text("a" * 64)
    code = (
        "from facilitate import create_app; "
        f"create_app({{'INSTANCE_PATH': {str(instance)!r}, 'MESSAGE_QUEUE': None}})"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATE_")}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert mode(instance) == 0o700
    for name in ("facilitate.db", "facilitate.db-wal", "secret_key"):
        assert mode(instance / name) == 0o600, name


def test_files_written_under_an_open_umask_are_still_owner_only(tmp_path):
    previous = os.umask(0)
    try:
        folder = private.folder(tmp_path / "a" / "b")
        made = private.file(folder / "made")
        private.write_text(folder / "written", "text")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "a") == mode(folder) == 0o700
    assert mode(made) == mode(folder / "written") == 0o600


def test_a_read_only_uri_database_is_narrowed_but_nothing_is_made(tmp_path):
    database = tmp_path / "kept" / "facilitate.db"
    database.parent.mkdir()
    database.touch()
    os.chmod(database, 0o644)
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    config = {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{database}?mode=ro&uri=true",
        "MESSAGE_QUEUE": None,
    }
    code = f"from facilitate import create_app; create_app({config!r})"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATE_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert list(workdir.iterdir()) == []  # no folder named "file:" beside the process
    assert mode(database) == 0o600
    assert sorted(p.name for p in database.parent.iterdir()) == ["facilitate.db"]
