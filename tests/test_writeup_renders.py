"""The largest write-up a facilitator may save never stalls the rooms: it is rendered in a worker
process the live loop only waits on, once, and every later reader is served what was rendered."""

from __future__ import annotations

import pytest
import requests

from facilitate.models import Role
from facilitate.services import events, moderation, writeups
from facilitate.writeups import rendering
from tests.conftest import csrf_from
from tests.support.bystander import assert_never_held, waits_during
from tests.support.factories import make_event, make_theme, make_user, post
from tests.support.phones import LiveClient
from tests.support.servers import signed_in, started_with_settings

#: Under the editor's limit, and the slowest text found to render (a second of CPU).
SLOWEST = "[" * (writeups.MAX_LENGTH - 1)


def _arrange(server) -> dict:
    with server.app_context():
        lead = make_user(Role.FACILITATOR, email="lead@example.org")
        event = make_event()
        theme = make_theme(event, facilitators=[lead])
        post(theme, text="Say who answers questions at night")
        return {"slug": event.slug, "theme_id": theme.id, "code": theme.join_code}


@pytest.mark.server
def test_a_bystander_is_never_held_while_the_largest_writeup_is_shown(live_server):
    theme = _arrange(live_server)
    lead = signed_in(live_server, "lead@example.org")
    editor = f"{live_server.url}/themes/{theme['theme_id']}/writeup"
    token = csrf_from(lead.get(editor, timeout=30).text)
    bystander = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    reader = requests.Session()
    steps = {
        "preview": lambda: lead.post(
            editor + "/preview", json={"body": SLOWEST}, headers={"X-CSRFToken": token}, timeout=60
        ),
        "save": lambda: lead.post(editor, data={"body": SLOWEST, "csrf_token": token}, timeout=60),
        "publish": lambda: lead.post(
            editor + "/publish", data={"show_citations": "y", "csrf_token": token}, timeout=60
        ),
        "public page": lambda: reader.get(
            f"{live_server.url}/r/{theme['slug']}/{theme['theme_id']}", timeout=60
        ),
        "event page": lambda: reader.get(f"{live_server.url}/r/{theme['slug']}", timeout=60),
    }
    waits = {}
    for step, action in steps.items():
        response, samples, seconds = waits_during(bystander, action)
        waits[step] = samples, seconds
        assert response.status_code == 200, (step, response.status_code, response.text[:300])
        if step == "preview":
            assert response.json()["ok"] is True
    bystander.disconnect()
    public = reader.get(f"{live_server.url}/r/{theme['slug']}/{theme['theme_id']}", timeout=60)
    assert public.text.count("[") >= len(SLOWEST)  # the reader sees the text as written
    assert_never_held(waits)


@pytest.mark.server
def test_a_render_that_takes_too_long_is_refused_with_a_message(tmp_path):
    server = started_with_settings(tmp_path / "server", "WRITEUP_RENDER_TIMEOUT_SECONDS = 0.05\n")
    try:
        theme = _arrange(server)
        lead = signed_in(server, "lead@example.org")
        editor = f"{server.url}/themes/{theme['theme_id']}/writeup"
        token = csrf_from(lead.get(editor, timeout=30).text)
        answer = lead.post(
            editor + "/preview", json={"body": SLOWEST}, headers={"X-CSRFToken": token}, timeout=30
        )
        assert answer.status_code == 503
        assert answer.json()["ok"] is False
        assert "took too long" in answer.json()["error"]["message"]
        quick = lead.post(
            editor + "/preview",
            json={"body": "# Trust\n\nSay who answers."},
            headers={"X-CSRFToken": token},
            timeout=30,
        )
        assert quick.json()["ok"] is True  # the next render has a worker again
        assert "<h1>Trust</h1>" in quick.json()["html"]
    finally:
        server.close()


def test_a_published_writeup_is_rendered_once_for_every_reader(app, client, monkeypatch):
    lead = make_user(Role.FACILITATOR, email="lead@example.org")
    event = make_event()
    theme = make_theme(event, facilitators=[lead])
    cited = post(theme, text="Say who answers questions at night")
    writeups.save_writeup(theme, f"# Night questions\n\nName a person [#{cited.id}].", lead)
    writeups.publish_writeup(theme, lead)
    calls = []
    real = rendering.render_now
    monkeypatch.setattr(rendering, "render_now", lambda job: calls.append(job) or real(job))
    pages = [client.get(f"/r/{event.slug}/{theme.id}") for _ in range(3)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert "Say who answers questions at night" in pages[-1].text  # the cited note
    assert len(calls) == 1
    client.get(f"/r/{event.slug}")
    assert len(calls) == 2  # the event page shows headings one level down: its own render


def test_a_public_page_shows_every_change_made_after_it_was_first_read(app, client):
    lead = make_user(Role.FACILITATOR, email="lead@example.org")
    event = make_event()
    theme = make_theme(event, facilitators=[lead])
    night = post(theme, text="Say who answers questions at night")
    plain = post(theme, text="Reply in plain words")
    body = f"# Night questions\n\nName a person [#{night.id}] and keep it plain [#{plain.id}]."
    writeups.save_writeup(theme, body, lead)
    writeups.publish_writeup(theme, lead)
    event_page, own_page = f"/r/{event.slug}", f"/r/{event.slug}/{theme.id}"
    assert "Say who answers questions at night" in client.get(own_page).text
    assert "Best by West Midlands launch" in client.get(event_page).text

    writeups.save_writeup(theme, body.replace("a person", "two people"), lead)
    writeups.publish_writeup(theme, lead)
    moderation.moderate_note(night.id, theme, "hide")
    events.update_event(event, "Launch, renamed", event.date, event.venue, event.time_zone)
    page = client.get(own_page).text
    assert "Name two people" in page
    assert "Say who answers questions at night" not in page  # hidden since: no longer cited
    assert "Reply in plain words" in page
    assert "Launch, renamed" in client.get(event_page).text

    writeups.unpublish_writeup(theme, lead)
    assert client.get(own_page).status_code == 404
    assert client.get(event_page).status_code == 404
