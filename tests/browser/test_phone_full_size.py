"""The phone with a real break-out's worth of notes, and a note on its way when the timer closes the
theme."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Note, Role, Theme, utcnow
from facilitate.services import phases
from tests.support.browsers import axe_violations
from tests.support.factories import make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]

KINDS = ("idea", "question", "action", "quote")


def arrange(server, count: int):
    with server.app_context():
        theme = make_theme(facilitators=[make_user(Role.FACILITATOR)])
        people = [make_participant(theme, f"Person {n}" if n % 3 else None) for n in range(30)]
        for n in range(count):
            post(
                theme,
                people[n % 30],
                text=f"Note {n}: plain words for residents",
                kind=KINDS[n % 4],
            )
        return theme.id, theme.join_code


@pytest.mark.parametrize("count", [0, 25, 120])
def test_the_phone_reads_well_and_passes_axe_at_0_25_and_120_notes(
    server, new_page, tmp_path, count
):
    _, code = arrange(server, count)
    page = new_page("phone")
    page.goto(f"{server.url}/j/{code}")
    expect(page.locator(".conn")).to_have_text("Live")
    expect(page.locator(".notes .note")).to_have_count(count)
    expect(page.locator(".notes-count")).to_have_text(f"({count})")
    assert axe_violations(page) == []
    # Nothing makes a 360 px phone scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / f"phone-{count}.png"), full_page=count < 120)
    if count:
        # At 390 px too (a common phone), the Sort label and its choice share one line.
        page.set_viewport_size({"width": 390, "height": 844})
        label = page.locator(".sort label").bounding_box()
        choice = page.get_by_label("Sort").bounding_box()
        assert abs(label["y"] + label["height"] / 2 - (choice["y"] + choice["height"] / 2)) < 8
        assert label["x"] + label["width"] <= choice["x"]
        assert choice["x"] + choice["width"] <= 390
    assert page.errors == []


def test_a_note_held_offline_when_the_timer_closes_is_stored_within_the_grace(server, new_page):
    theme_id, code = arrange(server, 3)
    with server.app_context():
        phases.start_timer(db.session.get(Theme, theme_id), 600)
    page = new_page("phone")
    page.goto(f"{server.url}/j/{code}")
    expect(page.locator(".conn")).to_have_text("Live")
    page.context.set_offline(True)
    page.get_by_label("Your note", exact=True).fill("Written just before the end")
    page.get_by_role("button", name="Post note").click()
    expect(page.locator(".note--outbox")).to_have_count(1)
    with server.app_context():
        theme = db.session.get(Theme, theme_id)
        theme.timer_ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert [t.id for t in phases.close_expired_timers()] == [theme_id]
    page.context.set_offline(False)
    expect(page.locator(".note--outbox")).to_have_count(0, timeout=20_000)
    expect(page.locator(".note--mine .note__text")).to_have_text("Written just before the end")
    with server.app_context():
        texts = db.session.scalars(db.select(Note.text).where(Note.theme_id == theme_id)).all()
    assert texts.count("Written just before the end") == 1
