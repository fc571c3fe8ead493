"""The facilitator's console in a real Chromium against a real ``facilitate serve``: moderation reaches
phones and the wall, notes are clustered by keyboard and by dragging, duplicates merge and unmerge,
the timer closes the theme, and only the theme's leaders get in."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Note, Phase, Role, Theme, utcnow
from facilitate.services.themes import ThemeSettings
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]


def arrange(server, texts=(), **settings):
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(
            facilitators=[lead], settings=ThemeSettings(**settings) if settings else None
        )
        ids = [post(theme, make_participant(theme), text=text).id for text in texts]
        return SimpleNamespace(
            id=theme.id, code=theme.join_code, wall=theme.wall_token, lead=lead.email, notes=ids
        )


def open_console(new_page, server, theme, size="laptop"):
    page = new_page(size)
    sign_in(page, server.url, theme.lead, PASSWORD)
    page.goto(f"{server.url}/themes/{theme.id}/console")
    expect(page.locator(".conn")).to_have_attribute("data-state", "live")
    return page


def card(page, text):
    return page.locator("[data-note]", has=page.locator(".card-note__text", has_text=text))


def column(page, title):
    return page.locator(".column", has=page.locator(".column__name", has_text=title))


def stored(server, note_id) -> Note:
    with server.app_context():
        return db.session.get(Note, note_id)


def stored_when(server, note_id, check, timeout: float = 5) -> Note:
    """The note as stored, once ``check`` holds for it: a drop moves the card at once, and the
    server's write follows a moment later."""
    deadline = time.monotonic() + timeout
    while True:
        note = stored(server, note_id)
        if check(note) or time.monotonic() > deadline:
            return note
        time.sleep(0.05)


def test_hiding_a_note_takes_it_off_the_wall_and_the_phones(server, new_page):
    theme = arrange(server, ["Off topic: the car park", "Trust them with a phone"])
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    phone = new_page("phone")
    phone.goto(f"{server.url}/j/{theme.code}")
    for page in (wall, phone):
        expect(page.get_by_text("Off topic: the car park")).to_be_visible()
    console = open_console(new_page, server, theme)
    card(console, "Off topic").get_by_role("button", name=re.compile("^Hide")).click()
    for page in (wall, phone):
        expect(page.get_by_text("Off topic: the car park")).to_have_count(0, timeout=3000)
        expect(page.get_by_text("Trust them with a phone")).to_be_visible()
    console.locator(".hidden-panel summary").click()
    hidden = console.locator(".hidden-list")
    expect(hidden.get_by_text("Off topic: the car park")).to_be_visible()
    assert stored(server, theme.notes[0]).status.value == "hidden"
    assert axe_violations(console) == []
    hidden.get_by_role("button", name=re.compile("^Show")).click()
    expect(wall.get_by_text("Off topic: the car park")).to_be_visible(timeout=3000)
    assert console.errors == []


def test_clustering_by_keyboard(server, new_page):
    theme = arrange(server, ["Training first", "Avoid spin"])
    console = open_console(new_page, server, theme)
    for title in ("Trusting staff", "Earning trust"):
        console.get_by_label("New heading").fill(title)
        console.get_by_role("button", name="+ Add heading").click()
        expect(column(console, title)).to_be_visible()
    target = card(console, "Avoid spin")
    target.focus()
    console.keyboard.press("2")
    expect(column(console, "Earning trust").get_by_text("Avoid spin")).to_be_visible()
    expect(console.locator(".console-message")).to_have_text("Moved to “Earning trust”.")
    with server.app_context():
        second = db.session.scalars(db.select(Theme).where(Theme.id == theme.id)).one().clusters[1]
        assert (second.title, db.session.get(Note, theme.notes[1]).cluster_id) == (
            "Earning trust",
            second.id,
        )
    # The note that took its place in Unsorted has the focus, not the page.
    expect(card(console, "Training first")).to_be_focused()
    # Back on the moved note: P pins it, 0 sends it back to Unsorted.
    card(console, "Avoid spin").focus()
    console.keyboard.press("p")
    expect(card(console, "Avoid spin")).to_have_class(re.compile("card-note--pinned"))
    # A key held down repeats; it still acts once (five repeats would have unpinned it).
    card(console, "Avoid spin").evaluate(
        """card => { for (let i = 0; i < 5; i++) card.dispatchEvent(new KeyboardEvent(
             "keydown", {key: "p", repeat: true, bubbles: true, cancelable: true})); }"""
    )
    console.wait_for_timeout(500)
    expect(card(console, "Avoid spin")).to_have_class(re.compile("card-note--pinned"))
    console.keyboard.press("0")
    expect(column(console, "Unsorted").get_by_text("Avoid spin")).to_be_visible()
    back = stored_when(server, theme.notes[1], lambda note: note.cluster_id is None)
    assert back.pinned is True
    assert back.cluster_id is None


