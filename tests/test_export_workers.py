"""Downloading a large report never stalls the rooms: under ``facilitate serve`` every format is
made in a worker process, so a phone on the same server keeps being answered while it is made."""

from __future__ import annotations

import pytest

from benchmarks.exports import build_event
from facilitate.models import Phase
from facilitate.services import phases
from tests.support.bystander import assert_never_held, waits_during
from tests.support.phones import LiveClient
from tests.support.servers import signed_in

pytestmark = pytest.mark.server

FORMATS = ("md", "html", "csv", "json", "docx", "pdf")


@pytest.fixture
def big_event(live_server):
    with live_server.app_context():
        event = build_event(2000, 4)
        theme = event.themes[0]
        if theme.phase is not Phase.OPEN:
            phases.set_phase(theme, Phase.OPEN)
        return {"slug": event.slug, "code": theme.join_code}


def test_a_bystander_is_never_held_while_a_report_is_made(live_server, big_event):
    organiser = signed_in(live_server, "olive@example.org", "x" * 12)
    bystander = LiveClient(live_server.url, {"code": big_event["code"]}).connect()
    waits: dict[str, tuple[list[float], float]] = {}
    for fmt in FORMATS:
        url = f"{live_server.url}/events/{big_event['slug']}/report.{fmt}"
        response, samples, seconds = waits_during(
            bystander, lambda url=url: organiser.get(url, timeout=300)
        )
        waits[fmt] = samples, seconds
        assert response.status_code == 200, (fmt, response.text[:200])
        assert len(response.content) > 10_000, fmt
    bystander.disconnect()
    assert_never_held(waits)
