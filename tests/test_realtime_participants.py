"""Phones on /live: every participant event and every refusal, with Flask-SocketIO's test client."""

from __future__ import annotations

import uuid

import pytest

from facilitate.extensions import db
from facilitate.models import Note, Phase
from facilitate.realtime.connections import Connection
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_participant, make_theme, post

NS = "/live"


def received(client, name: str) -> list[dict]:
    return [message["args"][0] for message in client.get_received(NS) if message["name"] == name]


def emit(client, event: str, payload=None):
    return client.emit(event, payload, namespace=NS, callback=True)


def add(client, text="Trust them with a phone", kind=None, client_id=None):
    payload = {"client_id": client_id or str(uuid.uuid4()), "text": text}
    if kind:
        payload["kind"] = kind
    return emit(client, "note:add", payload)


@pytest.fixture
def theme(app):
    return make_theme(phase=Phase.OPEN)


@pytest.fixture
def phone(live_socket, theme):
    return live_socket(auth={"code": theme.join_code, "token": None, "name": None})


def test_welcome_gives_identity_theme_notes_and_seq(live_socket, theme):
    existing = post(theme, text="Already here")
    phone = live_socket(
        auth={
            "code": f" {theme.join_code.lower()[:3]} {theme.join_code.lower()[3:]} ",
            "name": "Ann",
        }
    )
    [welcome] = received(phone, "welcome")
    assert welcome["participant"]["name"] == "Ann"
    assert len(welcome["participant"]["token"]) >= 22
    assert welcome["theme"]["code"] == theme.join_code
    assert welcome["theme"]["settings"] == {
        "names_required": False,
        "approval_required": False,
        "votes_per_participant": 5,
        "note_max_length": 500,
        "votes_hidden": False,
        "notes_private": False,
    }
    assert [n["id"] for n in welcome["notes"]] == [existing.id]
    assert welcome["notes"][0]["mine"] is False
    assert welcome["seq"] == existing.seq


def test_the_token_keeps_the_same_participant(live_socket, theme):
    first = live_socket(auth={"code": theme.join_code})
    [welcome] = received(first, "welcome")
    ack = add(first, "Mine")
    first.disconnect(NS)
    again = live_socket(auth={"code": theme.join_code, "token": welcome["participant"]["token"]})
    [rewelcome] = received(again, "welcome")
    assert rewelcome["participant"]["id"] == welcome["participant"]["id"]
    assert rewelcome["notes"][0]["id"] == ack["note"]["id"]
    assert rewelcome["notes"][0]["mine"] is True


def test_a_wrong_code_refuses_the_connection(live_socket):
    assert not live_socket(auth={"code": "NOPE99"}).is_connected(NS)
    assert not live_socket(auth={"code": 12345}).is_connected(NS)
    assert not live_socket(auth=None).is_connected(NS)


