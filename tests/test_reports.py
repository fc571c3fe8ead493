"""The public pages of published write-ups, and the report section of the organiser's event page."""

from __future__ import annotations

import pytest

from facilitate.services import writeups
from tests.test_exports_corpus import build_launch


@pytest.fixture
def launch(app):
    return build_launch()


def test_a_published_write_up_has_a_public_page_with_its_cited_notes(launch, client):
    page = client.get(f"/r/{launch.event.slug}/{launch.tactics.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tactics, written up" in html
    assert "· published " in html
    assert "UNPUBLISHED-EDIT" not in html  # edits after publishing wait for the next publish
    assert '<sup class="cite">' in html
    assert "Notes cited" in html
    assert "Post in the evenings when residents are online" in html
    assert "HIDDEN-SECRET" not in html  # cited, but hidden: the citation simply disappears
    assert "<script" not in html


def test_drafts_are_not_found_by_readers_but_shown_to_their_leaders(launch, client, auth):
    assert client.get(f"/r/{launch.event.slug}/{launch.trust.id}").status_code == 404
    assert client.get(f"/r/{launch.event.slug}/{launch.training.id}").status_code == 404
    assert client.get(f"/r/{launch.event.slug}/999").status_code == 404
    assert client.get(f"/r/no-such-event/{launch.trust.id}").status_code == 404
    auth.login(launch.facilitator)
    draft = client.get(f"/r/{launch.event.slug}/{launch.trust.id}")
    assert draft.status_code == 200
    assert "DRAFT" in draft.get_data(as_text=True)
    assert "Trust, a draft" in draft.get_data(as_text=True)


def test_the_event_report_page_lists_published_write_ups_and_figures(launch, client, auth):
    html = client.get(f"/r/{launch.event.slug}").get_data(as_text=True)
    assert "Tactics, written up" in html
    assert "Trust, a draft" not in html
    assert "At a glance" in html
    assert "<svg" in html
    writeups.unpublish_writeup(launch.tactics, launch.organiser)
    assert client.get(f"/r/{launch.event.slug}").status_code == 404
    auth.login(launch.organiser)
    notice = client.get(f"/r/{launch.event.slug}").get_data(as_text=True)
    assert "Nothing is published yet" in notice


def test_a_write_up_can_hide_its_citations(launch, client):
    writeups.publish_writeup(launch.tactics, launch.organiser, show_citations=False)
    html = client.get(f"/r/{launch.event.slug}/{launch.tactics.id}").get_data(as_text=True)
    assert '<sup class="cite">' not in html
    assert "Notes cited" not in html
    assert "[#" not in html


def test_the_event_page_offers_the_six_downloads_and_write_up_states(launch, client, auth):
    auth.login(launch.organiser)
    html = client.get(f"/events/{launch.event.slug}").get_data(as_text=True)
    assert f'action="/events/{launch.event.slug}/exports"' in html
    for fmt in ("md", "html", "pdf", "docx", "csv", "json"):
        assert f'name="format" value="{fmt}"' in html
    assert "Download report" in html
    assert "Public report page" in html
    assert f"/themes/{launch.trust.id}/writeup" in html
    assert html.count("tag--published") == 1
    assert "not started" in html
