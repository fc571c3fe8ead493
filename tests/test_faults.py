"""Faults a laptop meets: a full disk and a read-only database. The phone hears "not saved", keeps
the note, and nothing is acknowledged that was not stored; once the fault clears, the resend stores
each note exactly once."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import uuid

import pytest
import requests
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note
from tests.support import environment
from tests.support.factories import make_theme
from tests.support.phones import LiveClient
from tests.support.servers import LiveServer

pytestmark = pytest.mark.server


def stored_client_ids(server: LiveServer) -> list[str]:
    with server.app_context():
        return list(db.session.scalars(select(Note.client_id)))


@pytest.fixture
def tiny_disk(tmp_path):
    """An 8 MB file system of its own, so that filling it harms nothing else."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        environment.missing(
            f"cannot mount a small tmpfs to fill up ({result.stderr.strip()}); needs root"
        )
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory, leave: int = 0) -> None:
    """Write a filler file until the file system has at most ``leave`` bytes free."""
    with open(directory / "filler", "ab", buffering=0) as filler:
        chunk = b"\0" * 65536
        with contextlib.suppress(OSError):
            while os.statvfs(directory).f_bavail * os.statvfs(directory).f_frsize > leave:
                filler.write(chunk)
                filler.flush()
        with contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 512)
                filler.flush()


def test_a_full_disk_refuses_notes_clearly_and_loses_none(tiny_disk):
    server = LiveServer(
        tiny_disk / "instance", f"sqlite:///{tiny_disk / 'instance' / 'facilitate.db'}"
    ).start()
    try:
        with server.app_context():
            theme = make_theme()
            code = theme.join_code
        phone = LiveClient(server.url, {"code": code}).connect()
        assert phone.post("Before the disk filled up")["ok"]
        fill(tiny_disk)
        waiting = {str(uuid.uuid4()): f"Posted on a full disk {n}" for n in range(5)}
        answers = [phone.post(text, client_id) for client_id, text in waiting.items()]
        refused = [a for a in answers if not a["ok"]]
        assert refused, "a full disk must refuse something"
        for answer in refused:
            assert answer["error"]["code"] == "unavailable"
            assert answer["error"]["message"].startswith("Not saved")
        acknowledged = {
            cid for (cid, _), a in zip(waiting.items(), answers, strict=True) if a["ok"]
        }
        (tiny_disk / "filler").unlink()
        for client_id, text in waiting.items():  # the outbox sends everything again
            assert phone.post(text, client_id)["ok"]
        stored = stored_client_ids(server)
        assert acknowledged <= set(stored)
        assert set(waiting) <= set(stored)
        assert len(stored) == len(set(stored)) == 6
        phone.disconnect()
    finally:
        server.close()


def test_a_read_only_database_says_not_saved_on_the_socket_and_the_form(tmp_path):
    path = tmp_path / "instance" / "facilitate.db"
    server = LiveServer(tmp_path / "instance", f"sqlite:///{path}").start()
    with server.app_context():
        theme = make_theme()
        code = theme.join_code
    phone = LiveClient(server.url, {"code": code}).connect()
    assert phone.post("Stored while writable")["ok"]
    token = phone.auth["token"]
    phone.disconnect()
    server.stop()

    read_only = LiveServer(
        tmp_path / "instance", f"sqlite:///file:{path}?mode=ro&uri=true", port=server.port
    )
    read_only.start()
    try:
        phone = LiveClient(read_only.url, {"code": code, "token": token}).connect()
        assert [n["text"] for n in phone.welcome["notes"]] == [
            "Stored while writable"
        ]  # reading still works
        client_id = str(uuid.uuid4())
        answer = phone.post("Posted while read-only", client_id)
        assert answer["ok"] is False
        assert answer["error"]["code"] == "unavailable"
        phone.disconnect()
        session = requests.Session()
        page = session.get(f"{read_only.url}/j/{code}", timeout=10)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        csrf = csrf or re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        form = session.post(
            f"{read_only.url}/j/{code}",
            data={
                "csrf_token": csrf.group(1),
                "client_id": str(uuid.uuid4()),
                "text": "No-JS note",
                "kind": "idea",
            },
            timeout=10,
        )
        assert form.status_code == 503
        assert "Not saved" in form.text
    finally:
        read_only.stop()
    writable = LiveServer(tmp_path / "instance", f"sqlite:///{path}", port=server.port).start()
    try:
        phone = LiveClient(writable.url, {"code": code, "token": token}).connect()
        assert phone.post("Posted while read-only", client_id)["ok"]
        assert sorted(stored_client_ids(writable)).count(client_id) == 1
        phone.disconnect()
    finally:
        writable.close()
        server.close()
