"""How late the event loop of ``facilitate serve`` runs: measured all the time, reported by
``/healthz``, and logged as one line past a threshold."""

from __future__ import annotations

import logging
import time

import pytest
import requests

from facilitate.looplag import WINDOW, LoopLag
from tests.support.servers import LiveServer


def lag_figures(server: LiveServer) -> dict:
    answer = requests.get(server.url + "/healthz", timeout=5).json()
    assert answer["ok"] is True
    return answer["loop_lag_ms"]


@pytest.mark.server
def test_healthz_of_a_running_server_reports_the_loop_lag(live_server):
    time.sleep(0.5)  # a few measurements
    figures = lag_figures(live_server)
    assert set(figures) == {"now", "max_1m"}
    for value in figures.values():
        assert isinstance(value, int | float)
        assert 0 <= value < 1000  # an idle server wakes almost on time
    assert figures["max_1m"] >= figures["now"]


@pytest.mark.server
def test_a_late_loop_is_logged_in_one_line_past_the_configured_threshold(tmp_path):
    # Every wake is a little late, so a threshold of a microsecond is always passed.
    server = LiveServer(
        tmp_path / "server",
        f"sqlite:///{tmp_path / 'server' / 'facilitate.db'}",
        environment={"FACILITATE_LOOP_LAG_WARN_MS": "0.001"},
    )
    try:
        server.start()
        time.sleep(0.5)
        lag_figures(server)
        log = server.log()
    finally:
        server.close()
    lines = [line for line in log.splitlines() if "The event loop ran" in line]
    assert len(lines) == 1, log  # held back for a while after the first, not one per wake
    assert "warning above 0 ms" in lines[0]
    assert "Traceback" not in log


def test_healthz_without_a_monitor_says_null(client):
    assert client.get("/healthz").get_json() == {"ok": True, "loop_lag_ms": None}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_worst_lag_is_kept_for_a_minute(caplog):
    clock = Clock()
    lag = LoopLag(warn_ms=200, clock=clock)
    assert lag.figures() == {"now": 0.0, "max_1m": 0.0}
    for value in (3.0, 150.0, 2.0):
        clock.now += 0.1
        lag.record(value)
    assert lag.figures() == {"now": 2.0, "max_1m": 150.0}
    clock.now += WINDOW
    lag.record(1.0)
    assert lag.figures() == {"now": 1.0, "max_1m": 1.0}
    assert not caplog.records


def test_a_long_stall_warns_once_then_names_the_worst_since(caplog):
    clock = Clock()
    lag = LoopLag(warn_ms=200, clock=clock)
    with caplog.at_level(logging.WARNING, logger="facilitate.looplag"):
        for value in (250.0, 900.0, 300.0):
            clock.now += 1
            lag.record(value)
        clock.now += 10
        lag.record(210.0)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith("The event loop ran 250 ms late")
    assert messages[1].startswith("The event loop ran 900 ms late")
