"""The shared live client's bookkeeping, run in Chromium: a gap, a duplicate, changes out of order,
a stale welcome, a resync, and sync requests that overlap.

The module is the one the pages load (``/static/js/live.js`` from a real server); only the
Socket.IO connection under it is a stand-in the test drives, so that the test decides exactly
which broadcasts arrive and in what order."""

from __future__ import annotations

import pytest

#: A stand-in for ``window.io``: records what the client emits and lets the test deliver events
#: and answer ``sync`` requests.
FAKE_SOCKET = """
window.fake = { handlers: {}, emitted: [], answers: [] };
window.io = function () {
  const fake = window.fake;
  const socket = {
    connected: false, active: true,
    io: { on() {}, opts: { transports: ["websocket", "polling"] }, engine: null },
    on(name, handler) { fake.handlers[name] = handler; },
    connect() {}, disconnect() {},
    timeout() {
      return { emit(name, payload, answer) { fake.emitted.push({ name, payload }); fake.answers.push(answer); } };
    },
  };
  fake.socket = socket;
  fake.deliver = (name, message) => fake.handlers[name](message);
  return socket;
};
"""

START = """
async () => {
  const live = await import("/static/js/live.js");
  window.applied = [];
  window.client = new live.LiveClient({
    auth: () => ({ wall: "x" }),
    pill: null,
    handlers: { note: (note) => window.applied.push(note.seq) },
  });
  window.fake.socket.connected = true;
  window.fake.deliver("connect");
}
"""


def _note(seq: int, note_id: int | None = None) -> dict:
    return {"id": note_id or seq, "seq": seq, "status": "visible", "text": f"note {seq}"}


def _welcome(seq: int) -> dict:
    return {"theme": {}, "notes": [_note(n) for n in range(1, seq + 1)], "seq": seq}


@pytest.fixture
def page(server, new_page):
    page = new_page("phone")
    page.add_init_script(FAKE_SOCKET)
    page.goto(server.url + "/")
    page.evaluate(START)
    return page


def _deliver(page, name: str, message: dict) -> None:
    page.evaluate("([name, message]) => window.fake.deliver(name, message)", [name, message])


def _syncs(page) -> list[int]:
    return page.evaluate(
        "window.fake.emitted.filter(e => e.name === 'sync').map(e => e.payload.since)"
    )


def _answer_sync(page, index: int, seq: int, notes: list[dict]) -> None:
    page.evaluate(
        "([i, seq, notes]) => window.fake.answers[i](null, {ok: true, seq, notes})",
        [_emitted_index(page, "sync", index), seq, notes],
    )


def _emitted_index(page, name: str, nth: int) -> int:
    names = page.evaluate("window.fake.emitted.map(e => e.name)")
    return [i for i, n in enumerate(names) if n == name][nth]


def _held(page) -> int:
    return page.evaluate("window.client.ledger.held")


def test_contiguous_changes_move_the_point_and_a_duplicate_changes_nothing(page):
    _deliver(page, "welcome", _welcome(5))
    _deliver(page, "note:added", {"note": _note(6), "seq": 6})
    _deliver(page, "note:updated", {"note": _note(6), "seq": 6})
    _deliver(page, "note:added", {"note": _note(7), "seq": 7})
    assert _held(page) == 7
    page.wait_for_timeout(700)
    assert _syncs(page) == []


def test_a_gap_asks_sync_from_the_last_point_held_however_many_changes_follow(page):
    _deliver(page, "welcome", _welcome(5))
    # 6 is lost; 7, 8 and an acknowledgement of 9 arrive.
    _deliver(page, "note:added", {"note": _note(7), "seq": 7})
    _deliver(page, "note:added", {"note": _note(8), "seq": 8})
    page.evaluate("window.client.acknowledged({id: 9, seq: 9, status: 'visible'})")
    assert _held(page) == 5
    page.wait_for_function("() => window.fake.emitted.some(e => e.name === 'sync')")
    assert _syncs(page) == [5]
    _answer_sync(page, 0, 9, [_note(6), _note(7), _note(8), _note(9)])
    assert _held(page) == 9
    assert 6 in page.evaluate("window.applied")


def test_changes_out_of_order_close_their_own_gap(page):
    _deliver(page, "welcome", _welcome(5))
    _deliver(page, "note:added", {"note": _note(7), "seq": 7})
    _deliver(page, "note:added", {"note": _note(6), "seq": 6})
    assert _held(page) == 7
    page.wait_for_timeout(700)
    assert _syncs(page) == []


def test_overlapping_sync_requests_fold_into_one_more(page):
    _deliver(page, "welcome", _welcome(5))
    _deliver(page, "resync", {})
    _deliver(page, "resync", {})
    _deliver(page, "resync", {})
    assert _syncs(page) == [5]
    _answer_sync(page, 0, 8, [_note(6), _note(7), _note(8)])
    # The requests made meanwhile become one more, from the new point.
    assert _syncs(page) == [5, 8]
    _answer_sync(page, 1, 8, [])
    page.wait_for_timeout(700)
    assert _syncs(page) == [5, 8]


def test_a_stale_welcome_keeps_the_point_and_asks_for_what_it_lacks(page):
    _deliver(page, "welcome", _welcome(10))
    assert _held(page) == 10
    # A reconnect answered from an older view of the theme.
    _deliver(page, "welcome", _welcome(7))
    assert _held(page) == 10
    assert _syncs(page) == [10]


def test_a_reconnect_with_a_fresh_welcome_starts_from_its_number(page):
    _deliver(page, "welcome", _welcome(5))
    _deliver(page, "note:added", {"note": _note(8), "seq": 8})
    _deliver(page, "disconnect", "transport close")
    _deliver(page, "connect", None)
    _deliver(page, "welcome", _welcome(12))
    assert _held(page) == 12
    assert not page.evaluate("window.client.ledger.gap")
