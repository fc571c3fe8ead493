"""Against a real ``facilitate serve``: a Socket.IO frame the server cannot take (bad JSON, deep
nesting, a number no database column holds, an event that is not ``[name, …]``) is answered with
the contract's refusal and logged as one warning line, never a traceback; the connection stays."""

from __future__ import annotations

import threading

import pytest
import socketio

from facilitate.models import Role
from tests.support.factories import make_theme, make_user
from tests.support.phones import NS, LiveClient
from tests.test_live_security import session_cookie

pytestmark = pytest.mark.server

REFUSED = "Refused a Socket.IO message"


@pytest.fixture
def phone(live_server):
    with live_server.app_context():
        code = make_theme().join_code
    phone = LiveClient(live_server.url, {"code": code}).connect()
    yield phone
    phone.disconnect()


def send_raw(phone: LiveClient, body: str) -> dict:
    """Send ``body`` (what follows the acknowledgement id) as a text frame; wait for the answer."""
    answered = threading.Event()
    answer = {}

    def callback(*args):
        answer["args"] = args
        answered.set()

    ack = phone.sio._generate_ack_id(NS, callback)
    phone.sio.eio.send(f"2{NS},{ack}{body}")
    assert answered.wait(10), "no answer"
    (reply,) = answer["args"]
    return reply


def refused_lines(live_server) -> list[str]:
    return [line for line in live_server.log().splitlines() if REFUSED in line]


FRAMES = {
    "bad JSON": ('["note:add",{"text": oops}]', "note:add", "not understood"),
    "deep nesting": ('["note:add",' + "[" * 5000 + "]" * 5000 + "]", "note:add", "nested"),
    "not an event": ('{"note_id": 1}', "?", "not an event"),
    "id past any column": (f'["vote:toggle",{{"note_id":{2**70}}}]', "vote:toggle", "range"),
}


@pytest.mark.parametrize("case", FRAMES, ids=list(FRAMES))
def test_a_frame_the_server_cannot_take_is_refused_in_one_line(live_server, phone, case):
    body, event, reason = FRAMES[case]
    reply = send_raw(phone, body)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid"
    assert reply["error"]["message"]

    lines = refused_lines(live_server)
    assert len(lines) == 1, live_server.log()
    assert f"event {event}" in lines[0]
    assert reason in lines[0]
    assert "Traceback" not in live_server.log()
    # The same connection goes on working.
    assert phone.post("still here")["ok"] is True


def test_an_out_of_range_id_from_the_client_library_is_refused(live_server, phone):
    reply = phone.call("note:edit", {"note_id": -(2**70), "text": "x"})
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid"
    assert len(refused_lines(live_server)) == 1
    assert "Traceback" not in live_server.log()


def test_a_frame_that_fails_inside_the_socketio_library_is_one_line(live_server, phone):
    # A binary attachment nobody announced: python-socketio raises while dispatching it.
    phone.sio.eio.send(b"\x00\x01")
    assert phone.post("still here")["ok"] is True
    log = live_server.log()
    assert "Traceback" not in log
    assert sum("handler error" in line for line in log.splitlines()) <= 1


def test_a_connect_with_an_out_of_range_id_is_refused_in_one_line(live_server):
    # Signed in, so that the id would reach the database (and overflow SQLite's integer).
    with live_server.app_context():
        make_user(Role.FACILITATOR, email="lead@example.org")
    cookie = session_cookie(live_server)
    console = LiveClient(live_server.url, {"theme_id": 2**70}, headers={"Cookie": cookie})
    with pytest.raises(socketio.exceptions.ConnectionError):
        console.connect(timeout=5)
    assert console.refusal is not None
    lines = refused_lines(live_server)
    assert len(lines) == 1, live_server.log()
    assert "event connect" in lines[0]
    assert "Traceback" not in live_server.log()
