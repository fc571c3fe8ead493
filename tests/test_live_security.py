"""Against a real ``facilitate serve``: Socket.IO connections from pages of another site are refused
(a signed-in facilitator's cookie is worth nothing to them), and an oversized message closes only
the connection that sent it."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests
import socketio
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import Note, Role
from facilitate.realtime.connections import Connection
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_theme, make_user
from tests.support.phones import NS, LiveClient
from tests.support.servers import cookie_header, signed_in

pytestmark = pytest.mark.server

FOREIGN = "http://evil.example"


@pytest.fixture
def theme(live_server):
    with live_server.app_context():
        lead = make_user(Role.FACILITATOR, email="lead@example.org")
        theme = make_theme(facilitators=[lead], settings=ThemeSettings(note_max_length=2000))
        return {"id": theme.id, "code": theme.join_code, "wall": theme.wall_token}


def session_cookie(live_server) -> str:
    return cookie_header(signed_in(live_server, "lead@example.org"))


def stored(live_server, text: str) -> int:
    with live_server.app_context():
        return db.session.scalar(select(func.count(Note.id)).where(Note.text == text))


def rejoin(live_server, theme, phone: LiveClient) -> LiveClient:
    """``phone`` connecting again with its token, as the same participant."""
    again = LiveClient(live_server.url, {"code": theme["code"], "token": phone.auth["token"]})
    again.connect()
    assert again.welcome["participant"]["id"] == phone.welcome["participant"]["id"]
    return again


def with_origin(client: LiveClient, origin: str, transport: str) -> LiveClient:
    """Send ``origin`` as the page's Origin: the websocket client sends its own unless told."""
    if transport == "websocket":
        client.sio.eio.websocket_extra_options = {"origin": origin}
    else:
        client.headers["Origin"] = origin
    return client


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_page_of_another_site_cannot_connect_even_with_the_facilitators_cookie(
    live_server, theme, transport
):
    cookie = session_cookie(live_server)
    own = live_server.url
    for auth, headers in [
        ({"code": theme["code"]}, {}),
        ({"wall": theme["wall"]}, {}),
        ({"theme_id": theme["id"]}, {"Cookie": cookie}),
    ]:
        stranger = LiveClient(own, auth, headers=dict(headers), transports=[transport])
        with pytest.raises(socketio.exceptions.ConnectionError):
            with_origin(stranger, FOREIGN, transport).connect(timeout=3)
        assert stranger.of("welcome") == []
        ours = LiveClient(own, auth, headers=dict(headers), transports=[transport])
        welcome = with_origin(ours, own, transport).connect().welcome
        assert welcome["theme"]["id"] == theme["id"]
        ours.disconnect()


def test_the_handshake_from_another_site_is_refused_before_any_session(live_server):
    answer = requests.get(
        live_server.url + "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": FOREIGN},
        timeout=10,
    )
    assert answer.status_code == 400
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert '"sid"' not in answer.text


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_an_oversized_message_closes_only_its_own_connection(live_server, theme, transport):
    flooder = LiveClient(live_server.url, {"code": theme["code"]}, transports=[transport]).connect()
    bystander = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    huge = "x" * (70 * 1024)
    with pytest.raises(Exception):  # noqa: B017, PT011  (the server closes it: no answer comes)
        flooder.post(huge, timeout=5)
    assert flooder.wait_closed()
    flooder.disconnect()
    assert stored(live_server, huge) == 0
    assert bystander.sio.connected
    assert bystander.post("Still here")["ok"] is True
    again = rejoin(live_server, theme, flooder)
    again.disconnect()
    bystander.disconnect()


def test_the_longest_note_a_theme_allows_fits_under_the_message_cap(live_server, theme):
    """2,000 characters that JSON writes at their widest (12 bytes each) still get through."""
    phone = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    widest = "\U0001f600" * 2000
    ack = phone.call("note:add", {"client_id": str(uuid.uuid4()), "text": widest})
    assert ack["ok"] is True
    assert ack["note"]["text"] == widest
    too_long = phone.call("note:add", {"client_id": str(uuid.uuid4()), "text": widest + "!"})
    assert too_long["error"] == {
        "code": "too_long",
        "message": "Notes can be up to 2000 characters; this one has 2001.",
    }
    phone.disconnect()


def test_a_flooding_phone_is_slowed_and_one_that_never_waits_is_cut_off(live_server, theme):
    """Past its burst a connection's refusals wait a second each: a client that sends again as soon
    as it hears back is slowed to a trickle, and one that sends without waiting is disconnected.
    Everyone else goes on posting, and the flooder may come back."""
    bystander = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    flooder = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    answers, lock = [], threading.Lock()

    def lane() -> None:
        """Send again as soon as the answer comes, until refused twice (or a minute passes)."""
        refusals, deadline = 0, time.monotonic() + 60
        while refusals < 2 and time.monotonic() < deadline:
            sent = time.monotonic()
            answer = flooder.call("sync", {"since": 0}, timeout=10)
            with lock:
                answers.append((answer, time.monotonic() - sent))
            refusals += not answer["ok"]

    started = time.monotonic()
    lanes = [threading.Thread(target=lane) for _ in range(8)]
    for thread in lanes:
        thread.start()
    assert bystander.post("Posting through a flood")["ok"] is True
    for thread in lanes:
        thread.join()
    elapsed = time.monotonic() - started
    refused = [(a, took) for a, took in answers if not a["ok"]]
    assert len(refused) == 16, "every lane was refused, however fast the machine"
    assert {a["error"]["code"] for a, _ in refused} == {"rate_limited"}
    # Each refusal is held back about a second, so the flood is slowed, not answered at once.
    assert min(took for _, took in refused) >= 0.8
    # Past the burst, no more is answered than the steady rate allows in the time it took.
    accepted = len(answers) - len(refused)
    assert accepted <= Connection.BURST + Connection.RATE * elapsed + 8
    assert flooder.sio.connected

    for _ in range(200):  # without waiting for any answer
        flooder.sio.emit("sync", {"since": 0}, namespace=NS)
    assert flooder.wait_closed()
    flooder.disconnect()
    assert bystander.sio.connected
    assert bystander.post("Still posting")["ok"] is True
    again = rejoin(live_server, theme, flooder)
    assert again.post("Back, and calmer")["ok"] is True
    again.disconnect()
    bystander.disconnect()
