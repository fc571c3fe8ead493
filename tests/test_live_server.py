"""The realtime paths against a real ``facilitate serve`` process with real Socket.IO clients."""

from __future__ import annotations

import statistics
import threading
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
    # A marker posted after the resend arrives after anything the resend could have broadcast.
    marker = author.post("Marker after the resend")
    added = watcher.wait_for("note:added", 2)
    assert [event["note"]["id"] for event in added] == [first["note"]["id"], marker["note"]["id"]]
    assert len(stored_notes(live_server, theme_id)) == 2
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


class Phone:
    """A phone as static/js/phone.js behaves: a note goes into the outbox before it is sent, one
    is sent at a time, and it leaves the outbox only when the server acknowledges it."""

    def __init__(self, url: str, code: str):
        self.url = url
        self.client = LiveClient(url, {"code": code}).connect()
        self.outbox: dict[str, str] = {}
        self.acknowledged: dict[str, int] = {}  # client id -> the stored note's id
        self.written = 0

    def write(self) -> str:
        client_id = str(uuid.uuid4())
        self.outbox[client_id] = f"Note {self.written} from {self.client.auth['token'][:6]}"
        self.written += 1
        return client_id

    def keep_posting(self, stop: threading.Event) -> None:
        """Post until the server goes away, a little under the per-connection event rate."""
        while not stop.is_set():
            client_id = self.write()
            try:
                ack = self.client.post(self.outbox[client_id], client_id, timeout=5)
            except Exception:  # the server died under us: the note stays in the outbox
                return
            if ack["ok"]:
                self.acknowledged[client_id] = ack["note"]["id"]
                del self.outbox[client_id]
            time.sleep(0.08)

    def resend(self, client: LiveClient) -> dict[str, int]:
        """Send the whole outbox again, oldest first, on ``client``; the stored ids it answers."""
        answers = {}
        for client_id, text in list(self.outbox.items()):
            ack = client.post(text, client_id)
            assert ack["ok"] is True, ack
            answers[client_id] = ack["note"]["id"]
        return answers


@pytest.fixture
def busy_server(live_server):
    """The live server with no per-minute ceiling on one participant's notes."""
    (live_server.instance / "config.py").write_text("NOTES_PER_MINUTE = 100_000\n")
    return live_server.restart()


def test_a_kill_9_during_heavy_posting_loses_nothing_and_every_resend_stores_each_note_once(
    busy_server, theme_code
):
    code, _, theme_id = theme_code
    phones = [Phone(busy_server.url, code) for _ in range(8)]
    stop = threading.Event()
    with ThreadPoolExecutor(len(phones)) as pool:
        posting = [pool.submit(phone.keep_posting, stop) for phone in phones]
        deadline = time.monotonic() + 60
        while sum(len(p.acknowledged) for p in phones) < 150 and time.monotonic() < deadline:
            time.sleep(0.05)
        busy_server.stop(kill=True)  # mid-stream: every phone has a note on its way
        for future in posting:
            future.result(timeout=30)
    acknowledged = {c: i for p in phones for c, i in p.acknowledged.items()}
    assert len(acknowledged) >= 150, "heavy posting before the kill"
    in_flight = sum(len(p.outbox) for p in phones)
    assert in_flight >= 1
    for phone in phones:  # people keep writing while the server is away
        for _ in range(3):
            phone.write()

    busy_server.start()
    waiting = {client_id for phone in phones for client_id in phone.outbox}
    stored_unacknowledged = waiting & {n.client_id for n in stored_notes(busy_server, theme_id)}
    resent: dict[str, set[int]] = {}
    for phone in phones:
        phone.client.disconnect()
        token = phone.client.auth["token"]
        # The phone comes back, and so does a second tab sharing its outbox: both resend it all
        # at once, so every note in it arrives twice, concurrently.
        tabs = [LiveClient(busy_server.url, {"code": code, "token": token}).connect() for _ in "ab"]
        assert {t.welcome["participant"]["id"] for t in tabs} == {
            phone.client.welcome["participant"]["id"]
        }
        with ThreadPoolExecutor(2) as pool:
            for answers in pool.map(phone.resend, tabs):
                for client_id, note_id in answers.items():
                    resent.setdefault(client_id, set()).add(note_id)
        caught_up = tabs[0].call("sync", {"since": 0})
        ids = [n["id"] for n in caught_up["notes"]]
        assert len(ids) == len(set(ids)), "sync gives each note once"
        for tab in tabs:
            tab.disconnect()
    assert all(len(ids) == 1 for ids in resent.values()), "both resends answer the same note"

    stored = stored_notes(busy_server, theme_id)
    by_client_id = {n.client_id: n.id for n in stored}
    assert len(by_client_id) == len(stored), "no note stored twice"
    assert set(by_client_id) == set(acknowledged) | set(resent), "every note, and nothing else"
    for client_id, note_id in acknowledged.items():
        assert by_client_id[client_id] == note_id, (
            "an acknowledged note survived the kill as it was"
        )
    for client_id, (note_id,) in resent.items():
        assert by_client_id[client_id] == note_id
    assert [n.seq for n in stored] == list(range(1, len(stored) + 1))
    print(
        f"\n8 phones: {len(acknowledged)} notes acknowledged before kill -9, {in_flight} in flight, "
        f"({len(stored_unacknowledged)} of them stored but not acknowledged), {len(resent)} resent "
        f"twice at once after the restart; {len(stored)} stored"
    )


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
