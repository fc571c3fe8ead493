"""In Chromium, a phone whose browser asks for Welsh: it joins, posts, votes and reads a closed
discussion in Welsh, passes axe with the page's language set, and can switch to English and keep
the choice; a Welsh event's wall speaks Welsh to an English browser. The Welsh expected is read from
the catalogues, so a sentence that is not translated fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Event, Phase, Role, Theme
from facilitate.services import phases
from tests.support.browsers import axe_violations
from tests.support.factories import make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]

CATALOGUES = Path(__file__).resolve().parents[2] / "facilitate" / "translations"
PAGE = Translations.load(str(CATALOGUES), ["cy"], domain="messages")
SCRIPTS = Translations.load(str(CATALOGUES), ["cy"], domain="js")


def cy(message: str) -> str:
    """The Welsh of a message from a template or the server; it must differ from the English."""
    welsh = PAGE.gettext(message)
    assert welsh != message, f"no Welsh for {message!r}"
    return welsh


def cy_script(message: str) -> str:
    """The Welsh of a message from a page script."""
    welsh = SCRIPTS.gettext(message)
    assert welsh != message, f"no Welsh for {message!r}"
    return welsh


def arrange(server, language="en"):
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(facilitators=[lead], phase=Phase.OPEN)
        db.session.get(Event, theme.event_id).language = language
        db.session.commit()
        post(theme, make_participant(theme, "Kim"), text="Pwynt gan Kim")
        return theme.id, theme.join_code, theme.wall_token


def test_a_welsh_phone_joins_posts_votes_and_reads_a_closed_discussion(server, new_page, tmp_path):
    theme_id, code, _wall = arrange(server)
    page = new_page("phone", locale="cy-GB")
    page.goto(f"{server.url}/join")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label(cy("Code")).fill(code.lower())
    page.get_by_role("button", name=cy("Join")).click()
    expect(page.locator(".conn")).to_have_text(cy_script("Live"))
    expect(page.get_by_role("button", name=cy("Post note"))).to_be_visible()

    page.get_by_label(cy("Your note"), exact=True).fill("Mae angen hyfforddiant ar bawb")
    page.get_by_role("button", name=cy("Post note")).click()
    mine = page.locator(".notes .note", has_text="Mae angen hyfforddiant ar bawb")
    expect(mine).not_to_have_class(re.compile(r"note--outbox"))
    expect(mine).to_contain_text(cy_script("You"))

    vote = page.locator(".notes .note", has_text="Pwynt gan Kim").locator(".vote")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "phone-cy.png"), full_page=True)

    with server.app_context():
        phases.set_phase(db.session.get(Theme, theme_id), Phase.CLOSED)
    page.reload()
    expect(page.locator(".phase-message--closed")).to_contain_text(
        cy("This discussion is closed. Thank you!")
    )
    expect(page.locator(".notes .note", has_text="Mae angen hyfforddiant ar bawb")).to_be_visible()
    assert axe_violations(page) == []

    # English, chosen on the page, is kept for the next page too.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.locator(".phase-message--closed")).to_contain_text(
        "This discussion is closed. Thank you!"
    )
    page.goto(f"{server.url}/join")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    assert page.errors == []


def test_a_welsh_event_s_wall_speaks_welsh_to_an_english_browser(server, new_page, tmp_path):
    _theme_id, _code, wall_token = arrange(server, language="cy")
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{wall_token}")
    expect(wall.locator("html")).to_have_attribute("lang", "cy")
    expect(wall.locator(".wall-note__text")).to_have_text(["Pwynt gan Kim"])
    one_note = SCRIPTS.ngettext("{n} note", "{n} notes", 1).replace("{n}", "1")
    assert one_note != "1 note", "no Welsh for the wall's count"
    expect(wall.locator(".wall__count")).to_have_text(one_note)
    assert axe_violations(wall) == []
    wall.screenshot(path=str(tmp_path / "wall-cy.png"))
    assert wall.errors == []
