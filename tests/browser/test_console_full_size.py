"""The console with a real break-out's worth of notes, at a laptop's width: headings side by side,
each column scrolling on its own, the queue in reach, a filter, and a keyboard path on which the
focus always lands on a note."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Note, Role, Theme
from facilitate.services import clusters, themes
from facilitate.services.themes import ThemeSettings
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_participant, make_theme, make_user, post
from tests.support.phones import LiveClient

pytestmark = [pytest.mark.browser, pytest.mark.server]

HEADINGS = ("Timing and format", "Working together", "Trust", "Tools")
KINDS = ("idea", "question", "action", "quote")


def arrange(server, visible: int, pending: int = 0) -> SimpleNamespace:
    """``visible`` notes, half of them under four headings, and ``pending`` awaiting approval."""
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(facilitators=[lead])
        headings = [clusters.add_cluster(theme, title).id for title in HEADINGS] if visible else []
        people = [make_participant(theme) for _ in range(30)]
        for n in range(visible):
            note = post(
                theme,
                people[n % 30],
                text=f"Note {n}: answer residents within a day, in plain words",
                kind=KINDS[n % 4],
            )
            if n < visible // 2:
                clusters.move_note(note.id, db.session.get(Theme, theme.id), headings[n % 4])
        if pending:
            theme = db.session.get(Theme, theme.id)
            themes.update_settings(theme, ThemeSettings(approval_required=True))
            for n in range(pending):
                post(theme, people[n], text=f"Waiting {n}: can we see this before it goes up?")
        return SimpleNamespace(id=theme.id, wall=theme.wall_token, lead=lead.email)


def open_console(new_page, server, theme):
    page = new_page("laptop")
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, server.url, theme.lead, PASSWORD)
    page.goto(f"{server.url}/themes/{theme.id}/console")
    expect(page.locator(".conn")).to_have_attribute("data-state", "live")
    expect(page.locator(".console-body")).to_be_visible()
    return page


def column_of(page, note_id: str) -> str:
    """The heading (or "none" for Unsorted) whose column holds the note."""
    return page.locator(f"[data-note='{note_id}']").evaluate(
        "n => n.closest('.column__notes').dataset.cluster"
    )


def focused_note(page) -> str | None:
    return page.evaluate(
        "() => { const c = document.activeElement; return c && c.dataset ? c.dataset.note || null : null; }"
    )


def test_a_full_board_has_columns_side_by_side_that_scroll_on_their_own(server, new_page, tmp_path):
    theme = arrange(server, visible=120, pending=2)
    page = open_console(new_page, server, theme)
    expect(page.locator(".column__notes > [data-note]")).to_have_count(120)
    boxes = [page.locator(".column").nth(i).bounding_box() for i in range(5)]
    on_screen = [b for b in boxes if b["x"] >= 0 and b["x"] + b["width"] <= 1440]
    assert len(on_screen) >= 3, boxes
    assert len({round(b["y"]) for b in on_screen}) == 1, "side by side, not stacked"
    # The page stays about a screen tall: the columns scroll, not the page.
    assert page.evaluate("document.documentElement.scrollHeight") < 1400
    unsorted = page.locator(".column[data-cluster='none'] .column__notes")
    assert unsorted.evaluate("list => list.scrollHeight > list.clientHeight + 100")
    expect(page.locator(".pending-list > [data-note]")).to_have_count(2)
    assert page.locator(".pending-list").bounding_box()["y"] < 900
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / "console-120.png"))

    # At 1280 px too, three headings at least stand side by side.
    page.set_viewport_size({"width": 1280, "height": 800})
    boxes = [page.locator(".column").nth(i).bounding_box() for i in range(5)]
    on_screen = [b for b in boxes if b["x"] >= 0 and b["x"] + b["width"] <= 1280]
    assert len(on_screen) >= 3, boxes
    assert len({round(b["y"]) for b in on_screen}) == 1, "side by side at 1280 px"
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_label("Filter", exact=True).fill("Note 7")
    expect(page.locator(".filter-count")).to_have_text("Showing 11 of 122 notes")
    page.get_by_label("Kind of note").select_option("question")
    expect(page.locator(".column__notes > [data-note]:not([hidden])")).to_have_count(2)
    page.get_by_role("button", name="Clear").click()
    expect(page.locator(".column__notes > [data-note]:not([hidden])")).to_have_count(120)


@pytest.mark.parametrize("count", [0, 25])
def test_the_console_at_few_notes_passes_axe(server, new_page, tmp_path, count):
    theme = arrange(server, visible=count)
    page = open_console(new_page, server, theme)
    expect(page.locator(".column__notes > [data-note]")).to_have_count(count)
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"console-{count}.png"))


def test_keyboard_only_every_action_leaves_the_focus_on_a_note_and_the_wall_follows(
    server, new_page
):
    theme = arrange(server, visible=120, pending=2)
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    expect(wall.locator(".wall__count")).to_have_text("120 notes")
    page = open_console(new_page, server, theme)
    expect(page.locator(".column__notes > [data-note]")).to_have_count(120)

    for _ in range(80):  # reach a note with Tab alone
        page.keyboard.press("Tab")
        if focused_note(page):
            break
    first = focused_note(page)
    assert first, "Tab reaches a note"
    assert page.locator(f".pending-list > [data-note='{first}']").count() == 1

    page.keyboard.press("a")  # approve: the next note in the queue takes the focus
    expect(page.locator(".pending-list > [data-note]")).to_have_count(1)
    second = focused_note(page)
    assert second
    assert second != first
    page.keyboard.press("a")  # the queue empties: the focus goes to the board
    expect(page.locator(".pending-list > [data-note]")).to_have_count(0)
    on_board = focused_note(page)
    assert on_board
    assert page.locator(f".column__notes > [data-note='{on_board}']").count() == 1
    expect(wall.locator(".wall__count")).to_have_text("122 notes")

    column = column_of(page, on_board)
    page.keyboard.press("h")  # hide: the next note of the same column has the focus
    expect(page.locator(".hidden-list > [data-note]")).to_have_count(1)
    after_hide = focused_note(page)
    assert after_hide
    assert after_hide != on_board
    assert column_of(page, after_hide) == column
    expect(wall.locator(".wall__count")).to_have_text("121 notes")

    page.keyboard.press("m")  # merge into the note below it
    page.keyboard.press("ArrowDown")
    into = focused_note(page)
    page.keyboard.press("Enter")
    expect(page.locator(f"[data-note='{into}'] .card-note__people")).to_contain_text("2 people")
    merged_away = after_hide
    expect(page.locator(f".column__notes > [data-note='{merged_away}']")).to_have_count(0)
    assert focused_note(page), "after a merge the focus is on a note"
    expect(wall.locator(".wall__count")).to_have_text("120 notes")

    moving = focused_note(page)
    page.keyboard.press("2")  # under heading 2
    expect(
        page.locator(
            f".column__notes[data-cluster]:not([data-cluster='none']) > [data-note='{moving}']"
        )
    ).to_have_count(1)
    assert focused_note(page), "after a move the focus is on a note"
    with server.app_context():
        moved = db.session.get(Note, int(moving))
        heading = list(clusters.clusters_of(db.session.get(Theme, theme.id)))[1]
        assert moved.cluster_id == heading.id
        moved_text, under = moved.text, heading.title
    # The wall follows: shown that heading alone, it counts and shows the note that moved there.
    page.locator("#wall-heading").select_option(label=under)
    page.get_by_role("button", name="Show it").click()
    expect(wall.locator(".wall-col__title").first).to_have_text(under)
    expect(wall.locator(".wall-col__count").first).to_have_text(" (16)")
    expect(wall.locator(f"[data-note='{moving}']")).to_contain_text(moved_text)
    assert page.errors == []
    assert wall.errors == []


def test_a_note_arriving_leaves_each_column_and_the_board_where_the_facilitator_was_reading(
    server, new_page
):
    theme = arrange(server, visible=120)
    with server.app_context():
        code = db.session.get(Theme, theme.id).join_code
    page = open_console(new_page, server, theme)
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".column__notes > [data-note]")).to_have_count(120)
    unsorted = page.locator(".column__notes[data-cluster='none']")
    unsorted.evaluate("list => { list.scrollTop = 900; }")
    board = page.locator(".board")
    board.evaluate("board => { board.scrollLeft = board.scrollWidth; }")
    assert unsorted.evaluate("l => l.scrollTop") > 500, "the unsorted column scrolls on its own"
    scrolled_right = board.evaluate("b => b.scrollLeft")
    assert scrolled_right > 100, "the board is wider than the laptop"
    # The card at the top of what the facilitator sees in Unsorted, and where it stands.
    reading = unsorted.evaluate(
        """list => {
          const top = list.getBoundingClientRect().top;
          const card = [...list.querySelectorAll('[data-note]')]
            .find(c => c.getBoundingClientRect().top >= top);
          return card.dataset.note;
        }"""
    )
    where = page.locator(f"[data-note='{reading}']").bounding_box()["y"]

    phone = LiveClient(server.url, {"code": code}).connect()
    try:
        assert phone.post("Arrived while the facilitator was reading")["ok"]
    finally:
        phone.disconnect()
    expect(page.locator(".column__notes > [data-note]")).to_have_count(121)
    expect(unsorted).to_contain_text("Arrived while the facilitator was reading")
    page.wait_for_timeout(100)  # one more frame for any late layout
    assert abs(page.locator(f"[data-note='{reading}']").bounding_box()["y"] - where) < 2
    assert board.evaluate("b => b.scrollLeft") == scrolled_right
    assert page.errors == []
