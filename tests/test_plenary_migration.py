"""Migration 0009 gives every event that already exists its own plenary address, and goes back
down again."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from facilitate import create_app
from facilitate.extensions import db


def test_0009_gives_existing_events_distinct_plenary_tokens(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
            "MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            for number in (1, 2, 3):
                connection.execute(
                    text(
                        "INSERT INTO events (id, slug, title, created_at, updated_at) VALUES "
                        f"({number}, 'day-{number}', 'Day {number}', '2026-11-23 10:00:00',"
                        " '2026-11-23 10:00:00')"
                    )
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT plenary_token, plenary_view FROM events")).all()
        tokens = [token for token, _ in rows]
        assert len(set(tokens)) == 3
        assert all(len(token) >= 32 for token in tokens)
        assert all(view in ("{}", {}) for _, view in rows)
        downgrade(revision="0005")
        columns = {c["name"] for c in inspect(db.engine).get_columns("events")}
        assert "plenary_token" not in columns
        db.session.remove()
        db.engine.dispose()
