"""The event page takes a bundle from another laptop: upload, see what it adds, then confirm."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from facilitate.bundles import fileformat
from facilitate.extensions import db
from facilitate.models import Note, Phase, User
from facilitate.services import events
from tests.conftest import csrf_from
from tests.support.factories import make_event, make_theme
from tests.test_bundles import SLUG, TACTICS, export, run_theme


def other_laptop_bundle(laptops, tmp_path) -> bytes:
    """A bundle of the event from another laptop, where Tactics ran."""
    a = laptops("a")
    with a.context():
        olu = db.session.scalar(select(User).where(User.email == "olu@example.org"))
        event = events.create_event(olu, "Best by West Midlands launch")
        make_theme(event, "Tactics", [], Phase.OPEN)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "a.bundle")
    return (tmp_path / "a.bundle").read_bytes()


def notes_here() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(Note.id)))


def upload(client, data: bytes, name: str = "a.bundle", slug: str = SLUG):
    page = client.get(f"/events/{slug}/bundles")
    token = csrf_from(page.get_data(as_text=True))
    builder = EnvironBuilder(
        path=f"/events/{slug}/bundles",
        method="POST",
        data={"csrf_token": token, "bundle": (io.BytesIO(data), name)},
    )
    request = builder.get_request()
    try:
        return client.open(request)
    finally:  # a large body is spooled to a temporary file, which a refused upload never reads
        request.environ["wsgi.input"].close()
        builder.close()


def confirm(client, preview_html: str, slug: str = SLUG):
    name = re.search(r'name="upload" type="hidden" value="([^"]+)"', preview_html).group(1)
    return client.post(
        f"/events/{slug}/bundles/confirm",
        data={"csrf_token": csrf_from(preview_html), "upload": name},
        follow_redirects=True,
    )


def test_an_organiser_previews_then_merges_a_bundle_and_a_second_time_adds_nothing(
    organiser_client,
    organiser,
    laptops,
    tmp_path,
):
    make_event(organiser)
    data = other_laptop_bundle(laptops, tmp_path)
    event_page = organiser_client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert f'href="/events/{SLUG}/bundles"' in event_page

    preview = upload(organiser_client, data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Merge this bundle?" in html
    assert re.search(r'data-label="New notes" class="numeric">5<', html)
    assert notes_here() == 0  # nothing changes before the organiser confirms

    merged = confirm(organiser_client, html)
    assert "The bundle is merged: 5 new notes in 1 theme." in merged.get_data(as_text=True)
    assert notes_here() == 5

    again = upload(organiser_client, data).get_data(as_text=True)
    assert re.search(r'data-label="New notes" class="numeric">0<', again)
    assert re.search(r'data-label="Already here" class="numeric">5<', again)
    confirm(organiser_client, again)
    assert notes_here() == 5


def test_bad_uploads_get_a_clear_message_and_change_nothing(
    organiser_client,
    organiser,
    laptops,
    tmp_path,
):
    make_event(organiser)
    data = other_laptop_bundle(laptops, tmp_path)
    cases = {
        "not a Facilitate bundle": b"just some text",
        "damaged or cut short": data[: len(data) // 2],
        "made by a newer Facilitate": None,
    }
    from tests.test_bundles import write_newer

    write_newer(tmp_path / "newer.bundle")
    cases["made by a newer Facilitate"] = (tmp_path / "newer.bundle").read_bytes()
    for message, body in cases.items():
        response = upload(organiser_client, body)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    empty = organiser_client.post(
        f"/events/{SLUG}/bundles",
        data={
            "csrf_token": csrf_from(
                organiser_client.get(f"/events/{SLUG}/bundles").get_data(as_text=True)
            )
        },
        content_type="multipart/form-data",
    )
    assert "Choose the bundle file to upload." in empty.get_data(as_text=True)
    huge = upload(organiser_client, b"\x1f\x8b" + b"0" * (21 * 1024 * 1024))
    assert huge.status_code == 413
    assert "larger than 20 MB" in huge.get_data(as_text=True)
    gone = organiser_client.post(
        f"/events/{SLUG}/bundles/confirm",
        data={
            "csrf_token": csrf_from(organiser_client.get(f"/events/{SLUG}").get_data(as_text=True)),
            "upload": "x" * 22,
        },
        follow_redirects=True,
    )
    assert "That upload is no longer here" in gone.get_data(as_text=True)
    assert notes_here() == 0


def test_a_bundle_of_another_event_is_refused_on_this_event_page(
    organiser_client,
    organiser,
    laptops,
    tmp_path,
):
    other = make_event(organiser, title="Autumn meet-up")
    data = other_laptop_bundle(laptops, tmp_path)
    response = upload(organiser_client, data, slug=other.slug)
    assert response.status_code == 400
    assert "This bundle is of another event" in response.get_data(as_text=True)
    assert notes_here() == 0


def test_the_upload_needs_the_form_token_and_an_organiser_of_the_event(
    client,
    auth,
    organiser,
    facilitator,
    laptops,
    tmp_path,
):
    make_event(organiser)
    data = other_laptop_bundle(laptops, tmp_path)
    auth.login(organiser)
    forged = client.post(
        f"/events/{SLUG}/bundles",
        data={"bundle": (io.BytesIO(data), "a.bundle")},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 400
    assert "Merge this bundle?" not in forged.get_data(as_text=True)
    auth.logout()
    auth.login(facilitator)
    assert client.get(f"/events/{SLUG}/bundles").status_code == 403
    assert client.get(f"/events/{SLUG}/bundle").status_code == 403
    assert notes_here() == 0


def test_the_event_page_downloads_this_machines_bundle(organiser_client, organiser):
    event = make_event(organiser)
    make_theme(event, "Trust")
    response = organiser_client.get(f"/events/{SLUG}/bundle")
    assert response.status_code == 200
    assert f'filename="{SLUG}.bundle"' in response.headers["Content-Disposition"]
    content = fileformat.unpack(response.data)
    assert [theme["title"] for theme in content["themes"]] == ["Trust"]


def test_an_organiser_brings_in_an_event_this_machine_does_not_have(
    laptops, tmp_path, app, client, auth
):
    from facilitate.models import Event, Role
    from tests.support.factories import make_user

    data = other_laptop_bundle(laptops, tmp_path)
    oscar = make_user(Role.ORGANISER, email="oscar@example.org", name="Oscar Server")
    auth.login(oscar)
    assert "Bring in an event from a bundle" in client.get("/").get_data(as_text=True)
    page = client.get("/bundles")
    builder = EnvironBuilder(
        path="/bundles",
        method="POST",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "bundle": (io.BytesIO(data), "a.bundle"),
        },
    )
    preview = client.open(builder.get_request())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "an event this machine does not have yet: it will be created" in html
    assert notes_here() == 0  # nothing yet
    name = re.search(r'name="upload" type="hidden" value="([^"]+)"', html).group(1)
    done = client.post(
        "/bundles/confirm",
        data={"csrf_token": csrf_from(html), "upload": name},
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert "Best by West Midlands launch is brought in" in done.get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.slug == SLUG))
    assert oscar in event.organisers
    assert notes_here() == len(TACTICS)

    again = client.open(
        EnvironBuilder(
            path="/bundles",
            method="POST",
            data={
                "csrf_token": csrf_from(client.get("/bundles").get_data(as_text=True)),
                "bundle": (io.BytesIO(data), "a.bundle"),
            },
        ).get_request()
    )
    assert again.status_code == 400
    assert "is already on this machine" in again.get_data(as_text=True)
