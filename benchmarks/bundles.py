"""Time a bundle's export and import: one theme with many notes, from one install to another.

    python benchmarks/bundles.py [--notes 2000] [--participants 100]

Two fresh SQLite installs in a temporary folder. The notes are posted through the same service as
a phone's, then ``facilitate bundle export`` runs on the first and ``facilitate bundle import``
twice on the second (the second time finds every note present). Not a test: the figures go in
docs/bundles.md.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitate import create_app, database  # noqa: E402
from facilitate.services import accounts, events, notes, participants, phases, themes  # noqa: E402


def install(folder: Path):
    folder.mkdir(parents=True)
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'facilitate.db'}",
            "MESSAGE_QUEUE": None,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    database.upgrade(app)
    with app.app_context():
        accounts.create_user("olu@example.org", "Olu", "organiser", "a long enough password")
    return app


def command(app, *args) -> tuple[float, str]:
    runner = app.test_cli_runner()
    started = time.perf_counter()
    result = contextvars.Context().run(runner.invoke, args=[str(a) for a in args])
    if result.exit_code:
        raise SystemExit(result.output)
    return time.perf_counter() - started, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=100)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bundles-"))
    first, second = install(folder / "a"), install(folder / "b")
    with first.app_context():
        event = events.create_event(None, "Best by West Midlands launch")
        slug = event.slug
        theme = themes.create_theme(event, "Tactics")

        phases.set_phase(theme, "open")
        people = [participants.join(event, None)[0] for _ in range(options.participants)]
        for number in range(options.notes):
            person = people[number % len(people)]
            notes.post_note(theme, person, uuid.uuid4().hex, f"Note {number} on tactics")
    path = folder / "a.bundle"
    exported, _ = command(first, "bundle", "export", slug, "--output", path)
    imported, out = command(second, "bundle", "import", path)
    again, out_again = command(second, "bundle", "import", path)
    added = json.loads(out)["themes"][0]["notes_added"]
    present = json.loads(out_again)["themes"][0]["notes_present"]
    print(
        f"{options.notes:,} notes, {options.participants} participants: bundle "
        f"{path.stat().st_size / 1024:.0f} kB; export {exported:.2f} s; import {imported:.2f} s "
        f"({added:,} added); again {again:.2f} s ({present:,} present)"
    )


if __name__ == "__main__":
    main()