def test_dragging_a_note_under_a_heading(server, new_page):
    theme = arrange(server, ["Honest holding replies"])
    console = open_console(new_page, server, theme)
    console.get_by_label("New heading").fill("Earning trust")
    console.get_by_role("button", name="+ Add heading").click()
    expect(column(console, "Earning trust")).to_be_visible()
    # Grabbed by its words, as a person does (the buttons below them do not start a drag).
    card(console, "Honest holding replies").locator(".card-note__text").drag_to(
        column(console, "Earning trust").locator(".column__notes")
    )
    expect(column(console, "Earning trust").get_by_text("Honest holding replies")).to_be_visible()
    with server.app_context():
        cluster = db.session.scalars(db.select(Theme).where(Theme.id == theme.id)).one().clusters[0]
        cluster_id = cluster.id
    moved = stored_when(server, theme.notes[0], lambda note: note.cluster_id == cluster_id)
    assert moved.cluster_id == cluster_id


def test_approve_merge_and_unmerge(server, new_page):
    theme = arrange(
        server, ["Be human, not corporate", "Less corporate, more human"], approval_required=True
    )
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    console = open_console(new_page, server, theme)
    pending = console.locator(".pending-list")
    expect(pending.locator("[data-note]")).to_have_count(2)
    assert axe_violations(console) == []
    expect(wall.get_by_text("Be human, not corporate")).to_have_count(0)
    for text in ("Be human", "Less corporate"):
        pending.locator("[data-note]", has_text=text).get_by_role(
            "button", name=re.compile("^Approve")
        ).click()
        expect(console.locator(".board").get_by_text(text)).to_be_visible()
    expect(wall.get_by_text("Be human, not corporate")).to_be_visible(timeout=3000)

    card(console, "Less corporate").get_by_role("button", name=re.compile("^Merge")).click()
    expect(console.locator(".merge-banner")).to_be_visible()
    assert axe_violations(console) == []
    card(console, "Be human").locator(".card-note__text").click()
    kept = card(console, "Be human")
    expect(kept.locator(".card-note__people")).to_have_text("\u00d72 people")
    expect(
        console.locator(".board .card-note__text", has_text="Less corporate, more human")
    ).to_have_count(0)
    expect(wall.get_by_text("Less corporate, more human")).to_have_count(0, timeout=3000)
    expect(wall.get_by_text("\u00d72")).to_be_visible()
    assert stored(server, theme.notes[1]).merged_into_id == theme.notes[0]

    kept.locator(".card-note__duplicates summary").click()
    kept.get_by_role("button", name=re.compile("^Unmerge")).click()
    expect(wall.get_by_text("Less corporate, more human")).to_be_visible(timeout=3000)
    expect(card(console, "Be human").locator(".card-note__people")).to_have_count(0)


