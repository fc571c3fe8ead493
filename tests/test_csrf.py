"""Every route that takes a POST refuses it without the session's CSRF token, or with another
session's, and changes nothing; the same request with the right token gets through."""

from __future__ import annotations

import re
import uuid

import pytest

from facilitate.extensions import db
from facilitate.models import Event, Note, Theme, User, WriteupRevision
from facilitate.services import notes, participants, writeups
from tests.conftest import Auth, csrf_from
from tests.support.factories import make_event, make_theme

EXPIRED = "This form had expired"

#: Fields each form needs to do something real once the token is right.
FIELDS = {
    "/login": {"email": "olive@example.org", "password": "not the password"},
    "/setup": {"token": "guess"},
    "/j/<code>": {"text": "A note", "client_id": "csrf-check"},
    "/themes/<int:theme_id>/move": {"direction": "down"},
    "/themes/<int:theme_id>/phase": {"phase": "closed"},
    "/themes/<int:theme_id>/writeup": {"body": "Replaced"},
    "/themes/<int:theme_id>/writeup/publish": {"show_citations": "y"},
    "/events/new": {"title": "A new event"},
    "/people": {"name": "Sam", "email": "sam@example.org", "role": "facilitator"},
    "/events/<slug>/delete": {"confirm": "y"},
    "/themes/<int:theme_id>/delete": {"confirm": "y"},
}
JSON_ROUTES = {"/themes/<int:theme_id>/writeup/autosave", "/themes/<int:theme_id>/writeup/preview"}


@pytest.fixture
def world(app, organiser):
    event = make_event(organiser)
    theme = make_theme(event, "Trust", [organiser])
    make_theme(event, "Tactics")
    person, _ = participants.join(event, None, None)
    notes.post_note(theme, person, str(uuid.uuid4()), "Trust staff with a phone", "idea")
    writeups.compile_draft(theme, organiser)
    return event.slug, theme.id, theme.join_code


def post_rules(app) -> list[str]:
    """Every POST route; the two that delete the theme and the event last."""
    rules = [r.rule for r in app.url_map.iter_rules() if "POST" in r.methods]
    return sorted(rules, key=lambda rule: (rule.endswith("/delete"), "<slug>" in rule, rule))


def fill(rule: str, world) -> str:
    slug, theme_id, code = world
    path = (
        rule.replace("<slug>", slug)
        .replace("<int:theme_id>", str(theme_id))
        .replace("<code>", code)
        .replace("<int:number>", "1")
    )
    assert "<" not in path, f"fill in {path}"
    return path


def state() -> tuple:
    db.session.expire_all()
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    return (
        count(Event),
        count(Theme),
        count(Note),
        count(User),
        count(WriteupRevision),
        [(t.phase, t.wall_token, t.position) for t in db.session.scalars(db.select(Theme))],
        [u.session_version for u in db.session.scalars(db.select(User))],
    )


def send(client, rule: str, path: str, token: str | None):
    headers = {"Accept": "application/json"} if rule in JSON_ROUTES else {}
    if rule in JSON_ROUTES:
        if token:
            headers["X-CSRFToken"] = token
        return client.post(path, json={"body": "Autosaved"}, headers=headers)
    data = dict(FIELDS.get(rule, {}))
    if token:
        data["csrf_token"] = token
    return client.post(path, data=data)


def refused_as_expired(response) -> bool:
    if response.status_code != 400:
        return False
    if response.is_json:
        return EXPIRED in response.get_json()["error"]["message"]
    return EXPIRED in response.get_data(as_text=True)


def test_the_walk_covers_every_post_route(app):
    rules = post_rules(app)
    assert len(rules) >= 25
    assert "/logout" in rules
    assert "/j/<code>" in rules


@pytest.mark.parametrize("how", ["no token", "another session's token"])
def test_every_post_route_refuses_a_request_without_this_sessions_token(
    app, client, organiser, world, how
):
    Auth(client).login(organiser)
    stranger = app.test_client()
    foreign = csrf_from(stranger.get("/login").get_data(as_text=True))
    for rule in post_rules(app):
        path = fill(rule, world)
        before = state()
        response = send(client, rule, path, None if how == "no token" else foreign)
        assert refused_as_expired(response), (rule, response.status_code)
        assert state() == before, f"{rule} changed something without a token"
        assert client.get("/account").status_code == 200, f"{rule} signed the organiser out"


def test_the_same_requests_with_the_right_token_are_not_refused(app, client, organiser, world):
    """So the walk above cannot pass because a route refuses everything."""
    Auth(client).login(organiser)
    for rule in post_rules(app):
        if rule in ("/logout", "/account/sign-out-everywhere"):
            continue  # they would end the session the rest of the walk needs
        token = csrf_from(client.get("/account").get_data(as_text=True))
        response = send(client, rule, fill(rule, world), token)
        assert not refused_as_expired(response), rule
        assert response.status_code < 500, rule
    token = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302


def test_pages_give_scripts_the_token_in_a_meta_tag(app, client, organiser, world):
    _, theme_id, code = world
    Auth(client).login(organiser)
    for path in (f"/themes/{theme_id}/console", f"/themes/{theme_id}/writeup", f"/j/{code}"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r'<meta name="csrf-token" content="[^"]+">', html), path
