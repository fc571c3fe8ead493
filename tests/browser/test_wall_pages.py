"""The wall's page layout (static/js/wall-pages.js), run in Chromium as the wall runs it: every
note lands on exactly one page, in order, whole, and the round takes about a minute."""

from __future__ import annotations

import random

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

LAY_OUT = """async ([sections, geometry]) => {
  const pages = await import("/static/js/wall-pages.js");
  return pages.layOut(sections, geometry);
}"""


@pytest.fixture
def page(server, new_page):
    page = new_page("projector")
    page.goto(server.url + "/join")
    return page


def column_height(column, geometry, heights):
    used = 0
    for part in column:
        used += (geometry["gap"] if used else 0) + geometry["headingHeight"]
        for note in part["ids"]:
            used += geometry["gap"] + heights[note]
    return used


def test_every_note_lands_once_in_order_and_whole(page):
    rng = random.Random(20261202)
    geometry = {"columns": 4, "height": 860, "headingHeight": 52, "gap": 12}
    for _ in range(20):
        heights, sections, order = {}, [], []
        for s in range(rng.randint(1, 6)):
            items = []
            for _ in range(rng.randint(0, 40)):
                note = len(heights) + 1
                heights[note] = rng.choice([80, 118, 156, 194, 232, 400])
                items.append({"id": note, "height": heights[note]})
                order.append(note)
            sections.append({"key": f"c{s}", "title": f"Heading {s}", "items": items})
        pages = page.evaluate(LAY_OUT, [sections, geometry])
        placed = [n for p in pages for column in p for part in column for n in part["ids"]]
        assert placed == order  # each note once, in the heading's order
        for p in pages:
            assert 1 <= len(p) <= geometry["columns"]
            for column in p:
                # A column holds what fits whole (a single note taller than a column stands alone).
                notes = [n for part in column for n in part["ids"]]
                assert column_height(column, geometry, heights) <= geometry["height"] or (
                    len(notes) == 1
                )


def test_a_heading_that_runs_on_is_repeated_as_continued(page):
    geometry = {"columns": 2, "height": 500, "headingHeight": 50, "gap": 10}
    items = [{"id": n, "height": 100} for n in range(1, 10)]
    pages = page.evaluate(LAY_OUT, [[{"key": "c1", "title": "Trust", "items": items}], geometry])
    parts = [part for p in pages for column in p for part in column]
    assert [part["continued"] for part in parts] == [False, True, True]
    assert [len(part["ids"]) for part in parts] == [4, 4, 1]
    assert len(pages) == 2


def test_the_round_of_pages_takes_about_a_minute(page):
    dwell = page.evaluate(
        """async () => {
          const pages = await import("/static/js/wall-pages.js");
          return [1, 2, 6, 9, 20].map((n) => pages.dwellFor(n));
        }"""
    )
    assert dwell[0] == 0  # one page: nothing moves
    assert all(6000 <= d <= 15000 for d in dwell[1:])
    assert 6 * dwell[2] <= 60_000
    assert 9 * dwell[3] <= 60_000
