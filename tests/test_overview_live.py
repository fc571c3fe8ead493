"""Against a real ``facilitate serve`` and real Socket.IO clients: an organiser's overview of the
event sees notes and people arrive within a couple of seconds, a theme's rows come at most once a
second however busy it is, only the event's organisers get in, and they steer the plenary wall."""

from __future__ import annotations

import itertools
import time

import pytest
import requests
import socketio

from facilitate.models import Role
from tests.conftest import csrf_from
from tests.support.factories import PASSWORD, make_event, make_theme, make_user
from tests.support.phones import LiveClient

pytestmark = pytest.mark.server


@pytest.fixture
def world(live_server):
    with live_server.app_context():
        organiser = make_user(Role.ORGANISER, email="olive@example.org")
        lead = make_user(Role.FACILITATOR, email="lead@example.org")
        make_user(Role.ORGANISER, email="other@example.org")
        event = make_event(organiser)
        tactics = make_theme(event, "Tactics", facilitators=[lead])
        trust = make_theme(event, "Trust", facilitators=[lead])
        return {
            "event_id": event.id,
            "plenary": event.plenary_token,
            "tactics": {"id": tactics.id, "code": tactics.join_code},
            "trust": {"id": trust.id, "code": trust.join_code},
        }


def session_cookie(live_server, email: str) -> str:
    browser = requests.Session()
    token = csrf_from(browser.get(live_server.url + "/login", timeout=10).text)
    signed_in = browser.post(
        live_server.url + "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def overview(live_server, world, email: str = "olive@example.org") -> LiveClient:
    cookie = session_cookie(live_server, email)
    client = LiveClient(
        live_server.url, {"event_id": world["event_id"]}, headers={"Cookie": cookie}
    )
    return client.connect()


def rows_of(client: LiveClient, theme_id: int) -> list[tuple[dict, float]]:
    with client.lock:
        return [
            (data["theme"], at)
            for name, data, at in client.events
            if name == "overview:theme" and data["theme"]["id"] == theme_id
        ]


def wait_row(client: LiveClient, theme_id: int, test, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for row, _ in reversed(rows_of(client, theme_id)):
            if test(row):
                return row
        time.sleep(0.05)
    raise AssertionError(f"no row matched within {timeout} s: {rows_of(client, theme_id)[-3:]}")


def test_an_organiser_sees_a_note_and_a_person_arrive_within_two_seconds(live_server, world):
    organiser = overview(live_server, world)
    try:
        rows = {row["id"]: row for row in organiser.welcome["themes"]}
        assert [rows[world[t]["id"]]["title"] for t in ("tactics", "trust")] == ["Tactics", "Trust"]
        assert rows[world["trust"]["id"]]["notes"] == 0
        assert rows[world["trust"]["id"]]["presence"] == 0
        assert rows[world["trust"]["id"]]["phase"] == "open"

        phone = LiveClient(live_server.url, {"code": world["trust"]["code"]}).connect()
        started = time.monotonic()
        wait_row(organiser, world["trust"]["id"], lambda r: r["presence"] == 1, timeout=2.5)
        assert time.monotonic() - started < 2.5

        assert phone.post("Trust them with a phone as with a telephone")["ok"]
        started = time.monotonic()
        row = wait_row(organiser, world["trust"]["id"], lambda r: r["notes"] == 1, timeout=2.5)
        assert time.monotonic() - started < 2.5
        assert row["pending"] == 0
        assert row["presence"] == 1
        # The other theme heard nothing: it did not change.
        assert rows_of(organiser, world["tactics"]["id"]) == []

        phone.disconnect()
        wait_row(organiser, world["trust"]["id"], lambda r: r["presence"] == 0, timeout=2.5)
    finally:
        organiser.disconnect()


def test_a_busy_theme_sends_the_overview_one_row_a_second_at_most(live_server, world):
    organiser = overview(live_server, world)
    phones = [LiveClient(live_server.url, {"code": world["tactics"]["code"]}) for _ in range(12)]
    try:
        for phone in phones:
            phone.connect()
        for round_ in range(3):
            for number, phone in enumerate(phones):
                assert phone.post(f"Note {round_}-{number}")["ok"]
        wait_row(organiser, world["tactics"]["id"], lambda r: r["notes"] == 36, timeout=3)
        times = [at for _, at in rows_of(organiser, world["tactics"]["id"])]
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        # 12 joins and 36 notes, yet rows came about once a second (timer jitter allowed).
        assert len(times) < 12, len(times)
        assert all(gap > 0.7 for gap in gaps), gaps
        final = rows_of(organiser, world["tactics"]["id"])[-1][0]
        assert final["presence"] == 12
    finally:
        for phone in phones:
            phone.disconnect()
        organiser.disconnect()


@pytest.mark.parametrize("who", ["facilitator", "other organiser", "anonymous"])
def test_only_the_events_organisers_may_open_its_overview(live_server, world, who):
    emails = {"facilitator": "lead@example.org", "other organiser": "other@example.org"}
    headers = {"Cookie": session_cookie(live_server, emails[who])} if who in emails else {}
    client = LiveClient(live_server.url, {"event_id": world["event_id"]}, headers=headers)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(timeout=5)
    assert client.refusal["data"]["code"] == "forbidden"
    assert client.refusal["message"]
    assert not any(name == "welcome" for name, _, _ in client.events)


def test_the_overview_steers_every_plenary_wall_and_a_wall_alone_cannot(live_server, world):
    organiser = overview(live_server, world)
    wall = LiveClient(live_server.url, {"plenary": world["plenary"]}).connect()
    try:
        assert wall.welcome["steer"] is False
        first = wall.welcome["plenary"]
        assert first["theme_ids"] == [world["tactics"]["id"], world["trust"]["id"]]
        assert first["theme_id"] == world["tactics"]["id"]

        answer = organiser.call("plenary:steer", {"step": 1})
        assert answer["ok"]
        assert answer["plenary"]["theme_id"] == world["trust"]["id"]
        moved = wall.wait_for("plenary:updated")[-1]
        assert moved["plenary"]["theme_id"] == world["trust"]["id"]

        paced = organiser.call("plenary:steer", {"seconds": 30})
        assert paced["plenary"]["seconds"] == 30
        refused = organiser.call("plenary:steer", {"seconds": "soon"})
        assert refused["error"]["code"] == "invalid"
        assert "whole number" in refused["error"]["message"]

        assert wall.call("plenary:steer", {"step": 1})["error"]["code"] == "forbidden"
    finally:
        wall.disconnect()
        organiser.disconnect()


def test_a_wrong_plenary_address_is_refused(live_server, world):
    client = LiveClient(live_server.url, {"plenary": "not-a-real-token-at-all"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(timeout=5)
    assert client.refusal["data"]["code"] == "not_found"
