"""Phones and a wall behind a network that cuts, stalls and half-opens their connections at random:
when it calms down, every page shows exactly what the database holds, each note once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note, Phase, Role
from tests.support.factories import make_theme, make_user
from tests.support.fault_proxy import FaultProxy
from tests.support.pages import settle, visible_texts
from tests.support.phones import LiveClient
from tests.test_shared_server import signed_in_cookie

PHONES = 3
NOTES_EACH = 6


@pytest.fixture
def arranged(server):
    with server.app_context():
        lead = make_user(Role.FACILITATOR, email="faults-lead@example.org")
        theme = make_theme(facilitators=[lead], phase=Phase.OPEN)
        return {"id": theme.id, "code": theme.join_code, "wall": theme.wall_token}


@pytest.mark.parametrize("seed", [7])
def test_pages_behind_a_faulty_network_end_with_exactly_the_stored_notes(
    server, arranged, new_page, seed
):
    proxy = FaultProxy(server.port, seed=seed).start()
    try:
        wall = new_page("projector")
        wall.goto(f"{proxy.url}/wall/{arranged['wall']}")
        phones = []
        for _ in range(PHONES):
            phone = new_page("phone")
            phone.goto(f"{proxy.url}/j/{arranged['code']}")
            expect(phone.locator(".conn")).to_have_attribute("data-state", "live")
            phones.append(phone)
        console = LiveClient(
            server.url,
            {"theme_id": arranged["id"]},
            headers={"Cookie": signed_in_cookie(server, "faults-lead@example.org")},
        ).connect()

        import threading

        faults = threading.Thread(target=proxy.misbehave, args=(25,))
        faults.start()
        for round_ in range(NOTES_EACH):
            for number, phone in enumerate(phones):
                phone.get_by_label("Your note", exact=True).fill(
                    f"Phone {number} note {round_}: keep going"
                )
                phone.get_by_role("button", name="Post note").click()
            time.sleep(1.5)
            # The facilitator hides one note in three and pins one, as notes come in.
            added = [n["note"] for n in console.of("note:added")]
            for note in added[round_ * 3 :: 3][:1]:
                console.call("note:moderate", {"note_id": note["id"], "action": "hide"})
            if added:
                console.call("note:moderate", {"note_id": added[-1]["id"], "action": "pin"})
        faults.join()
        assert set(proxy.faults) == {"cut", "stall", "half-open"}

        # Every phone's outbox empties once the network is calm again.
        for phone in phones:
            expect(phone.locator(".note--outbox")).to_have_count(0, timeout=45_000)
        expected = visible_texts(server, arranged["id"])
        with server.app_context():
            stored = db.session.scalar(
                select(db.func.count(Note.id)).where(Note.theme_id == arranged["id"])
            )
        assert stored == PHONES * NOTES_EACH, "every note posted is stored, and once"
        for phone in phones:
            seen = settle(
                lambda phone=phone: phone.locator(".notes .note__text").all_inner_texts(),
                expected,
                timeout=45,
            )
            assert seen == expected
        on_wall = settle(
            lambda: wall.locator(".wall-note__text").all_text_contents(), expected, timeout=45
        )
        assert on_wall == expected
        console.disconnect()
    finally:
        proxy.stop()
