"""The plenary report-out wall and the organiser's overview page, over HTTP: who may open them,
what the plenary shows (never a hidden, pending or merged-away note), its QR code once a write-up
is published, and the paced view every screen works out the same way."""

from __future__ import annotations

from datetime import timedelta

from facilitate.models import Phase, Role, utcnow
from facilitate.services import clusters, moderation, plenary, votes, writeups
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_event, make_participant, make_theme, make_user, post


def arranged_event():
    organiser = make_user(Role.ORGANISER)
    event = make_event(organiser)
    trust = make_theme(event, "Trust", settings=ThemeSettings(approval_required=True))
    make_theme(event, "Tactics")
    make_theme(event, "Not yet", phase=Phase.DRAFT)
    clusters.add_cluster(trust, "Earning the public's trust")
    shown = post(trust, text="Avoid spin: be human")
    moderation.moderate_note(shown.id, trust, "approve")
    action = post(trust, text="Write a social media policy by March", kind="action")
    moderation.moderate_note(action.id, trust, "approve")
    hidden = post(trust, text="A rude remark nobody should see")
    moderation.moderate_note(hidden.id, trust, "approve")
    post(trust, text="Still waiting for the facilitator")
    duplicate = post(trust, text="Be human, not spin")
    moderation.moderate_note(duplicate.id, trust, "approve")
    voter = make_participant(trust)
    for note in (shown, hidden, duplicate):
        votes.toggle_vote(note.id, voter)
    moderation.moderate_note(hidden.id, trust, "hide")
    moderation.merge_note(duplicate.id, shown.id, trust)
    return organiser, event, trust


def test_the_plenary_shows_headings_voted_notes_and_actions_and_nothing_hidden(client):
    _, event, _ = arranged_event()
    page = client.get(f"/plenary/{event.plenary_token}").get_data(as_text=True)
    assert "Trust" in page
    assert "Tactics" in page
    assert "Not yet" not in page  # a theme that never started is left out
    assert "Earning the public&#39;s trust" in page
    assert "Avoid spin: be human" in page
    assert "Write a social media policy by March" in page
    for never in ("A rude remark", "Still waiting", "Be human, not spin"):
        assert never not in page
    slides = client.get(f"/plenary/{event.plenary_token}/slides")
    assert slides.headers["Cache-Control"] == "no-store"
    assert "A rude remark" not in slides.get_data(as_text=True)


def test_a_wrong_plenary_address_is_not_found(client):
    arranged_event()
    assert client.get("/plenary/not-the-token").status_code == 404
    assert client.get("/plenary/not-the-token/slides").status_code == 404


def test_the_report_qr_code_appears_once_a_write_up_is_published(client):
    organiser, event, trust = arranged_event()
    before = client.get(f"/plenary/{event.plenary_token}/slides").get_data(as_text=True)
    assert "<svg" not in before
    writeups.save_writeup(trust, "# Trust\n\nWe agreed to be human.", organiser)
    assert "<svg" not in client.get(f"/plenary/{event.plenary_token}/slides").get_data(as_text=True)
    writeups.publish_writeup(trust, organiser)
    after = client.get(f"/plenary/{event.plenary_token}/slides").get_data(as_text=True)
    assert "<svg" in after
    assert f"/r/{event.slug}" in after


def test_every_screen_works_out_the_same_theme_when_the_plenary_paces_itself(app):
    _, event, _ = arranged_event()
    view = plenary.steer(event, seconds=20)
    first, second = view["theme_ids"]
    start = utcnow()
    assert plenary.current_theme_id(view, start) == first
    assert plenary.current_theme_id(view, start + timedelta(seconds=21)) == second
    assert plenary.current_theme_id(view, start + timedelta(seconds=41)) == first
    view = plenary.steer(event, step=1)
    assert view["theme_id"] == second
    assert view["seconds"] == 20
    view = plenary.steer(event, step=1, seconds=0)
    assert view["theme_id"] == first
    assert view["seconds"] == 0


def test_only_the_events_organisers_open_the_overview(client, auth):
    organiser, event, trust = arranged_event()
    assert client.get(f"/events/{event.slug}/overview").status_code == 302  # to sign in
    facilitator = make_user(Role.FACILITATOR)
    auth.login(facilitator)
    assert client.get(f"/events/{event.slug}/overview").status_code == 403
    auth.logout()
    auth.login(organiser)
    event_page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"/events/{event.slug}/overview" in event_page
    page = client.get(f"/events/{event.slug}/overview").get_data(as_text=True)
    assert "Trust" in page
    assert "Tactics" in page
    assert "Not yet" in page
    assert f"/themes/{trust.id}/console" in page
    assert f"/wall/{trust.wall_token}" in page
    assert f"/plenary/{event.plenary_token}" in page