def test_note_add_stores_acknowledges_and_broadcasts_once(live_socket, theme, phone):
    other = live_socket(auth={"code": theme.join_code})
    received(phone, "welcome"), received(other, "welcome")
    client_id = str(uuid.uuid4())
    ack = add(phone, "  Avoid spin: be human  ", kind="idea", client_id=client_id)
    assert ack["ok"] is True
    note = ack["note"]
    assert (note["text"], note["kind"], note["status"], note["mine"], note["client_id"]) == (
        "Avoid spin: be human",
        "idea",
        "visible",
        True,
        client_id,
    )
    assert set(note) >= {
        "id",
        "theme_id",
        "client_id",
        "text",
        "kind",
        "author",
        "status",
        "pinned",
        "cluster_id",
        "votes",
        "created_at",
        "updated_at",
        "seq",
        "mine",
    }
    assert note["created_at"].endswith("Z")
    [broadcast] = received(other, "note:added")
    assert broadcast["note"]["id"] == note["id"]
    assert broadcast["note"]["mine"] is False
    assert broadcast["seq"] == note["seq"]

    again = add(phone, "Avoid spin: be human", client_id=client_id)
    assert again == ack
    assert received(other, "note:added") == []
    assert db.session.scalar(db.select(db.func.count(Note.id))) == 1


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"client_id": "a1", "text": "   "}, "empty"),
        ({"client_id": "a2", "text": "x" * 501}, "too_long"),
        ({"client_id": "a3", "text": "ok", "kind": "shout"}, "invalid"),
        ({"client_id": "has spaces!", "text": "ok"}, "invalid"),
        ({"text": "no id"}, "invalid"),
        ({"client_id": "a4", "text": ["not", "text"]}, "invalid"),
        ("not an object", "invalid"),
        (None, "invalid"),
        (["a", "list"], "invalid"),
    ],
)
def test_note_add_refusals(phone, payload, code):
    ack = emit(phone, "note:add", payload)
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert ack["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Note.id))) == 0


def test_too_long_message_names_the_limit(phone):
    ack = add(phone, "x" * 501)
    assert ack["error"]["message"] == "Notes can be up to 500 characters; this one has 501."


def test_closed_and_draft_themes_refuse_notes(app, live_socket):
    from facilitate.services import phases

    draft = make_theme(phase=Phase.DRAFT)
    phone = live_socket(auth={"code": draft.join_code})
    assert add(phone)["error"]["code"] == "theme_closed"
    assert "not started" in add(phone)["error"]["message"]
    phases.set_phase(draft, Phase.OPEN)
    assert add(phone)["ok"] is True
    phases.set_phase(draft, Phase.CLOSED)
    refusal = add(phone)
    assert refusal["error"] == {"code": "theme_closed", "message": "This discussion is closed."}


def test_names_required(live_socket):
    theme = make_theme(settings=ThemeSettings(names_required=True))
    anonymous = live_socket(auth={"code": theme.join_code})
    assert add(anonymous)["error"]["code"] == "name_required"
    assert emit(anonymous, "profile:update", {"name": "  Sam  "}) == {
        "ok": True,
        "participant": {"id": 1, "name": "Sam"},
    }
    ack = add(anonymous)
    assert ack["ok"] is True
    assert ack["note"]["author"] == "Sam"
    assert emit(anonymous, "profile:update", {"name": "x" * 61})["error"]["code"] == "too_long"
    # Clearing the name is refused with the sentence a post without one gets.
    cleared = emit(anonymous, "profile:update", {"name": "  "})
    assert cleared["error"] == {
        "code": "name_required",
        "message": "Add your name before you post: this discussion asks for names.",
    }
    assert add(anonymous)["note"]["author"] == "Sam"


def test_a_name_may_be_cleared_where_names_are_optional(live_socket):
    theme = make_theme()
    phone = live_socket(auth={"code": theme.join_code, "name": "Sam"})
    assert emit(phone, "profile:update", {"name": ""})["participant"]["name"] is None
    assert add(phone)["note"]["author"] is None


def test_approval_keeps_notes_from_other_phones_until_approved(live_socket):
    theme = make_theme(settings=ThemeSettings(approval_required=True))
    author = live_socket(auth={"code": theme.join_code})
    other = live_socket(auth={"code": theme.join_code})
    received(other, "welcome")
    ack = add(author, "Needs a look")
    assert ack["note"]["status"] == "pending"
    assert received(other, "note:added") == []
    token = received(author, "welcome")[0]["participant"]["token"]
    author.disconnect(NS)
    back = live_socket(auth={"code": theme.join_code, "token": token})
    [welcome] = received(back, "welcome")
    assert [(n["text"], n["status"]) for n in welcome["notes"]] == [("Needs a look", "pending")]
    late = live_socket(auth={"code": theme.join_code})
    assert received(late, "welcome")[0]["notes"] == []


def test_edit_own_note_only(live_socket, theme, phone):
    other = live_socket(auth={"code": theme.join_code})
    received(other, "welcome")
    note = add(phone, "Frist draft")["note"]
    edited = emit(phone, "note:edit", {"note_id": note["id"], "text": "First draft"})
    assert edited["ok"] is True
    assert edited["note"]["text"] == "First draft"
    assert edited["note"]["seq"] > note["seq"]
    assert received(other, "note:updated")[-1]["note"]["text"] == "First draft"
    assert (
        emit(other, "note:edit", {"note_id": note["id"], "text": "Hijack"})["error"]["code"]
        == "forbidden"
    )
    assert emit(phone, "note:edit", {"note_id": 999, "text": "x"})["error"]["code"] == "not_found"
    assert emit(phone, "note:edit", {"note_id": "1", "text": "x"})["error"]["code"] == "invalid"
    assert emit(phone, "note:edit", {"note_id": note["id"], "text": ""})["error"]["code"] == "empty"


def test_delete_own_note_removes_it_everywhere(live_socket, theme, phone):
    other = live_socket(auth={"code": theme.join_code})
    received(other, "welcome")
    note = add(phone, "Oops")["note"]
    assert emit(other, "note:delete", {"note_id": note["id"]})["error"]["code"] == "forbidden"
    assert emit(phone, "note:delete", {"note_id": note["id"]}) == {"ok": True}
    [removed] = received(other, "note:removed")
    assert removed["note"]["id"] == note["id"]
    assert removed["note"]["status"] == "removed"
    assert removed["note"]["text"] == ""
    assert emit(phone, "note:delete", {"note_id": note["id"]})["error"]["code"] == "not_found"
    assert db.session.get(Note, note["id"]).deleted_at is not None  # kept, so sync can tell phones


def test_votes_within_the_limit_and_taken_back(live_socket):
    theme = make_theme(settings=ThemeSettings(votes_per_participant=2))
    author = live_socket(auth={"code": theme.join_code})
    voter = live_socket(auth={"code": theme.join_code})
    ids = [add(author, f"Idea {n}")["note"]["id"] for n in range(3)]
    first = emit(voter, "vote:toggle", {"note_id": ids[0]})
    assert (first["ok"], first["voted"], first["votes_left"], first["note"]["votes"]) == (
        True,
        True,
        1,
        1,
    )
    assert emit(voter, "vote:toggle", {"note_id": ids[1]})["votes_left"] == 0
    refused = emit(voter, "vote:toggle", {"note_id": ids[2]})
    assert refused["error"]["code"] == "no_votes_left"
    assert "all 2 of your votes" in refused["error"]["message"]
    back = emit(voter, "vote:toggle", {"note_id": ids[0]})
    assert (back["voted"], back["votes_left"], back["note"]["votes"]) == (False, 1, 0)
    assert emit(voter, "vote:toggle", {"note_id": ids[2]})["ok"] is True
    assert (
        emit(author, "vote:toggle", {"note_id": ids[0]})["error"]["code"] == "invalid"
    )  # own note
    assert emit(voter, "vote:toggle", {"note_id": 424242})["error"]["code"] == "not_found"


def test_sync_returns_changes_since_a_seq_including_removals(live_socket, theme, phone):
    [welcome] = received(phone, "welcome")
    other = live_socket(auth={"code": theme.join_code})
    kept = add(other, "Kept")["note"]
    gone = add(other, "Gone")["note"]
    emit(other, "note:delete", {"note_id": gone["id"]})
    result = emit(phone, "sync", {"since": welcome["seq"]})
    assert result["ok"] is True
    by_id = {n["id"]: n for n in result["notes"]}
    assert by_id[kept["id"]]["status"] == "visible"
    assert by_id[gone["id"]]["status"] == "removed"
    assert by_id[gone["id"]]["text"] == ""
    assert result["seq"] == max(n["seq"] for n in result["notes"])
    assert emit(phone, "sync", {"since": result["seq"]}) == {
        "ok": True,
        "seq": result["seq"],
        "notes": [],
    }
    assert emit(phone, "sync", {"since": -1})["error"]["code"] == "invalid"
    assert emit(phone, "sync", {"since": "0"})["error"]["code"] == "invalid"


def test_a_flood_from_one_phone_is_refused_not_queued(app, phone, monkeypatch):
    app.config["NOTES_PER_MINUTE"] = 1000
    monkeypatch.setattr(Connection, "HOLD", 0.0)  # the pause is tested on a real server
    answers = [add(phone, f"Flood {n}") for n in range(80)]
    refusals = [a["error"]["code"] for a in answers if not a["ok"]]
    assert len(refusals) >= 20  # a burst of 40 and 10 a second, then refused
    assert set(refusals) == {"rate_limited"}
    stored = db.session.scalar(db.select(db.func.count(Note.id)))
    assert stored == len(answers) - len(refusals)


def test_notes_per_minute_per_participant(app, phone):
    app.config["NOTES_PER_MINUTE"] = 3
    codes = [add(phone, f"Note {n}").get("error", {}).get("code") for n in range(4)]
    assert codes == [None, None, None, "rate_limited"]


def test_participants_cannot_use_facilitator_events(phone):
    note = add(phone)["note"]
    for event, payload in [
        ("note:moderate", {"note_id": note["id"], "action": "hide"}),
        ("theme:phase", {"phase": "closed"}),
        ("note:merge", {"note_id": note["id"], "into_id": note["id"]}),
        ("cluster:add", {"title": "Mine"}),
        ("timer:start", {"seconds": 60}),
    ]:
        assert emit(phone, event, payload)["error"]["code"] == "forbidden"


def test_a_participant_token_from_another_event_gives_a_new_identity(live_socket, theme):
    elsewhere = make_theme(title="Elsewhere")
    stranger = make_participant(elsewhere)
    phone = live_socket(auth={"code": theme.join_code, "token": stranger.token})
    [welcome] = received(phone, "welcome")
    assert welcome["participant"]["id"] != stranger.id
    assert welcome["participant"]["token"] != stranger.token


def test_a_note_id_used_in_another_theme_is_refused(live_socket, theme):
    other = make_theme(event=theme.event, title="Speed")
    first = live_socket(auth={"code": theme.join_code})
    token = received(first, "welcome")[0]["participant"]["token"]
    client_id = str(uuid.uuid4())
    assert add(first, "In the first theme", client_id=client_id)["ok"]
    second = live_socket(auth={"code": other.join_code, "token": token})
    watcher = live_socket(auth={"code": other.join_code})
    watcher.get_received(NS)
    ack = add(second, "Sent again", client_id=client_id)
    assert ack["ok"] is False
    assert ack["error"] == {
        "code": "invalid",
        "message": "That note id was already used in another discussion.",
    }
    assert received(watcher, "note:added") == []
    assert db.session.scalar(db.select(db.func.count(Note.id))) == 1


def test_a_note_on_its_way_when_the_timer_closes_the_theme_is_stored_within_the_grace(
    app, live_socket
):
    from datetime import timedelta

    from facilitate.models import Phase, Theme, utcnow
    from facilitate.services import phases

    theme = make_theme()
    phone = live_socket(auth={"code": theme.join_code})
    phases.start_timer(theme, 60)
    theme = db.session.get(Theme, theme.id)
    theme.timer_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert [t.id for t in phases.close_expired_timers()] == [theme.id]
    late = phone.emit(
        "note:add",
        {"client_id": str(uuid.uuid4()), "text": "Written before the end"},
        namespace=NS,
        callback=True,
    )
    assert late["ok"] is True, late
    # After the grace, or after a facilitator's own close, it is closed for good.
    theme = db.session.get(Theme, theme.id)
    theme.closed_at = utcnow() - timedelta(seconds=app.config["TIMER_CLOSE_GRACE_SECONDS"] + 1)
    db.session.commit()
    refused = phone.emit(
        "note:add",
        {"client_id": str(uuid.uuid4()), "text": "Too late"},
        namespace=NS,
        callback=True,
    )
    assert refused["error"]["code"] == "theme_closed"
    phases.set_phase(db.session.get(Theme, theme.id), Phase.OPEN)
    phases.set_phase(db.session.get(Theme, theme.id), Phase.CLOSED)
    closed = phone.emit(
        "note:add",
        {"client_id": str(uuid.uuid4()), "text": "After a facilitator's close"},
        namespace=NS,
        callback=True,
    )
    assert closed["error"]["code"] == "theme_closed"
