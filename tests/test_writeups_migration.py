"""Migrations on a database that already holds data: 0002 adds the write-up editing columns and goes
back down again, and every later one keeps the notes, their authors and the revisions."""

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


def test_upgrading_a_first_round_database_keeps_every_note_and_its_author(tmp_path):
    """SQLite rebuilds a table to alter it; the rebuild must not cascade into the rows that point at
    it (a theme's notes, a participant's notes, a write-up's revisions)."""
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
            "MESSAGE_QUEUE": None,
        }
    )
    stamp = "'2026-11-23 10:00:00'"
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            for statement in (
                f"INSERT INTO events (id, slug, title, created_at, updated_at)"
                f" VALUES (1, 'launch', 'Launch', {stamp}, {stamp})",
                "INSERT INTO themes (id, event_id, position, title, prompt, join_code, wall_token,"
                " phase, names_required, approval_required, votes_per_participant,"
                f" note_max_length, timer_closes, seq, created_at, updated_at) VALUES (1, 1, 0,"
                f" 'Trust', '', 'ABCDEF', 'token', 'open', 0, 0, 5, 500, 0, 2, {stamp}, {stamp})",
                "INSERT INTO participants (id, event_id, token_hash, name, created_at)"
                f" VALUES (1, 1, 'hash', 'Ann', {stamp})",
            ):
                connection.execute(text(statement))
            for number in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO notes (theme_id, participant_id, client_id, text, kind, status,"
                        " pinned, people, votes, created_at, updated_at, seq) VALUES (1, 1,"
                        f" 'client-{number}', 'Note {number}', 'idea', 'visible', 0, 1, 0,"
                        f" {stamp}, {stamp}, {number})"
                    )
                )
        upgrade()
        with db.engine.connect() as connection:
            notes = connection.execute(
                text("SELECT text, participant_id FROM notes ORDER BY seq")
            ).all()
            violations = connection.execute(text("PRAGMA foreign_key_check")).all()
            foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar()
        assert [tuple(note) for note in notes] == [("Note 1", 1), ("Note 2", 1)]
        assert violations == []
        assert foreign_keys == 1  # the app's connections enforce them again afterwards
        db.session.remove()
        db.engine.dispose()
