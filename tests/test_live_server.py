"""The realtime paths against a real ``facilitate serve`` process with real Socket.IO clients."""

from __future__ import annotations

import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note
from tests.support.factories import make_theme
from tests.support.phones import LiveClient

pytestmark = pytest.mark.server


@pytest.fixture
def theme_code(live_server):
    with live_server.app_context():
        theme = make_theme()
        return theme.join_code, theme.wall_token, theme.id


def stored_notes(live_server, theme_id: int) -> list[Note]:
    with live_server.app_context():
        return list(
            db.session.scalars(select(Note).where(Note.theme_id == theme_id).order_by(Note.seq))
        )


def test_twenty_phones_each_receive_every_note_exactly_once(live_server, theme_code):
    code, wall_token, theme_id = theme_code
    phones = [LiveClient(live_server.url, {"code": code}) for _ in range(20)]
    wall = LiveClient(live_server.url, {"wall": wall_token}).connect()
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda phone: phone.connect(), phones))
    sent_at: dict[str, float] = {}

    def post_three(index: int) -> list[dict]:
        acks = []
        for number in range(3):
            client_id = str(uuid.uuid4())
            sent_at[client_id] = time.monotonic()
            acks.append(phones[index].post(f"Phone {index} note {number}", client_id))
        return acks

    with ThreadPoolExecutor(20) as pool:
        acks = [ack for batch in pool.map(post_three, range(20)) for ack in batch]
    assert all(ack["ok"] for ack in acks)
    expected = {ack["note"]["id"] for ack in acks}
    assert len(expected) == 60
    latencies = []
    for client in [*phones, wall]:
        added = client.wait_for("note:added", 60, timeout=20)
        ids = [event["note"]["id"] for event in added]
        assert sorted(ids) == sorted(expected), "every note, exactly once"
        with client.lock:
            latencies += [
                at - sent_at[data["note"]["client_id"]]
                for name, data, at in client.events
                if name == "note:added"
            ]
    for client in [*phones, wall]:
        client.disconnect()
    stored = stored_notes(live_server, theme_id)
    assert len(stored) == 60
    assert [n.seq for n in stored] == list(range(1, 61))
    latencies.sort()
    print(
        f"\n20 phones + wall, 60 notes: delivery p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )


def test_resending_a_client_id_returns_the_same_note_and_broadcasts_nothing(
    live_server, theme_code
):
    code, _, theme_id = theme_code
    author = LiveClient(live_server.url, {"code": code}).connect()
    watcher = LiveClient(live_server.url, {"code": code}).connect()
    client_id = str(uuid.uuid4())
    first = author.post("Honest holding replies", client_id)
    watcher.wait_for("note:added", 1)
    again = author.post("Honest holding replies", client_id)
    assert again == first
    time.sleep(0.5)
    assert len(watcher.of("note:added")) == 1
    assert len(stored_notes(live_server, theme_id)) == 1
    author.disconnect()
    watcher.disconnect()


def test_a_phone_that_was_away_catches_up_with_sync(live_server, theme_code):
    code, _, _ = theme_code
    away = LiveClient(live_server.url, {"code": code}).connect()
    others = LiveClient(live_server.url, {"code": code}).connect()
    before = away.post("Before the tunnel")["note"]
    last_seen = before["seq"]
    token = away.welcome["participant"]["token"]
    away.disconnect()
    posted = [others.post(f"While away {n}")["note"] for n in range(5)]
    gone = posted[0]
    assert others.call("note:delete", {"note_id": gone["id"]}) == {"ok": True}

    back = LiveClient(live_server.url, {"code": code, "token": token}).connect()
    assert back.welcome["participant"]["id"] == away.welcome["participant"]["id"]
    result = back.call("sync", {"since": last_seen})
    changes = {n["id"]: n for n in result["notes"]}
    assert set(changes) == {n["id"] for n in posted}
    assert changes[gone["id"]]["status"] == "removed"
    assert all(changes[n["id"]]["status"] == "visible" for n in posted[1:])
    mine = [n for n in back.welcome["notes"] if n["mine"]]
    assert [n["text"] for n in mine] == ["Before the tunnel"]
    back.disconnect()
    others.disconnect()


def test_notes_posted_around_a_kill_9_are_stored_exactly_once_after_restart_and_resend(
    live_server, theme_code
):
    code, _, theme_id = theme_code
    phones = [LiveClient(live_server.url, {"code": code}).connect() for _ in range(5)]
    outboxes: dict[int, dict[str, str]] = {i: {} for i in range(5)}
    acknowledged: set[str] = set()

    def keep_posting(index: int) -> None:
        for number in range(200):
            client_id = str(uuid.uuid4())
            outboxes[index][client_id] = f"Phone {index} note {number}"
            try:
                ack = phones[index].post(outboxes[index][client_id], client_id, timeout=5)
            except Exception:  # the server died under us: the note stays in the outbox
                return
            if ack.get("ok"):
                acknowledged.add(client_id)
                del outboxes[index][client_id]

    with ThreadPoolExecutor(5) as pool:
        futures = [pool.submit(keep_posting, i) for i in range(5)]
        time.sleep(1.0)
        live_server.stop(kill=True)
        for future in futures:
            future.result(timeout=30)
    assert acknowledged, "some notes were acknowledged before the kill"
    waiting = sum(len(box) for box in outboxes.values())
    assert waiting >= 1

    live_server.start()
    for index, phone in enumerate(phones):
        phone.disconnect()
        again = LiveClient(live_server.url, {"code": code, "token": phone.auth["token"]}).connect()
        for client_id, text in list(outboxes[index].items()):
            assert again.post(text, client_id)["ok"] is True
        again.disconnect()
    stored = stored_notes(live_server, theme_id)
    client_ids = [n.client_id for n in stored]
    assert len(client_ids) == len(set(client_ids)), "no note stored twice"
    assert acknowledged <= set(client_ids), "every acknowledged note survived the kill"
    for box in outboxes.values():
        assert set(box) <= set(client_ids), "every resent note is stored"
    resent = {client_id for box in outboxes.values() for client_id in box}
    assert set(client_ids) == acknowledged | resent, (
        "every note a phone posted is stored, and nothing else"
    )
    assert [n.seq for n in stored] == list(range(1, len(stored) + 1))


def test_a_wrong_code_is_refused_with_a_sentence_for_the_person(live_server):
    import socketio

    phone = LiveClient(live_server.url, {"code": "NOPE99"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        phone.connect(timeout=2)
    assert (
        phone.refusal["message"]
        == "We could not find that code. Check the screen at the front of the room."
    )
    assert phone.refusal["data"]["code"] == "not_found"
