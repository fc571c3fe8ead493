"""Every limit docs/security.md lists: each one refuses with a clear sentence in the contract's
error shape, where a phone, a wall or a form meets it, and follows its setting."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pytest

from facilitate.extensions import db
from facilitate.models import Note
from facilitate.realtime import lifecycle
from facilitate.realtime.connections import Connection
from facilitate.services.themes import ThemeSettings
from tests.conftest import Auth, csrf_from
from tests.support.factories import make_theme

NS = "/live"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "security.md"


@pytest.fixture
def refusals(monkeypatch):
    """The refusals ``connect`` sends, as ``(code, message)``: the client's ``connect_error``."""
    seen = []
    original = lifecycle.refuse

    def refuse(code, message):
        seen.append((code, message))
        return original(code, message)

    monkeypatch.setattr(lifecycle, "refuse", refuse)
    return seen


def emit(sio, event, payload):
    return sio.emit(event, payload, namespace=NS, callback=True)


def add(sio, text):
    return emit(sio, "note:add", {"client_id": str(uuid.uuid4()), "text": text})


def refusal(answer) -> tuple[str, str]:
    assert answer["ok"] is False, answer
    assert set(answer) == {"ok", "error"}
    assert set(answer["error"]) == {"code", "message"}
    return answer["error"]["code"], answer["error"]["message"]


def plain_form(client, theme, **data):
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page), "client_id": str(uuid.uuid4()), "text": "Hello"}
    return client.post(f"/j/{theme.join_code}", data={**fields, **data})


def test_note_length_follows_the_themes_setting_on_the_socket_and_the_form(
    app, client, live_socket
):
    theme = make_theme(settings=ThemeSettings(note_max_length=280))
    phone = live_socket(auth={"code": theme.join_code})
    assert add(phone, "x" * 280)["ok"] is True
    assert refusal(add(phone, "x" * 281)) == (
        "too_long",
        "Notes can be up to 280 characters; this one has 281.",
    )
    refused = plain_form(client, theme, text="y" * 281)
    assert refused.status_code == 400
    assert "Notes can be up to 280 characters; this one has 281." in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Note.id))) == 1


def test_the_note_length_setting_has_a_ceiling(app, live_socket, client, facilitator):
    theme = make_theme(facilitators=[facilitator])
    Auth(client).login(facilitator)
    console = live_socket(auth={"theme_id": theme.id}, client=client)
    ceiling = app.config["NOTE_LENGTH_CEILING"]
    assert emit(console, "theme:settings", {"note_max_length": ceiling})["ok"] is True
    assert refusal(emit(console, "theme:settings", {"note_max_length": ceiling + 1})) == (
        "invalid",
        f"The note length limit must be from 20 to {ceiling} characters.",
    )


def test_names_are_limited_on_connect_on_renaming_and_on_the_form(
    app, client, live_socket, refusals
):
    app.config["NAME_MAX_LENGTH"] = 40
    theme = make_theme()
    assert live_socket(auth={"code": theme.join_code, "name": "N" * 40}).is_connected(NS)
    assert not live_socket(auth={"code": theme.join_code, "name": "N" * 41}).is_connected(NS)
    assert refusals == [("too_long", "A name can be up to 40 characters.")]
    phone = live_socket(auth={"code": theme.join_code})
    assert refusal(emit(phone, "profile:update", {"name": "N" * 41})) == (
        "too_long",
        "A name can be up to 40 characters.",
    )
    refused = plain_form(client, theme, name="N" * 41)
    assert refused.status_code == 400
    assert "A name can be up to 40 characters." in refused.get_data(as_text=True)


def test_notes_per_participant_per_minute_on_the_socket_and_the_form(app, client, live_socket):
    app.config["NOTES_PER_MINUTE"] = 2
    theme = make_theme()
    phone = live_socket(auth={"code": theme.join_code})
    assert [add(phone, f"Note {n}")["ok"] for n in range(2)] == [True, True]
    assert refusal(add(phone, "One too many")) == (
        "rate_limited",
        "You are posting very fast. Wait a minute, then try again.",
    )
    other = live_socket(auth={"code": theme.join_code})
    assert add(other, "Someone else may still post")["ok"] is True  # the limit is per person
    for n in range(2):
        assert plain_form(client, theme, text=f"Form note {n}").status_code == 302
    refused = plain_form(client, theme, text="Form note, one too many")
    assert refused.status_code == 429
    assert "You are posting very fast." in refused.get_data(as_text=True)


