"""Organisers create, edit, reorder and delete events and themes, and add facilitators."""

from __future__ import annotations

import re

from facilitate.extensions import db
from facilitate.models import Event, Phase, Role, Theme
from facilitate.services import codes
from tests.conftest import Auth, csrf_from
from tests.support.factories import make_event, make_theme, make_user, post


def form_token(client, url: str) -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def create_event(
    client, title="Best by West Midlands launch", date="2026-11-23", venue="Sandwell Council House"
):
    token = form_token(client, "/events/new")
    return client.post(
        "/events/new", data={"csrf_token": token, "title": title, "date": date, "venue": venue}
    )


def add_theme(client, slug, title, **fields):
    token = form_token(client, f"/events/{slug}/themes/new")
    data = {
        "csrf_token": token,
        "title": title,
        "prompt": fields.pop("prompt", ""),
        "votes_per_participant": "5",
        "note_max_length": "500",
    }
    data.update(fields)
    return client.post(f"/events/{slug}/themes/new", data=data)


def test_organiser_creates_an_event_with_three_themes_and_sees_their_codes(
    organiser_client, facilitator
):
    response = create_event(organiser_client)
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert (event.slug, event.venue, str(event.date)) == (
        "best-by-west-midlands-launch",
        "Sandwell Council House",
        "2026-11-23",
    )
    for title in ("Tactics", "Training", "Trust"):
        assert (
            add_theme(
                organiser_client, event.slug, title, facilitators=str(facilitator.id)
            ).status_code
            == 302
        )
    page = organiser_client.get(f"/events/{event.slug}").get_data(as_text=True)
    themes = db.session.scalars(db.select(Theme).order_by(Theme.position)).all()
    assert [t.title for t in themes] == ["Tactics", "Training", "Trust"]
    for theme in themes:
        assert theme.join_code in page
        assert theme.phase is Phase.DRAFT
        assert (
            theme.votes_per_participant,
            theme.note_max_length,
            theme.names_required,
            theme.approval_required,
        ) == (5, 500, False, False)
        assert theme.facilitators == [facilitator]


def test_join_codes_are_unambiguous_and_wall_tokens_long(app):
    theme = make_theme()
    assert len(theme.join_code) >= 6
    assert not set(theme.join_code) & set("0O1IL")
    assert set(theme.join_code) <= set(codes.JOIN_ALPHABET)
    assert len(theme.wall_token) >= 22  # at least 128 bits in URL-safe base64


def test_theme_settings_are_validated_with_clear_messages(organiser_client, organiser):
    event = make_event(organiser)
    response = add_theme(
        organiser_client, event.slug, "Trust", votes_per_participant="99", note_max_length="5"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose from 0 to 50 votes." in page
    assert "Choose from 20 to 2,000 characters." in page
    assert db.session.scalar(db.select(db.func.count(Theme.id))) == 0


def test_edit_theme_changes_settings_and_facilitators(organiser_client, organiser, facilitator):
    event = make_event(organiser)
    theme = make_theme(event, facilitators=[facilitator])
    other = make_user(Role.FACILITATOR, name="Bea")
    url = f"/themes/{theme.id}/edit"
    response = organiser_client.post(
        url,
        data={
            "csrf_token": form_token(organiser_client, url),
            "title": "Trust and social media",
            "prompt": "How?",
            "facilitators": [str(other.id)],
            "names_required": "y",
            "votes_per_participant": "3",
            "note_max_length": "280",
        },
    )
    assert response.status_code == 302
    theme = db.session.get(Theme, theme.id)
    assert (
        theme.title,
        theme.names_required,
        theme.approval_required,
        theme.votes_per_participant,
        theme.note_max_length,
    ) == ("Trust and social media", True, False, 3, 280)
    assert theme.facilitators == [other]


def test_themes_reorder(organiser_client, organiser):
    event = make_event(organiser)
    _first, _second, third = (
        make_theme(event, title) for title in ("Tactics", "Training", "Trust")
    )
    token = form_token(organiser_client, f"/events/{event.slug}")
    organiser_client.post(f"/themes/{third.id}/move", data={"csrf_token": token, "direction": "up"})
    titles = [t.title for t in db.session.scalars(db.select(Theme).order_by(Theme.position))]
    assert titles == ["Tactics", "Trust", "Training"]


def test_deleting_a_theme_with_notes_asks_for_confirmation(organiser_client, organiser):
    event = make_event(organiser)
    theme = make_theme(event)
    post(theme)
    theme_id = theme.id
    url = f"/themes/{theme_id}/delete"
    page = organiser_client.get(url).get_data(as_text=True)
    assert "It holds 1 note" in page
    refused = organiser_client.post(url, data={"csrf_token": csrf_from(page)})
    assert refused.status_code == 400
    assert "Tick the box to confirm: 1 notes will be deleted." in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(Theme).where(Theme.id == theme_id)) is not None
    done = organiser_client.post(url, data={"csrf_token": csrf_from(page), "confirm": "y"})
    assert done.status_code == 302
    assert db.session.scalar(db.select(Theme).where(Theme.id == theme_id)) is None


