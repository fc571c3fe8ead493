"""The command line of the contract: ``user add``, ``event import``, ``demo``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from facilitate import create_app
from facilitate.extensions import db
from facilitate.models import Event, Note, Phase, Role, Theme, User
from tests.support.factories import make_user

EVENT_YAML = """\
title: Best by West Midlands launch
date: 2026-11-23
venue: Sandwell Council House
themes:
  - title: Tactics
    prompt: What works online?
    facilitators: [sam@example.org]
  - title: Training
    facilitators: [sam@example.org]
    approval_required: true
  - title: Trust
    prompt: How do we trust staff with social media, and earn the public's trust?
    facilitators: [andy@example.org]
    settings:
      names_required: true
      votes_per_participant: 3
      note_max_length: 280
"""


def test_user_add_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "user",
            "add",
            "andy@example.org",
            "--name",
            "Andy",
            "--role",
            "facilitator",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created facilitator account for Andy <andy@example.org>." in result.output
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role) == ("andy@example.org", Role.FACILITATOR)


def test_user_add_refuses_a_short_password_and_a_duplicate(runner):
    short = runner.invoke(
        args=[
            "user",
            "add",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "organiser",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    make_user(email="b@example.org")
    duplicate = runner.invoke(
        args=[
            "user",
            "add",
            "B@example.org",
            "--name",
            "B",
            "--role",
            "organiser",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert duplicate.exit_code == 1
    assert "There is already an account for b@example.org." in duplicate.output


def test_event_import_yaml_prints_the_contract(runner, tmp_path):
    make_user(email="sam@example.org")
    make_user(email="andy@example.org")
    organiser = make_user(Role.ORGANISER)
    source = tmp_path / "event.yaml"
    source.write_text(EVENT_YAML)
    result = runner.invoke(args=["event", "import", str(source)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["event"] == {
        "slug": "best-by-west-midlands-launch",
        "title": "Best by West Midlands launch",
    }
    assert [t["title"] for t in printed["themes"]] == ["Tactics", "Training", "Trust"]
    for item in printed["themes"]:
        theme = db.session.get(Theme, item["id"])
        assert item["code"] == theme.join_code
        assert item["join_url"] == f"/j/{theme.join_code}"
        assert item["wall_url"] == f"/wall/{theme.wall_token}"
        assert theme.phase is Phase.DRAFT
    trust = db.session.get(Theme, printed["themes"][2]["id"])
    assert (
        trust.names_required,
        trust.approval_required,
        trust.votes_per_participant,
        trust.note_max_length,
    ) == (True, False, 3, 280)
    assert [u.email for u in trust.facilitators] == ["andy@example.org"]
    training = db.session.get(Theme, printed["themes"][1]["id"])
    assert (
        training.approval_required,
        training.votes_per_participant,
        training.note_max_length,
    ) == (True, 5, 500)
    assert db.session.scalar(db.select(Event)).organisers == [organiser]


def test_event_import_json_with_base_url_gives_absolute_addresses(app, runner, tmp_path):
    app.config["BASE_URL"] = "https://facilitate.example.org"
    source = tmp_path / "event.json"
    source.write_text(json.dumps({"title": "Launch", "themes": [{"title": "Trust"}]}))
    result = runner.invoke(args=["event", "import", str(source)])
    assert result.exit_code == 0, result.output
    theme = json.loads(result.output)["themes"][0]
    assert theme["join_url"] == f"https://facilitate.example.org/j/{theme['code']}"
    assert theme["wall_url"].startswith("https://facilitate.example.org/wall/")


def test_event_import_names_the_line_and_field_of_a_problem(runner, tmp_path):
    make_user(email="sam@example.org")
    source = tmp_path / "event.yaml"
    source.write_text(EVENT_YAML)
    result = runner.invoke(args=["event", "import", str(source)])
    assert result.exit_code == 1
    assert "line 13, themes[2].facilitators[0]: no account for andy@example.org" in result.output
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0  # nothing half-imported


def test_event_import_reports_bad_yaml_bad_json_and_bad_values(runner, tmp_path):
    cases = {
        "bad.yaml": ("title: [unclosed\n", "line 2"),
        "bad.json": ('{"title": "x",\n "themes": [}\n', "line 2, column 13: not valid JSON"),
        "votes.yaml": (
            "title: X\nthemes:\n  - title: T\n    votes_per_participant: lots\n",
            "line 4, themes[0].votes_per_participant: must be a whole number",
        ),
        "missing.yaml": ("venue: Somewhere\n", "title: is required"),
        "date.yaml": (
            "title: X\ndate: 23/11/2026\n",
            "line 2, date: must be a date such as 2026-11-23",
        ),
        "extra.yaml": ("title: X\nthemse: []\n", "line 2, themse: unknown field"),
        "limit.yaml": (
            "title: X\nthemes:\n  - title: T\n    note_max_length: 5\n",
            "line 4, themes[0].note_max_length: The note length limit",
        ),
    }
    for name, (text, expected) in cases.items():
        source = tmp_path / name
        source.write_text(text)
        result = runner.invoke(args=["event", "import", str(source)])
        assert result.exit_code == 1, (name, result.output)
        assert expected in result.output, (name, result.output)
    missing = runner.invoke(args=["event", "import", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert "Cannot read" in missing.output


def test_demo_loads_a_full_session_in_its_own_folder(app, runner):
    real_events = db.session.scalar(db.select(db.func.count(Event.id)))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Loaded “Best by West Midlands launch” with 3 themes:" in result.output
    assert "organiser@example.org" in result.output
    folder = Path(app.instance_path).with_name("instance-demo")
    assert f"apart from your real events: {folder}" in result.output
    assert "facilitate serve --demo" in result.output
    assert "facilitate demo --remove" in result.output
    # The real event's database holds nothing of the demo.
    assert db.session.scalar(db.select(db.func.count(Event.id))) == real_events
    assert (folder / "facilitate.db").is_file()
    demo_app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'facilitate.db'}",
        }
    )
    with demo_app.app_context():
        event = db.session.scalar(db.select(Event))
        for theme in event.themes:
            assert f"join code {theme.join_code}" in result.output
            assert f"/wall/{theme.wall_token}" in result.output
        assert [t.title for t in event.themes] == ["Tactics", "Training", "Trust"]
        trust = event.themes[2]
        assert len(trust.clusters) == 3
        visible = [
            n
            for n in db.session.scalars(db.select(Note).where(Note.theme_id == trust.id))
            if n.is_public
        ]
        assert len(visible) >= 8
        assert any(n.pinned for n in visible)
        assert any(n.people == 2 for n in visible)
        db.session.remove()
        db.engine.dispose()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "created earlier" in again.output

    removed = runner.invoke(args=["demo", "--remove"])
    assert removed.exit_code == 0, removed.output
    assert "Your real events are untouched" in removed.output
    assert not folder.exists()
    assert Path(app.instance_path).is_dir()
    nothing = runner.invoke(args=["demo", "--remove"])
    assert nothing.exit_code == 1
    assert "There is no demo to remove" in nothing.output


def test_demo_remove_never_deletes_a_folder_it_did_not_make(app, runner):
    stranger = Path(app.instance_path).with_name("instance-demo")
    stranger.mkdir()
    (stranger / "precious.txt").write_text("keep me")
    result = runner.invoke(args=["demo", "--remove"])
    assert result.exit_code == 1
    assert (stranger / "precious.txt").read_text() == "keep me"


def test_flask_command_line_works_too_on_a_new_instance(tmp_path):
    env = {"FACILITATE_INSTANCE_PATH": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    demo = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "facilitate", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert "Loaded “Best by West Midlands launch”" in demo.stdout
    assert (tmp_path / "instance-demo" / "facilitate.db").exists()
    assert (tmp_path / "instance-demo" / "secret_key").exists()
    current = subprocess.run(
        [sys.executable, "-m", "facilitate", "db", "current"],
        env={**env, "FACILITATE_INSTANCE_PATH": str(tmp_path / "instance-demo")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert current.returncode == 0
    assert "(head)" in current.stdout


def test_event_import_refuses_nested_aliases_at_once(runner, tmp_path):
    # A kilobyte that stands for 10^9 values: walked, it kept the importer busy for minutes.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    source = tmp_path / "bomb.yaml"
    source.write_text("title: Bomb\n" + "\n".join(lines) + "\n")
    result = runner.invoke(args=["event", "import", str(source)])
    assert result.exit_code == 1
    assert "line 2: anchors and aliases (& and *) are not allowed" in result.output
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
