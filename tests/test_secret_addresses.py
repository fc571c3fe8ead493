"""The secrets in addresses: join codes that stop working a while after a theme closes, wall tokens
and participant tokens too long to guess, and a wall address the facilitator can replace."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from facilitate.extensions import db
from facilitate.models import Participant, Phase, Theme, utcnow
from facilitate.services import codes, phases
from tests.conftest import Auth, csrf_from
from tests.support.factories import make_participant, make_theme, make_user

NS = "/live"
NOT_FOUND = "We could not find that code. Check the screen at the front of the room."


def random_bits(token: str) -> int:
    """How many random bits a URL-safe base64 token carries."""
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token), token
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def closed_ago(theme: Theme, ago: timedelta) -> None:
    phases.set_phase(theme, Phase.CLOSED)
    stored = db.session.get(Theme, theme.id)
    stored.closed_at = utcnow() - ago
    db.session.commit()


def can_join(client, live_socket, theme, token=None) -> dict:
    """Whether the code still opens the page, the QR code, the plain form and the socket."""
    page = client.get(f"/j/{theme.join_code}")
    return {
        "page": page.status_code,
        "typed": client.get("/join", query_string={"code": theme.join_code}).status_code,
        "qr": client.get(f"/j/{theme.join_code}/qr.svg").status_code,
        "socket": live_socket(auth={"code": theme.join_code, "token": token}).is_connected(NS),
    }


@pytest.mark.parametrize("setting", [timedelta(days=30), timedelta(hours=2)])
def test_a_join_code_stops_working_once_the_theme_has_been_closed_long_enough(
    app, client, live_socket, setting
):
    app.config["JOIN_CODE_EXPIRES_AFTER"] = setting
    theme = make_theme()
    regular = make_participant(theme)
    closed_ago(theme, setting - timedelta(minutes=1))
    assert can_join(client, live_socket, theme, regular.token) == {
        "page": 200,
        "typed": 302,
        "qr": 200,
        "socket": True,
    }
    closed_ago(theme, setting + timedelta(minutes=1))
    assert can_join(client, live_socket, theme, regular.token) == {
        "page": 404,
        "typed": 404,
        "qr": 404,
        "socket": False,
    }
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    assert NOT_FOUND in page  # the same words as a code that never existed
    assert theme.title not in page


def test_an_expired_code_refuses_the_plain_form_and_counts_as_a_wrong_code(app, client):
    app.config["JOIN_MISS_RATE_LIMIT"] = "2 per minute"
    theme = make_theme()
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    closed_ago(theme, app.config["JOIN_CODE_EXPIRES_AFTER"] + timedelta(seconds=1))
    posted = client.post(
        f"/j/{theme.join_code}",
        data={"csrf_token": csrf_from(page), "text": "Too late", "client_id": "late-1"},
    )
    assert posted.status_code == 404
    assert client.get(f"/j/{theme.join_code}").status_code == 404
    assert client.get(f"/j/{theme.join_code}").status_code == 429


def test_opening_the_theme_again_brings_its_code_back(app, client, live_socket):
    theme = make_theme()
    closed_ago(theme, app.config["JOIN_CODE_EXPIRES_AFTER"] + timedelta(days=1))
    assert client.get(f"/j/{theme.join_code}").status_code == 404
    phases.set_phase(db.session.get(Theme, theme.id), Phase.OPEN)
    assert client.get(f"/j/{theme.join_code}").status_code == 200
    assert live_socket(auth={"code": theme.join_code}).is_connected(NS)


def test_draft_and_open_themes_never_expire(app, client):
    app.config["JOIN_CODE_EXPIRES_AFTER"] = timedelta(seconds=0)
    for phase in (Phase.DRAFT, Phase.OPEN):
        theme = make_theme(title=f"A {phase.value} theme", phase=phase)
        stored = db.session.get(Theme, theme.id)
        stored.created_at = stored.updated_at = utcnow() - timedelta(days=400)
        db.session.commit()
        assert client.get(f"/j/{theme.join_code}").status_code == 200


def test_wall_tokens_carry_at_least_128_random_bits_and_never_repeat(app):
    tokens = [codes.new_wall_token() for _ in range(500)]
    assert len(set(tokens)) == len(tokens)
    assert min(random_bits(token) for token in tokens) >= 128
    theme = make_theme()
    assert random_bits(theme.wall_token) >= 128


def test_participant_tokens_carry_at_least_128_random_bits_and_only_their_hash_is_kept(
    app, client, live_socket
):
    theme = make_theme()
    phone = live_socket(auth={"code": theme.join_code})
    token = phone.get_received(NS)[0]["args"][0]["participant"]["token"]
    assert random_bits(token) >= 128
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    client.post(
        f"/j/{theme.join_code}",
        data={"csrf_token": csrf_from(page), "text": "Plain form", "client_id": "plain-1"},
    )
    cookie = client.get_cookie(f"facilitate_p{theme.event_id}")
    assert random_bits(cookie.value) >= 128
    tokens = [codes.new_participant_token() for _ in range(500)]
    assert len(set(tokens)) == len(tokens)
    stored = db.session.scalars(db.select(Participant.token_hash)).all()
    assert token not in stored
    assert cookie.value not in stored
    assert codes.token_hash(token) in stored


@pytest.fixture
def lead_client(app, client, facilitator):
    Auth(client).login(facilitator)
    return client


def test_the_console_settings_give_the_wall_a_new_address(app, lead_client, facilitator):
    theme = make_theme(facilitators=[facilitator])
    old = theme.wall_token
    html = lead_client.get(f"/themes/{theme.id}/console").get_data(as_text=True)
    settings = html[html.index('class="side-panel settings-panel"') :]
    settings = settings[: settings.index("</details>")]
    assert f'action="/themes/{theme.id}/wall-token"' in settings
    assert "New wall address" in settings
    answer = lead_client.post(
        f"/themes/{theme.id}/wall-token",
        data={"csrf_token": csrf_from(html)},
        follow_redirects=True,
    )
    assert "The wall has a new address" in answer.get_data(as_text=True)
    new = db.session.get(Theme, theme.id).wall_token
    assert new != old
    assert random_bits(new) >= 128
    assert f"/wall/{new}" in answer.get_data(as_text=True)
    assert f"/wall/{old}" not in answer.get_data(as_text=True)
    assert lead_client.get(f"/wall/{old}").status_code == 404
    assert lead_client.get(f"/wall/{new}").status_code == 200


def test_walls_open_on_the_old_address_are_disconnected_and_cannot_come_back(
    app, lead_client, live_socket, facilitator
):
    theme = make_theme(facilitators=[facilitator])
    other = make_theme(theme.event, "Tactics", facilitators=[facilitator])
    old = theme.wall_token
    walls = [live_socket(auth={"wall": old}) for _ in range(2)]
    other_wall = live_socket(auth={"wall": other.wall_token})
    phone = live_socket(auth={"code": theme.join_code})
    console = live_socket(auth={"theme_id": theme.id}, client=lead_client)
    assert all(s.is_connected(NS) for s in [*walls, other_wall, phone, console])
    html = lead_client.get(f"/themes/{theme.id}/console").get_data(as_text=True)
    lead_client.post(f"/themes/{theme.id}/wall-token", data={"csrf_token": csrf_from(html)})
    assert not any(wall.is_connected(NS) for wall in walls)
    assert all(s.is_connected(NS) for s in (other_wall, phone, console))
    assert not live_socket(auth={"wall": old}).is_connected(NS)
    new = live_socket(auth={"wall": db.session.get(Theme, theme.id).wall_token})
    assert new.is_connected(NS)


def test_someone_who_does_not_lead_the_theme_cannot_change_its_wall(app, client):
    theme = make_theme(facilitators=[make_user()])
    Auth(client).login(make_user())
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert (
        client.post(f"/themes/{theme.id}/wall-token", data={"csrf_token": token}).status_code == 403
    )
    assert db.session.get(Theme, theme.id).wall_token == theme.wall_token
