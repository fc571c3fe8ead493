"""A bundle imported with the real command into the database of a running server: phones already
on the theme catch up with ``sync``, as after any change."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Phase, User
from facilitate.services import events
from tests.support.factories import make_theme
from tests.support.phones import LiveClient
from tests.test_bundles import SLUG, TACTICS, run_theme, theme_named


def facilitate(server, *args) -> subprocess.CompletedProcess:
    """``facilitate ARGS`` in its own process, on the server's instance folder and database."""
    return subprocess.run(
        [sys.executable, "-m", "facilitate", *map(str, args)],
        env=server.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_phones_on_a_running_server_catch_up_with_an_imported_bundle(
    live_server, laptops, tmp_path
):
    a = laptops("a")
    with a.context():
        olu = db.session.scalar(select(User).where(User.email == "olu@example.org"))
        make_theme(
            events.create_event(olu, "Best by West Midlands launch"), "Tactics", [], Phase.OPEN
        )
        code = theme_named("Tactics").join_code
    assert a.cli("bundle", "export", SLUG, "--output", tmp_path / "plan.bundle").exit_code == 0
    planned = facilitate(live_server, "bundle", "import", tmp_path / "plan.bundle")
    assert planned.returncode == 0, planned.stderr

    phone = LiveClient(live_server.url, {"code": code}).connect()
    seq = phone.welcome["seq"]
    run_theme(a, "Tactics", TACTICS, "Online")
    assert a.cli("bundle", "export", SLUG, "--output", tmp_path / "a.bundle").exit_code == 0
    imported = facilitate(live_server, "bundle", "import", tmp_path / "a.bundle")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["themes"][0]["notes_added"] == 5

    caught_up = phone.call("sync", {"since": seq})
    assert caught_up["ok"]
    public = {note["text"] for note in caught_up["notes"] if not note.get("merged_into")}
    assert public >= set(TACTICS[:2] + TACTICS[3:])
    assert caught_up["seq"] > seq
    phone.disconnect()
