"""The shared server loses Redis for a while: Chromium pages on the other process catch up on every
stored note, exactly once, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.pages import settle, visible_texts
from tests.support.phones import LiveClient
from tests.test_shared_server import pair, postgres_database, redis_server, theme  # noqa: F401

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


def test_after_a_redis_outage_the_phone_and_wall_on_the_other_process_hold_every_note_once(
    pair,  # noqa: F811
    theme,  # noqa: F811
    redis_server,  # noqa: F811
    new_page,
):
    a, b = pair
    phone = new_page("phone")
    phone.goto(f"{b.url}/j/{theme['code']}")
    expect(phone.locator(".conn")).to_have_attribute("data-state", "live")
    wall = new_page("projector")
    wall.goto(f"{b.url}/wall/{theme['wall']}")
    expect(wall.locator(".wall__status")).to_have_attribute("data-state", "live")

    author = LiveClient(a.url, {"code": theme["code"]}).connect()
    assert author.post("Before the outage")["ok"]
    expect(wall.get_by_text("Before the outage")).to_be_visible()

    redis_server.stop()
    for n in range(3):
        assert author.post(f"Posted on A while Redis was away {n}")["ok"]
    phone.get_by_label("Your note", exact=True).fill("Posted from the phone on B meanwhile")
    phone.get_by_role("button", name="Post note").click()
    # The phone's note is stored (acknowledged) while the broadcasts between processes are lost.
    expect(phone.locator(".note--mine .note__text")).to_have_text(
        "Posted from the phone on B meanwhile"
    )
    expect(phone.locator(".note--outbox")).to_have_count(0, timeout=15_000)
    redis_server.start()

    expected = visible_texts(a, theme["id"])
    assert sum(expected.values()) == 5
    on_phone = settle(
        lambda: phone.locator(".notes .note__text").all_inner_texts(), expected, timeout=30
    )
    on_wall = settle(
        lambda: wall.locator(".wall-note__text").all_text_contents(), expected, timeout=30
    )
    assert on_phone == expected
    assert on_wall == expected
    # And the live path works again afterwards.
    assert author.post("After Redis came back")["ok"]
    expect(wall.get_by_text("After Redis came back")).to_have_count(1, timeout=15_000)
    expect(phone.get_by_text("After Redis came back")).to_have_count(1, timeout=15_000)
    author.disconnect()
    assert phone.errors == []
    assert wall.errors == []
