"""An organiser brings in another laptop's bundle from the event page, at projector and phone size."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import Note, Phase, Role, User
from facilitate.services import events
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_theme, make_user
from tests.test_bundles import TACTICS, run_theme


def notes_on(server, slug: str) -> int:
    with server.app_context():
        event = events.find_by_slug(slug)
        ids = [theme.id for theme in event.themes]
        return db.session.scalar(select(func.count(Note.id)).where(Note.theme_id.in_(ids)))


@pytest.mark.parametrize("size", ["projector", "phone"])
def test_an_organiser_uploads_a_bundle_sees_what_it_adds_then_merges_it(
    server, new_page, laptops, tmp_path, size
):
    title = f"Bundle day {size}"
    with server.app_context():
        organiser = make_user(Role.ORGANISER, email=f"olive-{size}@example.org", name="Olive")
        slug = events.create_event(organiser, title).slug
    a = laptops("a")
    with a.context():
        olu = db.session.scalar(select(User).where(User.email == "olu@example.org"))
        make_theme(events.create_event(olu, title), "Tactics", [], Phase.OPEN)
    run_theme(a, "Tactics", TACTICS, "Online", slug)
    export_path = tmp_path / "laptop-a.bundle"
    result = a.cli("bundle", "export", slug, "--output", export_path)
    assert result.exit_code == 0, result.output
    (tmp_path / "notes.txt").write_text("not a bundle")

    page = new_page(size)
    sign_in(page, server.url, f"olive-{size}@example.org", PASSWORD)
    page.goto(f"{server.url}/events/{slug}")
    page.get_by_role("link", name="Bring in a bundle").click()
    expect(page.get_by_role("heading", name="Bring in a bundle")).to_be_visible()

    page.get_by_label("Bundle file").set_input_files(str(tmp_path / "notes.txt"))
    page.get_by_role("button", name="Check the bundle").click()
    expect(page.get_by_role("alert")).to_contain_text("This is not a Facilitate bundle")
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"bundle-refused-{size}.png"), full_page=True)

    page.get_by_label("Bundle file").set_input_files(str(export_path))
    page.get_by_role("button", name="Check the bundle").click()
    expect(page.get_by_role("heading", name="Merge this bundle?")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Tactics")
    expect(row).to_contain_text("5")
    expect(row).to_contain_text("new theme")
    assert notes_on(server, slug) == 0  # nothing is merged before the organiser says so
    assert axe_violations(page) == []
    button = page.get_by_role("button", name=f"Merge into {title}")
    assert button.bounding_box()["height"] >= 44
    page.screenshot(path=str(tmp_path / f"bundle-preview-{size}.png"), full_page=True)

    button.click()
    expect(page.get_by_role("status").filter(has_text="The bundle is merged")).to_contain_text(
        "5 new notes"
    )
    expect(page.get_by_role("row").filter(has_text="Tactics")).to_be_visible()
    assert notes_on(server, slug) == 5
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"bundle-merged-{size}.png"), full_page=True)
    # The refused file's page answers 400, as every form with a problem does; nothing else failed.
    assert [e for e in page.errors if "status of 400" not in e] == []


def test_an_organiser_brings_in_a_whole_event_from_a_laptop(server, new_page, laptops, tmp_path):
    with server.app_context():
        make_user(Role.ORGANISER, email="oscar@example.org", name="Oscar")
    a = laptops("a")
    with a.context():
        olu = db.session.scalar(select(User).where(User.email == "olu@example.org"))
        make_theme(events.create_event(olu, "Offline day"), "Tactics", [], Phase.OPEN)
    run_theme(a, "Tactics", TACTICS, "Online", "offline-day")
    export_path = tmp_path / "offline.bundle"
    assert a.cli("bundle", "export", "offline-day", "--output", export_path).exit_code == 0

    page = new_page("projector")
    sign_in(page, server.url, "oscar@example.org", PASSWORD)
    page.get_by_role("link", name="Bring in an event from a bundle").click()
    expect(page.get_by_role("heading", name="Bring in an event from a bundle")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Bundle file").set_input_files(str(export_path))
    page.get_by_role("button", name="Check the bundle").click()
    expect(page.get_by_text("it will be created")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Bring in Offline day").click()
    expect(page.get_by_text("Offline day is brought in")).to_be_visible()
    expect(page.get_by_role("heading", name="Offline day")).to_be_visible()
    assert notes_on(server, "offline-day") == len(TACTICS)
