"""Migration 0002 adds the write-up editing columns to a database that already holds write-ups, and
goes back down again."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from facilitate import create_app
from facilitate.extensions import db


def test_0002_keeps_existing_revisions_and_goes_back_down(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
            "MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO events (id, slug, title, created_at, updated_at) VALUES "
                    "(1, 'launch', 'Launch', '2026-11-23 10:00:00', '2026-11-23 10:00:00');"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO themes (id, event_id, position, title, prompt, join_code, "
                    "wall_token, phase, names_required, approval_required, votes_per_participant,"
                    " note_max_length, timer_closes, seq, created_at, updated_at) VALUES (1, 1, 0,"
                    " 'Trust', '', 'ABCDEF', 'token', 'closed', 0, 0, 5, 500, 0, 0,"
                    " '2026-11-23 10:00:00', '2026-11-23 10:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO writeups (id, theme_id, status, body, compiled_seq, created_at,"
                    " updated_at) VALUES (1, 1, 'draft', 'Old words', 0, '2026-11-23 11:00:00',"
                    " '2026-11-23 11:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO writeup_revisions (writeup_id, number, body, reason, created_at)"
                    " VALUES (1, 1, 'Old words', 'edited', '2026-11-23 11:00:00')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT updated_at, created_at FROM writeup_revisions")
            ).one()
            writeup = connection.execute(
                text("SELECT known_note_ids, show_citations, published_revision FROM writeups")
            ).one()
        assert row[0] == row[1]
        assert (writeup[0], bool(writeup[1]), writeup[2]) == ("[]", True, None)
        downgrade(revision="0001")
        columns = {c["name"] for c in inspect(db.engine).get_columns("writeups")}
        assert "known_note_ids" not in columns
        assert "body" in columns
        db.session.remove()
        db.engine.dispose()