def test_deleting_an_empty_event_needs_no_tick(organiser_client, organiser):
    event = make_event(organiser, title="Empty day")
    url = f"/events/{event.slug}/delete"
    response = organiser_client.post(url, data={"csrf_token": form_token(organiser_client, url)})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Event).where(Event.slug == "empty-day")) is None


def test_event_edit_keeps_the_address(organiser_client, organiser):
    event = make_event(organiser, title="Launch")
    url = f"/events/{event.slug}/edit"
    organiser_client.post(
        url,
        data={
            "csrf_token": form_token(organiser_client, url),
            "title": "Launch day",
            "date": "",
            "venue": "",
        },
    )
    event = db.session.get(Event, event.id)
    assert (event.title, event.slug, event.date, event.venue) == (
        "Launch day",
        "launch",
        None,
        None,
    )


def test_other_organisers_and_facilitators_cannot_open_an_event(
    app, client, organiser, facilitator
):
    event = make_event(organiser)
    stranger = make_user(Role.ORGANISER)
    Auth(client).login(stranger)
    assert client.get(f"/events/{event.slug}").status_code == 403
    other = app.test_client()
    Auth(other).login(facilitator)
    assert other.get(f"/events/{event.slug}").status_code == 403
    assert other.get("/events/new").status_code == 403
    assert app.test_client().get(f"/events/{event.slug}").status_code == 302  # to sign-in


def test_organiser_invites_a_facilitator_who_can_sign_in(app, organiser_client):
    url = "/people"
    response = organiser_client.post(
        url,
        data={
            "csrf_token": form_token(organiser_client, url),
            "name": "Andy Mabbett",
            "email": "andy@example.org",
            "role": "facilitator",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    password = re.search(r'<span class="secret" id="new-password">([^<]+)</span>', page).group(1)
    newcomer = app.test_client()
    token = csrf_from(newcomer.get("/login").get_data(as_text=True))
    assert (
        newcomer.post(
            "/login", data={"email": "andy@example.org", "password": password, "csrf_token": token}
        ).status_code
        == 302
    )
    assert "Themes you facilitate" in newcomer.get("/").get_data(as_text=True)


def test_facilitator_home_lists_the_themes_they_lead(app, client, facilitator):
    led = make_theme(facilitators=[facilitator], title="Trust")
    make_theme(title="Tactics")
    Auth(client).login(facilitator)
    page = client.get("/").get_data(as_text=True)
    assert "Trust" in page
    assert led.join_code in page
    assert "Tactics" not in page


def test_before_exporting_the_organiser_sees_drafts_missing_write_ups_and_empty_themes(
    organiser_client, organiser
):
    from facilitate.services import writeups

    event = make_event(organiser)
    published = make_theme(event, title="Tactics")
    post(published)
    writeups.save_writeup(published, "We agreed on three things.", organiser)
    writeups.publish_writeup(published, organiser)
    drafted = make_theme(event, title="Trust")
    post(drafted)
    writeups.save_writeup(drafted, "A first go at the write-up.", organiser)
    unwritten = make_theme(event, title="Tools")
    post(unwritten)
    make_theme(event, title="Training")
    page = organiser_client.get(f"/events/{event.slug}").get_data(as_text=True)
    check = page[page.index("Before you send it") :]
    assert "Still a draft:</strong> Trust." in check
    assert "No write-up yet:</strong> Tools." in check
    assert "No notes were posted:</strong> Training." in check
    assert "Tactics" not in check[: check.index("</div>")]
