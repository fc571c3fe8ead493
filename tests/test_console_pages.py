"""The console's pages and its no-JavaScript switches."""

from __future__ import annotations

from facilitate.extensions import db
from facilitate.models import Phase, Role, Theme
from tests.conftest import Auth, csrf_from
from tests.support.factories import make_event, make_theme, make_user


def test_the_console_is_for_the_themes_leaders(app, client, facilitator):
    theme = make_theme(facilitators=[facilitator])
    assert client.get(f"/themes/{theme.id}/console").status_code == 302  # sign in first
    Auth(client).login(make_user(Role.FACILITATOR))
    assert client.get(f"/themes/{theme.id}/console").status_code == 403
    lead = app.test_client()
    Auth(lead).login(facilitator)
    page = lead.get(f"/themes/{theme.id}/console")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert theme.join_code in html
    assert f"/wall/{theme.wall_token}" in html
    assert lead.get("/themes/99999/console").status_code == 404


def test_open_and_close_without_javascript(app, client, facilitator):
    theme = make_theme(facilitators=[facilitator], phase=Phase.DRAFT)
    Auth(client).login(facilitator)
    token = csrf_from(client.get(f"/themes/{theme.id}/console").get_data(as_text=True))
    opened = client.post(f"/themes/{theme.id}/phase", data={"csrf_token": token, "phase": "open"})
    assert opened.status_code == 302
    assert db.session.get(Theme, theme.id).phase is Phase.OPEN
    assert "is now open" in client.get(opened.headers["Location"]).get_data(as_text=True)
    client.post(f"/themes/{theme.id}/phase", data={"csrf_token": token, "phase": "closed"})
    assert db.session.get(Theme, theme.id).phase is Phase.CLOSED
    refused = client.post(
        f"/themes/{theme.id}/phase",
        data={"csrf_token": token, "phase": "draft"},
        follow_redirects=True,
    )
    assert "cannot go back to “not started”" in refused.get_data(as_text=True)


def test_a_theme_not_yet_open_is_not_started_everywhere_and_draft_is_for_write_ups(
    app, client, facilitator, organiser
):
    event = make_event(organiser, "Best by West Midlands launch")
    theme = make_theme(event, "Trust", [facilitator], phase=Phase.DRAFT)
    Auth(client).login(facilitator)
    pages = {
        "console": client.get(f"/themes/{theme.id}/console").get_data(as_text=True),
        "home": client.get("/").get_data(as_text=True),
        "wall": client.get(f"/wall/{theme.wall_token}").get_data(as_text=True),
    }
    boss = app.test_client()
    Auth(boss).login(organiser)
    pages["event"] = boss.get(f"/events/{theme.event.slug}").get_data(as_text=True)
    for name, html in pages.items():
        assert "not started" in html.lower(), name
        assert 'tag--draft">draft<' not in html, name
        assert "⏱" not in html, name  # an empty box where no emoji font is installed


def test_the_timer_is_drawn_not_an_emoji(client, facilitator):
    theme = make_theme(facilitators=[facilitator], phase=Phase.OPEN)
    phone = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    timer = phone[phone.index('class="timer"') :]
    assert timer.index("<svg") < timer.index("timer__text")
    assert "⏱" not in phone


def test_a_new_wall_address_retires_the_old_one(app, client, facilitator):
    theme = make_theme(facilitators=[facilitator])
    old = theme.wall_token
    Auth(client).login(facilitator)
    token = csrf_from(client.get(f"/themes/{theme.id}/console").get_data(as_text=True))
    client.post(f"/themes/{theme.id}/wall-token", data={"csrf_token": token})
    new = db.session.get(Theme, theme.id).wall_token
    assert new != old
    assert len(new) >= 22
    assert client.get(f"/wall/{old}").status_code == 404
    assert client.get(f"/wall/{new}").status_code == 200