def test_events_per_connection_are_a_burst_then_a_steady_rate(app, live_socket, monkeypatch):
    monkeypatch.setattr(Connection, "BURST", 5.0)
    monkeypatch.setattr(Connection, "RATE", 0.001)
    monkeypatch.setattr(Connection, "HOLD", 0.3)
    theme = make_theme()
    wall = live_socket(auth={"wall": theme.wall_token})
    answers = [emit(wall, "sync", {"since": 0}) for _ in range(5)]
    started = time.monotonic()
    answers.append(emit(wall, "sync", {"since": 0}))
    assert time.monotonic() - started >= 0.3  # a refusal past the burst waits its pause
    assert [a["ok"] for a in answers] == [True] * 5 + [False]
    assert refusal(answers[-1]) == (
        "rate_limited",
        "Too much at once. Wait a moment, then try again.",
    )
    assert wall.is_connected(NS)  # refused, not thrown out


def test_connections_per_address_count_phones_walls_and_consoles(
    app, client, live_socket, facilitator, refusals
):
    app.config["CONNECTIONS_PER_ADDRESS"] = 3
    theme = make_theme(facilitators=[facilitator])
    Auth(client).login(facilitator)
    same_address = app.test_client()  # one venue's Wi-Fi: every device behind 127.0.0.1
    held = [
        live_socket(auth={"code": theme.join_code}, client=same_address),
        live_socket(auth={"wall": theme.wall_token}, client=same_address),
        live_socket(auth={"theme_id": theme.id}, client=client),
    ]
    assert all(sio.is_connected(NS) for sio in held)
    for auth in ({"code": theme.join_code}, {"wall": theme.wall_token}):
        assert not live_socket(auth=auth, client=same_address).is_connected(NS)
    too_many = ("rate_limited", "Too many connections from this network. Try again in a minute.")
    assert refusals == [too_many, too_many]
    held[0].disconnect(NS)
    assert live_socket(auth={"code": theme.join_code}, client=same_address).is_connected(NS)


def test_wrong_codes_on_the_socket_and_the_page_share_one_budget_per_address(
    app, client, live_socket, refusals
):
    app.config["JOIN_MISS_RATE_LIMIT"] = "4 per minute"
    theme = make_theme()
    for _ in range(2):
        assert not live_socket(auth={"code": "NOPE99"}, client=client).is_connected(NS)
        assert client.get("/j/NOPE98").status_code == 404
    assert [code for code, _ in refusals] == ["not_found", "not_found"]
    assert client.get("/join", query_string={"code": "NOPE97"}).status_code == 429
    assert not live_socket(auth={"code": "NOPE96"}, client=client).is_connected(NS)
    assert refusals[-1] == (
        "rate_limited",
        "Too many wrong codes from this network. Wait a minute, then try again.",
    )
    # A right code always gets in, so one person's typos never lock a room out.
    assert live_socket(auth={"code": theme.join_code.lower()}, client=client).is_connected(NS)
    assert client.get(f"/j/{theme.join_code}").status_code == 200


def test_the_http_request_body_is_limited(app, client):
    theme = make_theme()
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    answer = client.post(f"/j/{theme.join_code}", data={"csrf_token": csrf_from(page), "text": big})
    assert answer.status_code == 413
    assert "That was too large" in answer.get_data(as_text=True)


#: (words on the docs' row, the setting, how the docs write its default)
DOCUMENTED = [
    ("note length", "THEME_DEFAULT_NOTE_LENGTH", "500"),
    ("note length", "NOTE_LENGTH_CEILING", "2,000"),
    ("name", "NAME_MAX_LENGTH", "60"),
    ("notes per participant", "NOTES_PER_MINUTE", "30"),
    ("connections per address", "CONNECTIONS_PER_ADDRESS", "1,000"),
    ("wrong join codes per address", "JOIN_MISS_RATE_LIMIT", "60"),
    ("join attempts per address", "JOIN_ATTEMPT_RATE_LIMIT", "600"),
    ("failed sign-ins", "LOGIN_RATE_LIMIT", "30"),
    ("failed sign-ins", "LOGIN_FAILURES_BEFORE_DELAY", "5"),
    ("HTTP request body", "MAX_CONTENT_LENGTH", "2 MB"),
]


@pytest.mark.parametrize(("row", "setting", "written"), DOCUMENTED)
def test_the_documented_limits_are_the_defaults(app, row, setting, written):
    lines = [line for line in DOCS.read_text().splitlines() if line.startswith(f"| {row}")]
    assert lines, f"docs/security.md has no limits row for {row}"
    assert any(f"`{setting}`" in line and written in line for line in lines), (row, setting)
    value = app.config[setting]
    number = int(re.match(r"\d+", str(value)).group()) if isinstance(value, str) else value
    if setting == "MAX_CONTENT_LENGTH":
        number //= 1024 * 1024
    assert int(re.match(r"[\d,]+", written).group().replace(",", "")) == number
