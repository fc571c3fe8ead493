"""Silent writing, hidden vote counts and the facilitation sequence in a real Chromium against a real
``facilitate serve``: the console runs the steps, phones and the wall withhold what they should and
show it, without a reload, when the facilitator reveals it; the most-voted notes are ranked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_console import arrange, open_console
from tests.browser.test_phone import note, open_phone, write
from tests.support.browsers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.server]

SECRET = "Say sorry fast, in public"


def step(console, name):
    button = console.get_by_role("button", name=name)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def test_the_console_runs_silent_writing_hidden_votes_and_the_reveals(server, new_page, tmp_path):
    theme = arrange(server, ["Trust them with a phone"])
    console = open_console(new_page, server, theme)
    step(console, "1. Write in silence")
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    author = open_phone(new_page, server, theme)
    other = open_phone(new_page, server, theme)
    expect(other.get_by_text("Trust them with a phone")).to_have_count(0)
    expect(wall.locator(".wall__board")).to_contain_text("1 note written so far")

    write(author, SECRET)
    expect(note(author, SECRET)).to_contain_text("You")
    expect(other.locator(".step-line")).to_contain_text("2 notes written so far")
    expect(wall.locator(".wall__board")).to_contain_text("2 notes written so far")
    expect(wall.locator(".wall__step")).to_contain_text("Write in silence")
    expect(other.get_by_text(SECRET)).to_have_count(0)
    expect(wall.get_by_text(SECRET)).to_have_count(0)
    expect(console.get_by_text(SECRET)).to_be_visible()
    other.screenshot(path=str(tmp_path / "phone-silent.png"), full_page=True)
    wall.screenshot(path=str(tmp_path / "wall-silent.png"))
    assert axe_violations(other) == []
    assert axe_violations(wall) == []

    step(console, "2. Reveal the notes")
    for page in (other, wall):
        expect(page.get_by_text(SECRET)).to_have_count(1)
        expect(page.get_by_text("Trust them with a phone")).to_have_count(1)
    step(console, "3. Vote, counts hidden")
    vote = note(other, SECRET).locator(".vote")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote).to_have_text(re.compile(r"Voted$"))
    expect(note(author, SECRET)).to_contain_text("Votes hidden")
    expect(console.locator(".card-note", has_text=SECRET)).to_contain_text("1 vote")
    expect(wall.locator(".wall-note__votes")).to_have_count(0)
    expect(console.locator(".ranked")).to_be_hidden()
    other.screenshot(path=str(tmp_path / "phone-votes-hidden.png"), full_page=True)

    step(console, "4. Reveal the votes")
    expect(wall.locator(".wall__board")).to_contain_text("Most votes")
    expect(wall.locator(".wall-note", has_text=SECRET)).to_contain_text("1")
    expect(wall.get_by_text("Trust them with a phone")).to_have_count(0)  # no votes: not ranked
    expect(vote).to_have_text(re.compile(r"1\s*vote$"))
    ranked = console.locator(".ranked__item")
    expect(ranked).to_have_count(1)
    expect(ranked.first).to_contain_text(SECRET)
    expect(ranked.first).to_contain_text("1 vote")
    wall.wait_for_timeout(1000)  # the board's turn to the ranked list
    wall.screenshot(path=str(tmp_path / "wall-ranked.png"))
    console.locator(".sequence-panel").screenshot(path=str(tmp_path / "console-sequence.png"))
    assert axe_violations(wall) == []
    assert axe_violations(console) == []

    step(console, "5. Discuss")
    expect(wall.get_by_text("Trust them with a phone")).to_have_count(1)
    for page in (console, wall, author, other):
        assert page.errors == []


def test_a_timed_step_moves_the_room_on_when_the_timer_ends(server, new_page):
    theme = arrange(server)
    console = open_console(new_page, server, theme)
    console.get_by_label("Minutes for the step (optional)").fill("0.05")
    step(console, "1. Write in silence")
    expect(console.locator(".sequence__now")).to_contain_text("The next step starts")
    phone = open_phone(new_page, server, theme)
    reveal = console.get_by_role("button", name="2. Reveal the notes")
    expect(reveal).to_have_attribute("aria-pressed", "true", timeout=10000)
    expect(phone.locator(".step-line")).to_contain_text("The notes are revealed")
    console.get_by_label("Minutes for the step (optional)").fill("500")
    console.get_by_role("button", name="3. Vote, counts hidden").click()
    expect(console.locator(".console-message")).to_contain_text("from 1 to 240 minutes")
    assert console.errors == []
