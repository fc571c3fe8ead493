"""The console's suggestions and the wall's keywords in a real Chromium against a real
``facilitate serve``: a note posted on a phone is checked against the others as it comes, a
suggested group merges into one note, a dismissed group stays dismissed after a reload, suggested
headings are accepted and rejected by keyboard and by mouse, and the wall shows the theme's
keywords readably at 1920 by 1080 until the facilitator removes one."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Cluster, Note, Role
from facilitate.services import clusters
from tests.browser.test_console import card, column, open_console, stored_when
from tests.browser.test_phone import expect_posted, open_phone, write
from tests.support.browsers import axe_violations, font_px
from tests.support.factories import make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]

BUDGET = ["There is no budget for training", "We have no training budget at all"]
REPLIES = [
    "Reply to comments, don't just broadcast",
    "Answer the comments instead of only broadcasting",
]


def arrange(server, texts, heading=None):
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(facilitators=[lead])
        ids = [post(theme, make_participant(theme), text=text).id for text in texts]
        cluster_id = None
        if heading:
            cluster = clusters.add_cluster(theme, heading[0])
            cluster_id = cluster.id
            note = post(theme, make_participant(theme), text=heading[1])
            clusters.move_note(note.id, theme, cluster.id)
        return SimpleNamespace(
            id=theme.id,
            code=theme.join_code,
            wall=theme.wall_token,
            lead=lead.email,
            notes=ids,
            cluster=cluster_id,
        )


def alike(page):
    return page.locator(".suggest__part--alike .suggest__group")


def test_merging_a_suggested_group_keeps_one_note_raised_by_both(server, new_page):
    theme = arrange(server, [*BUDGET, "Video gets far more reach than text"])
    page = open_console(new_page, server, theme)
    expect(alike(page)).to_have_count(1)
    expect(alike(page).first).to_contain_text(BUDGET[0])
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/suggest-console.png", full_page=True)
    alike(page).first.get_by_role("button", name=re.compile("^Merge into one")).click()
    expect(page.locator(".console-message")).to_contain_text("raised by 2 people")
    kept = page.locator(".board [data-note]", has_text=BUDGET[0])
    expect(kept.locator(".card-note__people")).to_have_text("\u00d72 people")
    assert (
        stored_when(server, theme.notes[1], lambda n: n.merged_into_id).merged_into_id
        == (theme.notes[0])
    )
    expect(alike(page)).to_have_count(0)
    assert page.errors == []


def test_a_note_posted_on_a_phone_is_checked_against_the_others_as_it_comes(server, new_page):
    theme = arrange(server, [BUDGET[0], "Video gets far more reach than text"])
    page = open_console(new_page, server, theme)
    # The keywords come with the first answer: the console has asked, and nothing looked alike.
    expect(page.locator(".suggest__keyword").first).to_be_visible()
    expect(alike(page)).to_have_count(0)
    expect(page.locator(".suggest__part--alike")).to_contain_text("Nothing looks alike just now.")
    page.evaluate("window.sameVisit = true")

    phone = open_phone(new_page, server, theme)
    write(phone, BUDGET[1])
    expect_posted(phone, BUDGET[1])
    expect(card(page, BUDGET[1])).to_be_visible()
    expect(alike(page)).to_have_count(1, timeout=5000)
    for text in BUDGET:
        expect(alike(page).first).to_contain_text(text)
    expect(page.locator(".suggest__part--alike .suggest__count")).to_have_text(" (1)")
    assert page.evaluate("window.sameVisit === true"), "the console was reloaded"
    assert page.errors == []


def test_a_dismissed_group_stays_dismissed_after_a_reload(server, new_page):
    theme = arrange(server, [*BUDGET, *REPLIES])
    page = open_console(new_page, server, theme)
    expect(alike(page)).to_have_count(2)
    group = alike(page).filter(has_text=REPLIES[0])
    group.get_by_role("button", name=re.compile("^Not the same")).click()
    expect(alike(page)).to_have_count(1)
    page.reload()
    expect(page.locator(".conn")).to_have_attribute("data-state", "live")
    expect(alike(page)).to_have_count(1)
    expect(alike(page).first).to_contain_text(BUDGET[0])
    expect(alike(page).filter(has_text=REPLIES[0])).to_have_count(0)
    with server.app_context():
        assert db.session.get(Note, theme.notes[3]).merged_into_id is None


def test_suggested_headings_are_accepted_and_rejected_by_keyboard(server, new_page):
    theme = arrange(
        server,
        ["The training budget was cut again", *REPLIES],
        heading=("Training budget", "No money for courses"),
    )
    page = open_console(new_page, server, theme)
    choice = page.locator(".suggest__choice")
    fits = choice.filter(has_text="The training budget was cut again")
    expect(fits).to_have_count(1)
    expect(page.locator(".suggest__heading", has=fits)).to_contain_text("Training budget")
    fits.focus()
    page.keyboard.press("y")
    assert stored_when(server, theme.notes[0], lambda n: n.cluster_id).cluster_id == theme.cluster
    expect(fits).to_have_count(0)

    rejected = choice.filter(has_text=REPLIES[0])
    rejected.focus()
    page.keyboard.press("n")
    expect(rejected).to_have_count(0)
    accepted = choice.filter(has_text=REPLIES[1])
    expect(accepted).to_be_focused()
    page.keyboard.press("Enter")
    note = stored_when(server, theme.notes[2], lambda n: n.cluster_id)
    with server.app_context():
        assert note.cluster_id not in (None, theme.cluster)
        title = db.session.get(Cluster, note.cluster_id).title
        assert db.session.get(Note, theme.notes[1]).cluster_id is None, "rejected stays unsorted"
    expect(page.locator(".column__name", has_text=title)).to_be_visible()
    assert page.errors == []


def test_suggested_headings_are_accepted_and_rejected_with_the_mouse(server, new_page):
    theme = arrange(
        server,
        ["The training budget was cut again", *REPLIES],
        heading=("Training budget", "No money for courses"),
    )
    page = open_console(new_page, server, theme)
    choice = page.locator(".suggest__choice")
    fits = choice.filter(has_text="The training budget was cut again")
    expect(fits).to_have_count(1)
    expect(page.locator(".suggest__heading", has=fits)).to_contain_text("Training budget")
    fits.get_by_role("button", name=re.compile("^Accept")).click()
    expect(fits).to_have_count(0)
    expect(column(page, "Training budget")).to_contain_text("The training budget was cut again")
    assert stored_when(server, theme.notes[0], lambda n: n.cluster_id).cluster_id == theme.cluster

    rejected = choice.filter(has_text=REPLIES[0])
    expect(rejected).to_have_count(1)
    rejected.get_by_role("button", name=re.compile("^Reject")).click()
    expect(rejected).to_have_count(0)
    expect(choice.filter(has_text=REPLIES[1])).to_have_count(1)
    expect(page.locator(".console-message")).to_contain_text("Left where it is.")

    # A new note makes the console ask again; the rejected suggestion does not come back.
    phone = open_phone(new_page, server, theme)
    write(phone, "Courses need a line in the training budget")
    expect(choice.filter(has_text="Courses need a line")).to_have_count(1, timeout=5000)
    expect(rejected).to_have_count(0)
    expect(column(page, "Unsorted")).to_contain_text(REPLIES[0])
    with server.app_context():
        assert db.session.get(Note, theme.notes[1]).cluster_id is None, "rejected stays unsorted"
    assert page.errors == []


def test_the_wall_shows_keywords_readably_until_one_is_removed(server, new_page):
    theme = arrange(server, [*BUDGET, "Training budget is zero this year", *REPLIES])
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    words = wall.locator(".wall-keywords__word")
    expect(words.first).to_be_visible()
    assert "training budget" in words.all_text_contents()
    size = font_px(wall, ".wall-keywords__word")
    assert size >= 28, f"{size} px is too small for the back of the room"
    box = wall.locator(".wall-keywords").bounding_box()
    assert box["y"] + box["height"] <= 1080
    assert axe_violations(wall) == []
    wall.screenshot(path="/tmp/suggest-wall.png")

    page = open_console(new_page, server, theme)
    word = page.locator(".suggest__keyword", has_text="training budget")
    word.get_by_role("button", name=re.compile("^Remove")).click()
    expect(word).to_have_count(0)
    wall.reload()
    expect(words.first).to_be_visible()
    assert "training budget" not in words.all_text_contents()
    assert wall.errors == []


@pytest.mark.parametrize("size", ["phone", "projector"])
def test_suggestions_and_keywords_fit_a_phone_and_a_projector(server, new_page, size):
    theme = arrange(server, [*BUDGET, "Training budget is zero this year", *REPLIES])
    page = open_console(new_page, server, theme, size=size)
    expect(alike(page)).to_have_count(2)
    wall = new_page(size)
    wall.goto(f"{server.url}/wall/{theme.wall}")
    expect(wall.locator(".wall-keywords__word").first).to_be_visible()
    for shown, part in [(page, ".suggest"), (wall, ".wall-keywords")]:
        width = shown.evaluate("document.documentElement.clientWidth")
        box = shown.locator(part).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width + 1, f"{part} runs off a {size} screen"
    page.locator(".suggest").screenshot(path=f"/tmp/suggest-console-{size}.png")
    wall.screenshot(path=f"/tmp/suggest-wall-{size}.png", full_page=True)
