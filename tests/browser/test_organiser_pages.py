"""An organiser signs in, creates an event with three themes and sees their join codes, on a phone and
on a projector-sized screen; axe-core finds no WCAG A/AA violation on the pages on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from facilitate.models import Role
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_user

THEMES = {
    "Tactics": "What works when a council talks with residents online?",
    "Training": "How do we help staff feel confident?",
    "Trust": "How do we trust staff with social media?",
}


@pytest.mark.parametrize("size", ["phone", "projector"])
def test_organiser_creates_an_event_with_three_themes(live_server, new_page, size, tmp_path):
    with live_server.app_context():
        make_user(Role.ORGANISER, email="olive@example.org", name="Olive Organiser")
        make_user(Role.FACILITATOR, email="andy@example.org", name="Andy Facilitator")
    page = new_page(size)
    page.goto(live_server.url + "/")
    assert axe_violations(page) == []
    sign_in(page, live_server.url, "olive@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Olive Organiser")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="New event").click()
    assert axe_violations(page) == []
    page.get_by_label("Event title").fill("Best by West Midlands launch")
    page.get_by_label("Date").fill("2026-11-23")
    page.get_by_label("Venue").fill("Sandwell Council House")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Add a theme")).to_be_visible()

    for title, prompt in THEMES.items():
        page.get_by_label("Theme title").fill(title)
        page.get_by_label("Question for the room").fill(prompt)
        page.get_by_label("Andy Facilitator (andy@example.org)").check()
        if title != "Trust":
            page.get_by_role("button", name="Add and add another").click()
            expect(
                page.get_by_role("status").filter(has_text=f"“{title}” is added")
            ).to_be_visible()
        else:
            assert axe_violations(page) == []
            page.get_by_role("button", name="Add theme", exact=True).click()

    expect(page.get_by_role("heading", name="Best by West Midlands launch")).to_be_visible()
    with live_server.app_context():
        from facilitate.extensions import db
        from facilitate.models import Theme

        codes = {t.title: t.join_code for t in db.session.scalars(db.select(Theme))}
    assert set(codes) == set(THEMES)
    for title, code in codes.items():
        row = page.locator("tr", has_text=title)
        expect(row.locator(".code-chip")).to_have_text(code)
        expect(row.locator(".code-chip")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"event-{size}.png"), full_page=True)
    assert page.errors == []


def test_a_wrong_password_is_said_plainly(live_server, new_page):
    with live_server.app_context():
        make_user(Role.ORGANISER, email="olive@example.org")
    page = new_page("phone")
    page.goto(live_server.url + "/login")
    page.get_by_label("Email address").fill("olive@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "That email and password do not match an account."
    )
    assert axe_violations(page) == []
