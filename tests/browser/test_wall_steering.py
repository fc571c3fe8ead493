"""The facilitator steers every wall of the theme from the console: everything, the newest notes,
one heading, one note in the spotlight. Both walls follow at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Role, Theme
from facilitate.services import clusters
from tests.support.browsers import axe_violations, font_px, sign_in
from tests.support.factories import PASSWORD, make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]


def arrange(server):
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(facilitators=[lead])
        heading = clusters.add_cluster(theme, "Trusting staff")
        clusters.add_cluster(theme, "Earning trust")
        people = [make_participant(theme) for _ in range(5)]
        for n in range(20):
            note = post(theme, people[n % 5], text=f"Point {n:02d} made in the room")
            if n < 5:
                clusters.move_note(note.id, db.session.get(Theme, theme.id), heading.id)
        return theme.id, theme.wall_token, lead.email


def texts(wall) -> list[str]:
    return wall.locator(".wall-note__text").all_inner_texts()


def test_every_wall_follows_what_the_console_chooses(server, new_page, tmp_path):
    theme_id, token, lead = arrange(server)
    walls = []
    for _ in range(2):
        wall = new_page("projector")
        wall.goto(f"{server.url}/wall/{token}")
        expect(wall.locator(".wall__status")).to_have_attribute("data-state", "live")
        walls.append(wall)
    console = new_page("laptop")
    sign_in(console, server.url, lead, PASSWORD)
    console.goto(f"{server.url}/themes/{theme_id}/console")
    expect(console.locator(".conn")).to_have_attribute("data-state", "live")

    console.get_by_role("button", name="The newest").click()
    for wall in walls:
        expect(wall.get_by_text("The newest notes").first).to_be_visible()
        expect(wall.locator(".wall-note__text")).to_have_count(12)
        expect(wall.get_by_text("Point 19 made in the room")).to_be_visible()
        expect(wall.get_by_text("Point 00 made in the room")).to_have_count(0)
    expect(console.get_by_role("button", name="The newest")).to_have_attribute(
        "aria-pressed", "true"
    )

    console.get_by_label("One heading").select_option(label="Trusting staff")
    console.get_by_role("button", name="Show it").click()
    for wall in walls:
        expect(wall.locator(".wall-note__text")).to_have_count(5)
        assert all(re.match(r"Point 0[0-4]", text) for text in texts(wall))
    expect(console.locator(".wall-view__now")).to_contain_text("Trusting staff")

    card = console.locator("[data-note]", has_text="Point 07 made in the room")
    card.focus()
    console.keyboard.press("s")
    for wall in walls:
        spotlight = wall.locator(".wall__spotlight")
        expect(spotlight).to_be_visible()
        expect(spotlight).to_contain_text("Point 07 made in the room")
        expect(wall.locator(".wall__board")).to_be_hidden()
        expect(wall.locator(".wall__page")).to_be_hidden()
        assert font_px(wall, ".wall__spotlight-text") >= 48
    assert axe_violations(walls[0]) == []
    walls[0].screenshot(path=str(tmp_path / "spotlight.png"))

    console.get_by_role("button", name="Everything").click()
    for wall in walls:
        expect(wall.locator(".wall__spotlight")).to_be_hidden()
        expect(wall.locator(".wall__count")).to_have_text("20 notes")
        expect(wall.get_by_text("Trusting staff").first).to_be_visible()
    for page in (*walls, console):
        assert page.errors == []
