"""A facilitator compiles the Trust write-up, rewrites it with a live preview and autosave, cites a
note from the drawer, publishes it, and a reader opens the public page; axe-core finds no WCAG A/AA
violation on the editor and the public pages, on a laptop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from facilitate.models import Role
from facilitate.services import clusters
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_event, make_theme, make_user
from tests.test_exports_corpus import say


def arrange(live_server) -> tuple[int, str, int]:
    with live_server.app_context():
        organiser = make_user(Role.ORGANISER, email="olive@example.org", name="Olive Organiser")
        andy = make_user(Role.FACILITATOR, email="andy@example.org", name="Andy Facilitator")
        event = make_event(organiser, "Best by West Midlands launch")
        theme = make_theme(event, "Trust", [andy], prompt="How do we build trust?")
        staff = clusters.add_cluster(theme, "Trusting staff")
        phone = say(theme, "Trust staff with a phone as with a telephone", name="Rob")
        clusters.move_note(phone.id, theme, staff.id)
        say(theme, "What if a member of staff is abused online?", "question")
        return theme.id, event.slug, phone.id


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_facilitator_writes_up_and_publishes_a_theme(live_server, new_page, size):
    theme_id, slug, phone_id = arrange(live_server)
    page = new_page(size)
    sign_in(page, live_server.url, "andy@example.org", PASSWORD)
    page.goto(f"{live_server.url}/themes/{theme_id}/writeup")
    expect(page.get_by_role("heading", name="Trust")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Compile draft").click()
    text = page.get_by_label("Write-up, in Markdown")
    expect(text).to_have_value(re.compile("a discussion on Trust"))
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Trusting staff")).to_be_visible()

    text.fill("# Trust, in our own words\n\nStaff deserve the trust we give the telephone.")
    expect(preview.get_by_role("heading", name="Trust, in our own words")).to_be_visible()
    status = page.locator("#editor-status")
    expect(status).to_have_text(re.compile(r"^Saved (just now|\d+ s ago) · Draft$"), timeout=10_000)

    page.get_by_text("Notes to cite (2)").click()
    page.get_by_role("button", name=f"Cite note {phone_id}").click()
    expect(text).to_have_value(re.compile(rf"telephone\. \[#{phone_id}\]$"))
    expect(preview.locator("sup.cite")).to_have_text("1")
    expect(preview.get_by_role("heading", name="Notes cited")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="is published")).to_be_visible()
    expect(page.locator(".writeup-state")).to_contain_text("Published")
    page.get_by_role("link", name="View published page").click()
    expect(page.get_by_role("heading", name="Trust, in our own words")).to_be_visible()

    reader = new_page(size)
    reader.goto(f"{live_server.url}/r/{slug}/{theme_id}")
    expect(reader.get_by_role("heading", name="Trust, in our own words", level=1)).to_be_visible()
    expect(reader.get_by_text("Trust staff with a phone as with a telephone")).to_be_visible()
    assert axe_violations(reader) == []
    reader.goto(f"{live_server.url}/r/{slug}")
    expect(reader.get_by_role("heading", name="At a glance")).to_be_visible()
    assert axe_violations(reader) == []
    assert page.errors == []
    assert reader.errors == []


def test_unsaved_text_survives_a_failed_save(live_server, new_page):
    theme_id, _slug, _phone = arrange(live_server)
    page = new_page("laptop")
    sign_in(page, live_server.url, "andy@example.org", PASSWORD)
    page.goto(f"{live_server.url}/themes/{theme_id}/writeup")
    page.route("**/writeup/autosave", lambda route: route.abort())
    text = page.get_by_label("Write-up, in Markdown")
    text.fill("Words that must not be lost")
    expect(page.locator("#editor-status")).to_have_text(re.compile("Not saved — retrying"))
    expect(text).to_have_value("Words that must not be lost")
    page.unroute("**/writeup/autosave")
    expect(page.locator("#editor-status")).to_have_text(
        re.compile(r"^Saved (just now|\d+ s ago) · Draft$"), timeout=15_000
    )
    page.errors.clear()  # the aborted requests were logged as failed loads, on purpose
