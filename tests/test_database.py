"""Concurrent writers: every note stored once, sequence numbers gap-free, no deadlock, on the real database."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note, Theme
from tests.support.factories import make_participant, make_theme

WRITER = textwrap.dedent(
    """
    import sys, uuid
    from facilitate import create_app
    from facilitate.extensions import db
    from facilitate.models import Participant, Theme
    from facilitate.services import notes

    url, instance, theme_id, participant_id, count = sys.argv[1:6]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "MESSAGE_QUEUE": None,
                      "NOTES_PER_MINUTE": 10000})
    with app.app_context():
        for number in range(int(count)):
            theme = db.session.get(Theme, int(theme_id))
            participant = db.session.get(Participant, int(participant_id))
            notes.post_note(theme, participant, str(uuid.uuid4()), f"note {number} from {participant_id}")
            db.session.remove()
    """
)


def assert_stored_once_and_gap_free(theme_id: int, expected: int) -> None:
    db.session.rollback()  # a fresh snapshot: see what the other writers committed
    stored = db.session.scalars(
        select(Note).where(Note.theme_id == theme_id).order_by(Note.seq)
    ).all()
    assert len(stored) == expected
    assert [n.seq for n in stored] == list(range(1, expected + 1))
    assert len({n.client_id for n in stored}) == expected
    assert db.session.get(Theme, theme_id).seq == expected


def test_writers_in_separate_processes_queue_without_deadlock(app, tmp_path):
    app.config["NOTES_PER_MINUTE"] = 10000
    theme = make_theme()
    writers = [make_participant(theme) for _ in range(4)]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                url,
                str(tmp_path / "instance"),
                str(theme.id),
                str(p.id),
                "40",
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in writers
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert_stored_once_and_gap_free(theme.id, 160)


def test_writers_in_threads_of_one_process(app):
    app.config["NOTES_PER_MINUTE"] = 10000
    theme = make_theme()
    writers = [make_participant(theme) for _ in range(6)]
    failures = []

    def write(participant_id: int) -> None:
        import uuid

        from facilitate.models import Participant
        from facilitate.services import notes

        try:
            with app.app_context():
                for number in range(25):
                    notes.post_note(
                        db.session.get(Theme, theme.id),
                        db.session.get(Participant, participant_id),
                        str(uuid.uuid4()),
                        f"note {number}",
                    )
                    db.session.remove()
        except Exception as error:  # collected and asserted below
            failures.append(repr(error))

    threads = [threading.Thread(target=write, args=(p.id,)) for p in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert_stored_once_and_gap_free(theme.id, 150)