def test_merging_by_keyboard_and_escape_cancels(server, new_page):
    theme = arrange(server, ["Who trains the trainers?", "Who trains the people who train?"])
    console = open_console(new_page, server, theme)
    card(console, "people who train").focus()
    console.keyboard.press("m")
    expect(console.locator(".merge-banner")).to_be_visible()
    console.keyboard.press("Escape")
    expect(console.locator(".merge-banner")).to_be_hidden()
    card(console, "people who train").focus()
    console.keyboard.press("m")
    card(console, "Who trains the trainers?").focus()
    console.keyboard.press("Enter")
    expect(card(console, "Who trains the trainers?").locator(".card-note__people")).to_have_text(
        "\u00d72 people"
    )


def test_the_timer_can_close_the_theme_for_everyone(server, new_page):
    theme = arrange(server, ["A note before time"])
    phone = new_page("phone")
    phone.goto(f"{server.url}/j/{theme.code}")
    console = open_console(new_page, server, theme)
    console.get_by_label("Close the theme when time is up").check()
    console.get_by_role("button", name="5 min", exact=True).click()
    expect(console.locator(".console-timer")).to_contain_text("then the theme closes")
    expect(phone.locator(".timer")).to_be_visible(timeout=3000)
    with server.app_context():  # let the five minutes pass
        db.session.get(Theme, theme.id).timer_ends_at = utcnow() + timedelta(seconds=1)
        db.session.commit()
    expect(console.locator(".phase-tag")).to_have_text("closed", timeout=6000)
    expect(phone.locator("strong", has_text="This discussion is closed. Thank you!")).to_be_visible(
        timeout=3000
    )
    assert db_phase(server, theme) is Phase.CLOSED


def db_phase(server, theme):
    with server.app_context():
        return db.session.get(Theme, theme.id).phase


def test_closing_opening_and_settings_reach_the_phones(server, new_page):
    theme = arrange(server)
    phone = new_page("phone")
    phone.goto(f"{server.url}/j/{theme.code}")
    console = open_console(new_page, server, theme)
    console.get_by_role("button", name="Close theme").click()
    expect(phone.locator("strong", has_text="This discussion is closed. Thank you!")).to_be_visible(
        timeout=3000
    )
    console.get_by_role("button", name="Open again").click()
    expect(phone.get_by_role("button", name="Post note")).to_be_visible(timeout=3000)

    console.locator(".settings-panel summary").click()
    assert axe_violations(console) == []
    console.get_by_label("Ask everyone for their name").check()
    console.get_by_label("Longest note, in characters").fill("120")
    console.get_by_role("button", name="Save settings").click()
    expect(console.locator(".console-message")).to_have_text(
        "Settings saved. Phones have them now."
    )
    expect(phone.get_by_text("120 characters", exact=False)).to_be_visible(timeout=3000)
    with server.app_context():
        saved = db.session.get(Theme, theme.id)
        assert (saved.names_required, saved.note_max_length) == (True, 120)
    console.get_by_label("Longest note, in characters").fill("5")
    console.get_by_role("button", name="Save settings").click()
    expect(console.locator(".console-message")).to_contain_text("from 20 to 2000 characters")


def test_only_the_themes_leaders_get_in(server, new_page):
    theme = arrange(server, ["Private to this room's leaders"])
    with server.app_context():
        other = make_user(Role.FACILITATOR, email="elsewhere@example.org")
        make_theme(title="Tactics", facilitators=[other])
    page = new_page("laptop")
    sign_in(page, server.url, "elsewhere@example.org", PASSWORD)
    response = page.goto(f"{server.url}/themes/{theme.id}/console")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", ["laptop", "projector", "phone"])
def test_the_console_is_accessible_at_every_size(server, new_page, size, tmp_path):
    theme = arrange(server, [f"Note number {n} about trust and training" for n in range(12)])
    console = open_console(new_page, server, theme, size)
    console.get_by_label("New heading").fill("Trusting staff")
    console.get_by_role("button", name="+ Add heading").click()
    expect(column(console, "Trusting staff")).to_be_visible()
    console.locator("details.side-panel").last.locator("summary").click()  # the keyboard help
    assert axe_violations(console) == []
    console.screenshot(path=str(tmp_path / f"console-{size}.png"), full_page=True)
