"""In Chromium: the organiser's live overview (laptop and 1920x1080), the plenary report-out wall
at 1920x1080 (advanced by the overview's controls, by keys, and by itself; its report QR code once a
write-up is published; nothing hidden), and "Other break-outs" on a 360x780 phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Role, Theme
from facilitate.services import clusters, moderation, votes, writeups
from tests.support.browsers import axe_violations, font_px, sign_in
from tests.support.factories import (
    PASSWORD,
    make_event,
    make_participant,
    make_theme,
    make_user,
    post,
)
from tests.support.phones import LiveClient
from tests.test_shared_server import signed_in_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]


def arrange(server, title="Best by West Midlands launch"):
    with server.app_context():
        organiser = make_user(Role.ORGANISER)
        event = make_event(organiser, title=title)
        themes = {}
        for name in ("Tactics", "Training", "Trust"):
            theme = make_theme(event, name, prompt=f"What about {name.lower()}?")
            clusters.add_cluster(theme, f"{name}: the first heading")
            person = make_participant(theme)
            top = post(theme, person, text=f"{name}: the most voted point")
            post(theme, person, text=f"{name}: agree a plan by March", kind="action")
            hidden = post(theme, person, text=f"{name}: a remark the facilitator hid")
            votes.toggle_vote(top.id, make_participant(theme))
            votes.toggle_vote(hidden.id, make_participant(theme))
            moderation.moderate_note(hidden.id, db.session.get(Theme, theme.id), "hide")
            themes[name] = {"id": theme.id, "code": theme.join_code}
        return {
            "email": organiser.email,
            "organiser_id": organiser.id,
            "slug": event.slug,
            "event_id": event.id,
            "plenary": event.plenary_token,
            "themes": themes,
        }


def row(page, world, name):
    return page.locator(f"#overview-{world['themes'][name]['id']}")


def test_the_overview_shows_every_theme_live(server, new_page, tmp_path):
    world = arrange(server)
    page = new_page("laptop")
    sign_in(page, server.url, world["email"], PASSWORD)
    page.goto(f"{server.url}/events/{world['slug']}")
    page.get_by_role("link", name="Live overview").click()
    expect(page.locator(".conn")).to_have_attribute("data-state", "live")
    trust = row(page, world, "Trust")
    expect(trust.locator(".overview-row__notes")).to_have_text("2")
    expect(trust.locator(".overview-row__presence")).to_have_text("0")

    phone = LiveClient(server.url, {"code": world["themes"]["Trust"]["code"]}).connect()
    try:
        expect(trust.locator(".overview-row__presence")).to_have_text("1", timeout=3000)
        assert phone.post("Trust: posted while the organiser watched")["ok"]
        expect(trust.locator(".overview-row__notes")).to_have_text("3", timeout=3000)
        expect(row(page, world, "Tactics").locator(".overview-row__notes")).to_have_text("2")
        expect(page.locator(".overview__total-notes")).to_have_text("7")
        expect(page.locator(".overview__total-people")).to_have_text("1")
        # The facilitator asks for approval and starts a timer: the row shows both at once.
        lead = LiveClient(
            server.url,
            {"theme_id": world["themes"]["Trust"]["id"]},
            headers={"Cookie": signed_in_cookie(server, world["email"])},
        ).connect()
        try:
            assert lead.call("theme:settings", {"approval_required": True})["ok"]
            assert phone.post("Trust: waiting for the facilitator's look")["ok"]
            expect(trust.locator(".overview-row__pending")).to_have_text("1", timeout=3000)
            expect(page.locator(".overview__total-pending")).to_have_text("1")
            assert lead.call("timer:start", {"seconds": 600, "closes_theme": False})["ok"]
            expect(trust.locator(".overview-row__timer")).to_have_text(
                re.compile(r"^(10:00|9:[0-5]\d) left$"), timeout=3000
            )
        finally:
            lead.disconnect()
    finally:
        phone.disconnect()
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "overview-laptop.png"), full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "overview-1080.png"))
    # One click to the theme's wall, in a tab of its own for the projector.
    with page.expect_popup() as opened:
        trust.get_by_role("link", name="Wall for Trust").click()
    wall = opened.value
    wall.wait_for_url("**/wall/*")
    expect(wall.locator(".wall__count")).to_have_text("3 notes")
    wall.close()
    # One click to the theme's console.
    trust.get_by_role("link", name="Console for Trust").click()
    page.wait_for_url(f"**/themes/{world['themes']['Trust']['id']}/console")
    assert page.errors == []


def slide_title(wall):
    return wall.locator(".slide:not([hidden]) .slide__title")


def test_the_plenary_moves_on_by_the_overview_by_keys_and_by_itself(server, new_page, tmp_path):
    world = arrange(server, title="Plenary day")
    wall = new_page("projector")
    wall.goto(f"{server.url}/plenary/{world['plenary']}")
    expect(wall.locator(".plenary__status")).to_have_attribute("data-state", "live")
    expect(slide_title(wall)).to_have_text("Tactics")
    expect(wall.locator(".slide:not([hidden])")).to_have_count(1)
    shown = wall.locator(".slide:not([hidden])")
    expect(shown).to_contain_text("Tactics: the first heading")
    expect(shown).to_contain_text("Tactics: the most voted point")
    expect(shown).to_contain_text("Tactics: agree a plan by March")
    assert "hid" not in wall.locator("body").inner_text()
    expect(wall.locator(".plenary__qr")).to_have_count(0)
    for selector in (".slide__text", ".slide__list li", ".slide__prompt", ".slide__label"):
        size = font_px(wall, f".slide:not([hidden]) {selector}")
        assert size >= 28, (selector, size)
    assert axe_violations(wall) == []
    wall.screenshot(path=str(tmp_path / "plenary-dark.png"))

    organiser = new_page("laptop")
    sign_in(organiser, server.url, world["email"], PASSWORD)
    organiser.goto(f"{server.url}/events/{world['slug']}/overview")
    expect(organiser.locator(".conn")).to_have_attribute("data-state", "live")
    organiser.get_by_role("button", name="Next theme").click()
    expect(slide_title(wall)).to_have_text("Training")
    expect(organiser.locator(".plenary-panel__theme")).to_have_text("Training")

    # The organiser's own plenary screen moves on by keys; so does every other screen.
    keyed = new_page("projector")
    sign_in(keyed, server.url, world["email"], PASSWORD)
    keyed.goto(f"{server.url}/plenary/{world['plenary']}")
    expect(keyed.locator(".plenary__status")).to_contain_text("→ or Space next")
    expect(slide_title(keyed)).to_have_text("Training")
    keyed.keyboard.press("ArrowRight")
    expect(slide_title(keyed)).to_have_text("Trust")
    expect(slide_title(wall)).to_have_text("Trust")
    keyed.keyboard.press("ArrowLeft")
    expect(slide_title(wall)).to_have_text("Training")
    # Keys on a screen nobody signed in to change nothing.
    wall.keyboard.press("ArrowRight")
    wall.wait_for_timeout(700)
    expect(slide_title(keyed)).to_have_text("Training")

    # One click shows a chosen theme.
    organiser.get_by_role("button", name="Show Tactics at plenary").click()
    expect(slide_title(wall)).to_have_text("Tactics")
    organiser.get_by_role("button", name="Show Training at plenary").click()
    expect(slide_title(wall)).to_have_text("Training")

    # Paced by itself, and a write-up published meanwhile brings the report's QR code.
    organiser.get_by_label("Seconds per theme").fill("2")
    organiser.get_by_role("button", name="Set pace").click()
    expect(organiser.locator(".plenary-panel__message")).to_contain_text("every 2 seconds")
    with server.app_context():
        trust = db.session.get(Theme, world["themes"]["Trust"]["id"])
        writeups.save_writeup(trust, "# Trust\n\nWe agreed to be human.", None)
        writeups.publish_writeup(trust, None)
    expect(slide_title(wall)).to_have_text("Trust", timeout=5000)
    expect(slide_title(wall)).to_have_text("Tactics", timeout=5000)
    expect(wall.locator(".plenary__qr svg")).to_be_visible(timeout=5000)
    expect(wall.locator(".plenary__report-url")).to_contain_text(f"/r/{world['slug']}")
    assert "hid" not in wall.locator("body").inner_text()

    wall.keyboard.press("l")
    expect(wall.locator("body")).to_have_attribute("data-scheme", "light")
    assert axe_violations(wall) == []
    wall.screenshot(path=str(tmp_path / "plenary-light.png"))
    assert wall.errors == []
    assert keyed.errors == []
    assert organiser.errors == []


def test_moving_between_break_outs_keeps_the_same_participant(server, new_page, tmp_path):
    world = arrange(server, title="Moving day")
    page = new_page("phone")
    page.set_viewport_size({"width": 360, "height": 780})
    tactics, trust = world["themes"]["Tactics"], world["themes"]["Trust"]
    page.goto(f"{server.url}/j/{trust['code']}")
    expect(page.locator(".conn")).to_have_text("Live")
    page.get_by_label("Your note", exact=True).fill("Posted in Trust before moving")
    page.get_by_role("button", name="Post note").click()
    mine = page.locator(".notes .note", has_text="Posted in Trust before moving")
    expect(mine).to_contain_text("You")
    expect(mine).not_to_have_class(re.compile(r"note--outbox"))

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / "phone-top.png"))
    page.get_by_role("link", name="Other break-outs (2)").click()
    others = page.get_by_role("navigation", name="Other break-outs")
    expect(others.get_by_role("link")).to_have_count(2)
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "phone-other-breakouts.png"))
    others.get_by_role("link", name="Tactics").click()
    page.wait_for_url(f"**/j/{tactics['code']}")
    expect(page.locator(".conn")).to_have_text("Live")
    expect(page.locator(".notes .note", has_text="Posted in Trust")).to_have_count(0)

    page.get_by_role("navigation", name="Other break-outs").get_by_role(
        "link", name="Trust"
    ).click()
    page.wait_for_url(f"**/j/{trust['code']}")
    expect(page.locator(".conn")).to_have_text("Live")
    expect(mine).to_contain_text("You")
    with server.app_context():
        from facilitate.models import Note

        authors = {
            n.participant_id
            for n in db.session.scalars(db.select(Note))
            if "before moving" in n.text
        }
    assert len(authors) == 1
    assert page.errors == []
