"""A facilitator gives the wall a new address from the console's settings: the projector showing the
old one says so and gets no more notes, and the console's Open wall button leads to the new one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from facilitate.models import Role
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_a_new_wall_address_tells_the_old_wall_and_opens_the_new_one(server, new_page):
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(facilitators=[lead])
        post(theme, make_participant(theme), text="Before the new address")
        old, theme_id, email = theme.wall_token, theme.id, lead.email
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{old}")
    expect(wall.locator(".wall__status")).to_have_text(re.compile("Live"))
    expect(wall.locator(".wall-note")).to_have_count(1)

    console = new_page("laptop")
    sign_in(console, server.url, email, PASSWORD)
    console.goto(f"{server.url}/themes/{theme_id}/console")
    console.get_by_text("Settings", exact=True).click()
    button = console.get_by_role("button", name="New wall address")
    expect(button).to_be_visible()
    assert axe_violations(console) == []
    button.click()
    expect(
        console.get_by_role("status").filter(has_text="The wall has a new address")
    ).to_be_visible()

    expect(wall.locator(".wall__status")).to_have_text(
        re.compile("This wall address is not valid any more"), timeout=10_000
    )
    phone = new_page("phone")
    phone.goto(f"{server.url}/j/{console_code(console)}")
    expect(phone.locator(".conn")).to_have_text("Live")
    phone.get_by_label("Your note", exact=True).fill("After the new address")
    phone.get_by_role("button", name="Post note").click()
    expect(phone.locator(".notes .note", has_text="After the new address")).to_be_visible()
    wall.wait_for_timeout(1000)
    expect(wall.locator(".wall-note", has_text="After the new address")).to_have_count(0)

    with console.expect_popup() as opened:
        console.get_by_role("link", name=re.compile("Open wall")).click()
    new_wall = opened.value
    assert f"/wall/{old}" not in new_wall.url
    expect(new_wall.locator(".wall__status")).to_have_text(re.compile("Live"))
    expect(new_wall.locator(".wall-note", has_text="After the new address")).to_have_count(1)


def console_code(console) -> str:
    return console.locator(".code-chip").text_content().strip()
