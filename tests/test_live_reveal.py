"""Vote reveal and silent writing against a real ``facilitate serve`` with real Socket.IO clients:
what phones and walls are not shown while the theme withholds it, and what reaches them, once,
when the facilitator reveals it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from facilitate.models import Role
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_theme, make_user
from tests.support.phones import LiveClient
from tests.test_live_security import session_cookie

pytestmark = pytest.mark.server


def _theme(live_server, **settings) -> dict:
    with live_server.app_context():
        lead = make_user(Role.FACILITATOR, email="lead@example.org")
        theme = make_theme(facilitators=[lead], settings=ThemeSettings(**settings))
        return {"id": theme.id, "code": theme.join_code, "wall": theme.wall_token}


def _console(live_server, theme: dict) -> LiveClient:
    cookie = session_cookie(live_server)
    return LiveClient(live_server.url, {"theme_id": theme["id"]}, headers={"Cookie": cookie})


def _catch_up(client: LiveClient, since: int) -> list[dict]:
    """What a page does on ``resync``: ask for everything since the point it holds."""
    client.wait_for("resync", timeout=10)
    answer = client.call("sync", {"since": since})
    assert answer["ok"]
    return answer["notes"]


def test_vote_counts_are_withheld_until_the_facilitator_reveals_them(live_server):
    theme = _theme(live_server, votes_hidden=True)
    author = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    voter = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    wall = LiveClient(live_server.url, {"wall": theme["wall"]}).connect()
    console = _console(live_server, theme).connect()
    note = author.post("Trust staff with a phone")["note"]
    assert note["votes"] is None
    assert wall.wait_for("note:added")[0]["note"]["votes"] is None

    vote = voter.call("vote:toggle", {"note_id": note["id"]})
    assert vote["ok"]
    assert vote["voted"] is True
    assert vote["votes_left"] == 4
    assert vote["note"]["votes"] is None
    staff_seen = console.wait_for("note:updated")[0]["note"]
    assert staff_seen["votes"] == 1, "facilitators see the counts"
    later = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    assert [n["votes"] for n in later.welcome["notes"]] == [None]
    assert wall.call("sync", {"since": 0})["notes"][0]["votes"] is None
    assert not wall.of("note:updated"), "a vote is no news to the wall while counts are hidden"

    point = wall.welcome["seq"] + 1  # the wall holds the note:added
    assert console.call("theme:settings", {"votes_hidden": False})["ok"]
    for page in (wall, author, voter, later):
        settings = page.wait_for("theme:updated")[-1]["theme"]["settings"]
        assert settings["votes_hidden"] is False
        shown = _catch_up(page, point if page is wall else page.welcome["seq"])
        assert [n["votes"] for n in shown if n["id"] == note["id"]] == [1]
    voter_view = voter.call("sync", {"since": 0})["notes"][0]
    assert voter_view["voted"] is True
    assert voter_view["votes"] == 1
    for client in (author, voter, wall, console, later):
        client.disconnect()


def test_a_silent_note_reaches_nobody_else_until_the_reveal_then_everyone_once(live_server):
    theme = _theme(live_server, notes_private=True)
    author = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    other = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    wall = LiveClient(live_server.url, {"wall": theme["wall"]}).connect()
    console = _console(live_server, theme).connect()
    assert wall.welcome["written"] == 0
    ack = author.post("Honest holding replies beat a bluff")
    assert ack["ok"]
    assert ack["note"]["text"] == "Honest holding replies beat a bluff"
    assert console.wait_for("note:added")[0]["note"]["text"] == ack["note"]["text"]
    assert wall.wait_for("notes:written")[-1] == {"count": 1}
    assert other.wait_for("notes:written")[-1] == {"count": 1}

    again = LiveClient(live_server.url, {"code": theme["code"], "token": author.auth["token"]})
    again.connect()
    assert [n["text"] for n in again.welcome["notes"]] == [ack["note"]["text"]]
    late = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    late_wall = LiveClient(live_server.url, {"wall": theme["wall"]}).connect()
    assert late.welcome["notes"] == []
    assert late.welcome["written"] == 1
    assert late_wall.welcome["notes"] == []
    assert late_wall.welcome["written"] == 1
    peeked = other.call("sync", {"since": 0})["notes"]
    assert [(n["status"], n["text"]) for n in peeked] == [("removed", "")]
    assert not other.of("note:added")
    assert not wall.of("note:added")

    assert console.call("theme:settings", {"notes_private": False})["ok"]
    for page in (other, wall, late, late_wall):
        shown = _catch_up(page, page.welcome["seq"])
        texts = [n["text"] for n in shown if n["status"] == "visible"]
        texts += [e["note"]["text"] for e in page.of("note:added")]
        assert texts == [ack["note"]["text"]], "the note arrives once"
    newcomer = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    assert [n["text"] for n in newcomer.welcome["notes"]] == [ack["note"]["text"]]
    assert "written" not in newcomer.welcome
    for client in (author, again, other, wall, console, late, late_wall, newcomer):
        client.disconnect()


def test_a_facilitator_can_start_and_stop_both_settings_and_unknown_values_are_refused(
    live_server,
):
    theme = _theme(live_server)
    console = _console(live_server, theme).connect()
    assert console.welcome["theme"]["settings"]["votes_hidden"] is False
    assert console.welcome["theme"]["settings"]["notes_private"] is False
    refused = console.call("theme:settings", {"notes_private": "yes"})
    assert refused["error"]["code"] == "invalid"
    taken = console.call("theme:settings", {"notes_private": True, "votes_hidden": True})
    assert taken["theme"]["settings"]["notes_private"] is True
    assert taken["theme"]["settings"]["votes_hidden"] is True
    console.disconnect()


def test_the_sequence_moves_on_by_itself_when_a_step_timer_ends(live_server):
    theme = _theme(live_server)
    console = _console(live_server, theme).connect()
    wall = LiveClient(live_server.url, {"wall": theme["wall"]}).connect()
    started = console.call("theme:step", {"step": "write", "seconds": 1})
    assert started["theme"]["step"] == "write"
    assert started["theme"]["settings"]["notes_private"] is True
    assert started["theme"]["timer"]["advances"] is True
    deadline = [t["theme"] for t in wall.wait_for("theme:updated", 2, timeout=10)][-1]
    assert deadline["step"] == "reveal", "the timer's end moved the room on"
    assert deadline["settings"]["notes_private"] is False
    assert deadline["settings"]["votes_hidden"] is True
    assert deadline["timer"]["ends_at"] is None
    refused = console.call("theme:step", {"step": "dance"})
    assert refused["error"]["code"] == "invalid"
    assert (
        console.call("theme:step", {"step": "results"})["theme"]["settings"]["votes_hidden"]
        is False
    )
    for client in (console, wall):
        client.disconnect()


def test_twenty_phones_writing_in_silence_each_get_every_note_once_at_the_reveal(live_server):
    theme = _theme(live_server, notes_private=True)
    phones = [LiveClient(live_server.url, {"code": theme["code"]}) for _ in range(20)]
    wall = LiveClient(live_server.url, {"wall": theme["wall"]}).connect()
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda phone: phone.connect(), phones))
    console = _console(live_server, theme).connect()

    def post_two(index: int) -> list[dict]:
        return [phones[index].post(f"Phone {index} silent note {n}") for n in range(2)]

    with ThreadPoolExecutor(20) as pool:
        acks = [ack for batch in pool.map(post_two, range(20)) for ack in batch]
    assert all(ack["ok"] for ack in acks)
    expected = sorted(ack["note"]["text"] for ack in acks)
    assert wall.wait_for("notes:written", 40)[-1] == {"count": 40}
    for client in [*phones, wall]:
        assert not client.of("note:added"), "nobody hears of the others' notes"

    started = time.monotonic()
    assert console.call("theme:settings", {"notes_private": False})["ok"]

    def catch_up(client: LiveClient) -> list[str]:
        shown = _catch_up(client, client.welcome["seq"])
        return sorted(n["text"] for n in shown if n["status"] == "visible")

    with ThreadPoolExecutor(21) as pool:
        seen = list(pool.map(catch_up, [*phones, wall]))
    took = time.monotonic() - started
    assert all(texts == expected for texts in seen), "every note, once, on every page"
    print(f"\nreveal of 40 silent notes to 20 phones + wall: all caught up in {took * 1000:.0f} ms")
    for client in [*phones, wall, console]:
        client.disconnect()
