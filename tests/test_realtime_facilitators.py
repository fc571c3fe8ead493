"""Facilitators on /live: moderation, merging, clusters, phase, timer and settings, and who may do them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from facilitate.extensions import db
from facilitate.models import Note, Phase, Role, Theme, utcnow
from facilitate.services import themes
from facilitate.services.themes import ThemeSettings
from tests.conftest import Auth
from tests.support.factories import make_event, make_theme, make_user

NS = "/live"


def received(client, name: str) -> list[dict]:
    """The payloads of ``name`` events that arrived since the last look; others wait their turn."""
    waiting = [*client.__dict__.get("waiting", []), *client.get_received(NS)]
    client.waiting = [m for m in waiting if m["name"] != name]
    return [m["args"][0] for m in waiting if m["name"] == name]


def emit(client, event, payload=None):
    return client.emit(event, payload, namespace=NS, callback=True)


def add(phone, text):
    return emit(phone, "note:add", {"client_id": str(uuid.uuid4()), "text": text})["note"]


@pytest.fixture
def room(app, client, live_socket, facilitator):
    """A theme led by a signed-in facilitator, with their console, a wall and two phones."""
    theme = make_theme(facilitators=[facilitator])
    Auth(client).login(facilitator)

    class Room:
        pass

    room = Room()
    room.theme = theme
    room.console = live_socket(auth={"theme_id": theme.id}, client=client)
    room.wall = live_socket(auth={"wall": theme.wall_token})
    room.phone = live_socket(auth={"code": theme.join_code})
    room.other = live_socket(auth={"code": theme.join_code})
    for sio in (room.console, room.wall, room.phone, room.other):
        assert sio.is_connected(NS)
        sio.get_received(NS)
    return room


def test_console_welcome_holds_every_note_with_its_true_status(
    app, client, live_socket, facilitator
):
    theme = make_theme(facilitators=[facilitator], settings=ThemeSettings(approval_required=True))
    phone = live_socket(auth={"code": theme.join_code})
    pending = add(phone, "Waiting")
    Auth(client).login(facilitator)
    console = live_socket(auth={"theme_id": theme.id}, client=client)
    [welcome] = received(console, "welcome")
    assert [(n["id"], n["status"]) for n in welcome["notes"]] == [(pending["id"], "pending")]
    assert welcome["theme"]["id"] == theme.id


def test_hide_and_show_reach_phones_and_walls_as_removed_and_added(room):
    note = add(room.phone, "Off topic")
    for sio in (room.wall, room.other, room.console):
        assert [n["note"]["id"] for n in received(sio, "note:added")] == [note["id"]]
    hidden = emit(room.console, "note:moderate", {"note_id": note["id"], "action": "hide"})
    assert hidden["note"]["status"] == "hidden"
    for sio in (room.wall, room.other):
        [removed] = received(sio, "note:removed")
        assert (removed["note"]["id"], removed["note"]["status"], removed["note"]["text"]) == (
            note["id"],
            "removed",
            "",
        )
    assert received(room.console, "note:updated")[-1]["note"]["status"] == "hidden"
    emit(room.console, "note:moderate", {"note_id": note["id"], "action": "show"})
    assert received(room.wall, "note:added")[-1]["note"]["text"] == "Off topic"


def test_approve_brings_a_pending_note_to_everyone(room):
    themes.update_settings(room.theme, ThemeSettings(approval_required=True))
    note = add(room.phone, "Please approve me")
    assert received(room.wall, "note:added") == []
    assert received(room.console, "note:added")[-1]["note"]["status"] == "pending"
    approved = emit(room.console, "note:moderate", {"note_id": note["id"], "action": "approve"})
    assert approved["note"]["status"] == "visible"
    assert received(room.wall, "note:added")[-1]["note"]["id"] == note["id"]
    assert received(room.other, "note:added")[-1]["note"]["id"] == note["id"]


def test_pin_and_unpin(room):
    note = add(room.phone, "Key point")
    assert (
        emit(room.console, "note:moderate", {"note_id": note["id"], "action": "pin"})["note"][
            "pinned"
        ]
        is True
    )
    assert received(room.wall, "note:updated")[-1]["note"]["pinned"] is True
    assert (
        emit(room.console, "note:moderate", {"note_id": note["id"], "action": "unpin"})["note"][
            "pinned"
        ]
        is False
    )
    assert (
        emit(room.console, "note:moderate", {"note_id": note["id"], "action": "delete"})["error"][
            "code"
        ]
        == "invalid"
    )
    assert (
        emit(room.console, "note:moderate", {"note_id": 999, "action": "pin"})["error"]["code"]
        == "not_found"
    )


def test_merge_counts_people_and_unmerge_restores(room):
    kept = add(room.phone, "Be human, not corporate")
    duplicate = add(room.other, "Less corporate, more human")
    emit(room.phone, "vote:toggle", {"note_id": duplicate["id"]})
    room.wall.get_received(NS)
    result = emit(room.console, "note:merge", {"note_id": duplicate["id"], "into_id": kept["id"]})
    assert result["ok"] is True
    by_id = {n["id"]: n for n in result["notes"]}
    assert by_id[kept["id"]]["people"] == 2
    assert by_id[kept["id"]]["votes"] == 1  # the duplicate's vote moved with it
    assert by_id[duplicate["id"]]["merged_into"] == kept["id"]
    wall = [(m["name"], m["args"][0]["note"]) for m in room.wall.get_received(NS)]
    assert [(name, note["id"]) for name, note in wall] == [
        ("note:removed", duplicate["id"]),
        ("note:updated", kept["id"]),
    ]
    assert wall[1][1]["people"] == 2
    assert db.session.get(Note, duplicate["id"]) is not None  # nothing deleted
    undone = emit(room.console, "note:unmerge", {"note_id": duplicate["id"]})
    assert {n["id"]: n["people"] for n in undone["notes"]} == {kept["id"]: 1, duplicate["id"]: 1}
    assert received(room.wall, "note:added")[-1]["note"]["id"] == duplicate["id"]
    assert (
        emit(room.console, "note:merge", {"note_id": kept["id"], "into_id": kept["id"]})["error"][
            "code"
        ]
        == "invalid"
    )


def test_clusters_add_rename_reorder_move_and_delete(room):
    note = add(room.phone, "Training first")
    first = emit(room.console, "cluster:add", {"title": "Trusting staff"})["cluster"]
    second = emit(room.console, "cluster:add", {"title": "Earning trust"})["cluster"]
    assert [c["title"] for c in received(room.wall, "clusters:updated")[-1]["clusters"]] == [
        "Trusting staff",
        "Earning trust",
    ]
    moved = emit(room.console, "note:move", {"note_id": note["id"], "cluster_id": second["id"]})
    assert moved["note"]["cluster_id"] == second["id"]
    assert received(room.wall, "note:updated")[-1]["note"]["cluster_id"] == second["id"]
    emit(room.console, "cluster:rename", {"cluster_id": first["id"], "title": "Trusting our staff"})
    reordered = emit(room.console, "cluster:reorder", {"cluster_ids": [second["id"], first["id"]]})
    assert [c["title"] for c in reordered["clusters"]] == ["Earning trust", "Trusting our staff"]
    assert (
        emit(room.console, "cluster:reorder", {"cluster_ids": [second["id"]]})["error"]["code"]
        == "invalid"
    )
    assert (
        emit(
            room.console, "cluster:reorder", {"cluster_ids": [str(second["id"]), str(first["id"])]}
        )["error"]["code"]
        == "invalid"
    )
    assert emit(room.console, "cluster:add", {"title": "  "})["error"]["code"] == "empty"
    assert (
        emit(room.console, "note:move", {"note_id": note["id"], "cluster_id": 9999})["error"][
            "code"
        ]
        == "not_found"
    )
    assert emit(room.console, "cluster:delete", {"cluster_id": second["id"]}) == {"ok": True}
    assert (
        received(room.wall, "note:updated")[-1]["note"]["cluster_id"] is None
    )  # back among the unsorted
    assert [c["title"] for c in received(room.wall, "clusters:updated")[-1]["clusters"]] == [
        "Trusting our staff"
    ]


def test_phase_closes_and_opens_the_theme_for_everyone(room):
    closed = emit(room.console, "theme:phase", {"phase": "closed"})
    assert closed["theme"]["phase"] == "closed"
    assert received(room.other, "theme:updated")[-1]["theme"]["phase"] == "closed"
    assert received(room.wall, "theme:updated")[-1]["theme"]["phase"] == "closed"
    assert (
        emit(room.phone, "note:add", {"client_id": "x1", "text": "late"})["error"]["code"]
        == "theme_closed"
    )
    assert emit(room.console, "theme:phase", {"phase": "open"})["theme"]["phase"] == "open"
    assert emit(room.console, "theme:phase", {"phase": "draft"})["error"]["code"] == "invalid"
    assert emit(room.console, "theme:phase", {"phase": "banana"})["error"]["code"] == "invalid"


def test_timer_is_shared_and_can_close_the_theme(app, room):
    started = emit(room.console, "timer:start", {"seconds": 900, "closes_theme": True})
    ends_at = started["theme"]["timer"]["ends_at"]
    assert ends_at
    assert started["theme"]["timer"]["closes_theme"] is True
    assert received(room.other, "theme:updated")[-1]["theme"]["timer"]["ends_at"] == ends_at
    assert emit(room.console, "timer:start", {"seconds": 0})["error"]["code"] == "invalid"
    assert (
        emit(room.console, "timer:start", {"seconds": 60, "closes_theme": "yes"})["error"]["code"]
        == "invalid"
    )
    theme = db.session.get(Theme, room.theme.id)
    theme.timer_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    from facilitate.realtime.tasks import close_expired_timers

    close_expired_timers()
    assert received(room.wall, "theme:updated")[-1]["theme"]["phase"] == "closed"
    db.session.expire_all()
    assert db.session.get(Theme, room.theme.id).phase is Phase.CLOSED
    stopped = emit(room.console, "timer:stop", {})
    assert stopped["theme"]["timer"]["ends_at"] is None


def test_settings_change_reaches_phones(room):
    changed = emit(room.console, "theme:settings", {"names_required": True, "note_max_length": 280})
    assert changed["theme"]["settings"]["names_required"] is True
    assert received(room.phone, "theme:updated")[-1]["theme"]["settings"]["note_max_length"] == 280
    assert (
        emit(room.console, "theme:settings", {"votes_per_participant": 99})["error"]["code"]
        == "invalid"
    )
    assert (
        emit(room.console, "theme:settings", {"names_required": "no"})["error"]["code"] == "invalid"
    )


def test_walls_are_read_only_but_may_catch_up(room):
    note = add(room.phone, "Wall cannot touch this")
    for event, payload in [
        ("note:add", {"client_id": "w1", "text": "x"}),
        ("note:moderate", {"note_id": note["id"], "action": "hide"}),
        ("vote:toggle", {"note_id": note["id"]}),
        ("profile:update", {"name": "Wall"}),
    ]:
        assert emit(room.wall, event, payload)["error"]["code"] == "forbidden"
    assert not db.session.get(Note, note["id"]).pinned
    hidden = add(room.phone, "Hidden later")
    emit(room.console, "note:moderate", {"note_id": hidden["id"], "action": "hide"})
    on_wall = {n["id"]: n for n in emit(room.wall, "sync", {"since": 0})["notes"]}
    assert on_wall[note["id"]]["text"] == "Wall cannot touch this"
    assert (on_wall[hidden["id"]]["status"], on_wall[hidden["id"]]["text"]) == ("removed", "")
    on_console = {n["id"]: n for n in emit(room.console, "sync", {"since": 0})["notes"]}
    assert (on_console[hidden["id"]]["status"], on_console[hidden["id"]]["text"]) == (
        "hidden",
        "Hidden later",
    )


def test_a_wrong_wall_token_is_refused(live_socket, app):
    make_theme()
    assert not live_socket(auth={"wall": "not-a-token"}).is_connected(NS)


def test_who_may_run_a_theme(app, live_socket):
    organiser = make_user(Role.ORGANISER)
    event = make_event(organiser)
    lead = make_user()
    theme = make_theme(event, facilitators=[lead])
    other_event_organiser = make_user(Role.ORGANISER)
    make_event(other_event_organiser, title="Another day")
    facilitator_elsewhere = make_user()
    make_theme(event, title="Tactics", facilitators=[facilitator_elsewhere])
    cases = [
        (None, False),
        (lead, True),
        (organiser, True),
        (facilitator_elsewhere, False),
        (other_event_organiser, False),
    ]
    for user, allowed in cases:
        client = app.test_client()
        if user is not None:
            Auth(client).login(user)
        console = live_socket(auth={"theme_id": theme.id}, client=client)
        assert console.is_connected(NS) is allowed, user
    assert not live_socket(auth={"theme_id": "1"}).is_connected(NS)


def test_a_facilitator_taken_off_the_theme_loses_it_at_once(room, facilitator):
    note = add(room.phone, "Still here")
    theme = db.session.get(Theme, room.theme.id)
    themes.update_theme(theme, theme.title, theme.prompt, [], ThemeSettings.of(theme))
    refused = emit(room.console, "note:moderate", {"note_id": note["id"], "action": "hide"})
    assert refused["error"]["code"] == "forbidden"


def test_an_unknown_setting_is_refused_and_changes_nothing(room):
    before = received(room.phone, "theme:updated")
    refused = emit(room.console, "theme:settings", {"note_max_length": 300, "votes_hiden": True})
    assert refused["ok"] is False
    assert refused["error"]["code"] == "invalid"
    assert "votes_hiden" in refused["error"]["message"]
    assert received(room.phone, "theme:updated") == before
    db.session.expire_all()
    assert db.session.get(Theme, room.theme.id).note_max_length == 500


def test_a_timer_locks_posting_when_time_is_up_unless_told_otherwise(room):
    started = emit(room.console, "timer:start", {"seconds": 300})
    assert started["theme"]["timer"]["closes_theme"] is True
    kept_open = emit(room.console, "timer:start", {"seconds": 300, "closes_theme": False})
    assert kept_open["theme"]["timer"]["closes_theme"] is False


def test_the_console_steers_what_every_wall_shows(room):
    heading = emit(room.console, "cluster:add", {"title": "Trusting staff"})["cluster"]
    note = add(room.phone, "Trust them with a phone")
    for view in (
        {"mode": "newest"},
        {"mode": "heading", "cluster_id": heading["id"]},
        {"mode": "note", "note_id": note["id"]},
        {"mode": "all"},
    ):
        answer = emit(room.console, "wall:view", view)
        assert answer["ok"] is True, answer
        assert received(room.wall, "theme:updated")[-1]["theme"]["wall"] == view
    assert emit(room.console, "wall:view", {"mode": "everything"})["error"]["code"] == "invalid"
    assert (
        emit(room.console, "wall:view", {"mode": "heading", "cluster_id": 999})["error"]["code"]
        == "not_found"
    )
    moved = emit(room.wall, "wall:view", {"mode": "newest"})
    assert moved["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Theme, room.theme.id).wall_view == {"mode": "all"}
