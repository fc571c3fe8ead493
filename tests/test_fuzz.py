"""Arbitrary input at every Socket.IO event and every form: no crash, no 500, and every refusal in the
contract's shape with a sentence for a person."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.realtime.connections import Connection
from tests.conftest import Auth
from tests.support.factories import make_theme, post

NS = "/live"
CODES = {
    "empty",
    "too_long",
    "theme_closed",
    "forbidden",
    "not_found",
    "rate_limited",
    "invalid",
    "name_required",
    "no_votes_left",
    "unavailable",
}
PARTICIPANT_EVENTS = [
    "note:add",
    "note:edit",
    "note:delete",
    "vote:toggle",
    "sync",
    "profile:update",
]
STAFF_EVENTS = [
    "note:moderate",
    "theme:phase",
    "note:merge",
    "note:unmerge",
    "note:move",
    "cluster:add",
    "cluster:rename",
    "cluster:delete",
    "cluster:reorder",
    "timer:start",
    "timer:stop",
    "theme:settings",
    "theme:step",
    "wall:view",
    "suggest:duplicates",
    "suggest:clusters",
    "suggest:dismiss",
    "keywords:get",
    "keywords:hide",
]
#: Events of the organiser's overview and plenary wall: refused in the contract's shape to the
#: phone, wall and console connections fuzzed here (tests/test_overview_live.py drives them for real).
ORGANISER_EVENTS = ["plenary:steer"]
KEYS = [
    "client_id",
    "text",
    "kind",
    "note_id",
    "into_id",
    "cluster_id",
    "cluster_ids",
    "title",
    "phase",
    "action",
    "since",
    "name",
    "seconds",
    "closes_theme",
    "names_required",
    "approval_required",
    "votes_per_participant",
    "note_max_length",
    "mode",
    "step",
    "note_ids",
    "term",
    "hidden",
    "theme_id",
    "votes_hidden",
    "notes_private",
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=60),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
payloads = st.one_of(
    json_values,
    st.dictionaries(
        st.sampled_from(KEYS),
        json_values
        | st.integers(0, 5)
        | st.sampled_from(
            ["idea", "question", "hide", "pin", "approve", "open", "closed", "x" * 3000, "", " "]
        ),
        max_size=6,
    ),
)

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_contract(answer) -> None:
    assert isinstance(answer, dict), answer
    assert isinstance(answer.get("ok"), bool), answer
    if not answer["ok"]:
        error = answer["error"]
        assert error["code"] in CODES, answer
        assert isinstance(error["message"], str)
        assert len(error["message"]) > 10


@pytest.fixture
def fuzz_room(app, client, live_socket, facilitator, monkeypatch):
    monkeypatch.setattr(Connection, "RATE", 1e9)
    monkeypatch.setattr(Connection, "BURST", 1e9)
    app.config["NOTES_PER_MINUTE"] = 10**9
    theme = make_theme(facilitators=[facilitator])
    for number in range(3):
        post(theme, text=f"Seed note {number}")
    Auth(client).login(facilitator)
    phone = live_socket(auth={"code": theme.join_code, "name": "Fuzzer"})
    wall = live_socket(auth={"wall": theme.wall_token})
    console = live_socket(auth={"theme_id": theme.id}, client=client)
    return phone, wall, console


@FUZZ
@given(
    event=st.sampled_from(PARTICIPANT_EVENTS + STAFF_EVENTS + ORGANISER_EVENTS), payload=payloads
)
def test_any_payload_to_any_event_from_a_phone(fuzz_room, event, payload):
    phone, _, _ = fuzz_room
    assert_contract(phone.emit(event, payload, namespace=NS, callback=True))
    assert phone.is_connected(NS)


@FUZZ
@given(event=st.sampled_from([*STAFF_EVENTS, *ORGANISER_EVENTS, "sync"]), payload=payloads)
def test_any_payload_to_any_event_from_a_console(fuzz_room, event, payload):
    _, _, console = fuzz_room
    assert_contract(console.emit(event, payload, namespace=NS, callback=True))
    assert console.is_connected(NS)


@FUZZ
@given(
    event=st.sampled_from(PARTICIPANT_EVENTS + STAFF_EVENTS + ORGANISER_EVENTS), payload=payloads
)
def test_any_payload_to_any_event_from_a_wall(fuzz_room, event, payload):
    _, wall, _ = fuzz_room
    answer = wall.emit(event, payload, namespace=NS, callback=True)
    assert_contract(answer)
    if event != "sync":
        # A frame the server cannot take (a number beyond JSON's safe integers, nesting too deep)
        # is refused as invalid before anyone's role is looked at; anything else is forbidden.
        assert answer["error"]["code"] in ("forbidden", "invalid")
        if answer["error"]["code"] == "invalid":
            assert "not understood" in answer["error"]["message"], answer


@pytest.fixture
def known_theme(app):
    return make_theme()


@FUZZ
@given(data=st.data())
def test_any_connect_auth_is_accepted_or_refused_cleanly(known_theme, live_socket, data):
    code = st.sampled_from([known_theme.join_code, known_theme.join_code.lower()]) | json_values
    # A bare number cannot be told from a packet id in a CONNECT packet's text, so no client can
    # send one as its auth; every other JSON value can arrive from a hand-made client.
    bare = json_values.filter(
        lambda value: isinstance(value, bool) or not isinstance(value, int | float)
    )
    auth = data.draw(
        bare
        | st.fixed_dictionaries(
            {"code": code},
            optional={
                "token": json_values,
                "name": json_values,
                "wall": json_values,
                "theme_id": json_values,
            },
        )
    )
    client = live_socket(auth=auth)
    if client.is_connected(NS):
        names = [m["name"] for m in client.get_received(NS)]
        assert names[:1] == ["welcome"]
        client.disconnect(NS)


#: Every field of every form (checked below), plus fields routes read from the request.
FORM_FIELDS = [
    "csrf_token",
    "email",
    "password",
    "title",
    "date",
    "venue",
    "time_zone",
    "language",
    "prompt",
    "facilitators",
    "names_required",
    "approval_required",
    "votes_per_participant",
    "note_max_length",
    "text",
    "kind",
    "name",
    "client_id",
    "confirm",
    "direction",
    "phase",
    "current_password",
    "role",
    "next",
    "token",
    "body",
    "base_revision",
    "show_citations",
    "replace",
    "and_another",
    "votes_hidden",
    "notes_private",
    "format",
]
form_data = st.dictionaries(
    st.sampled_from(FORM_FIELDS),
    st.text(max_size=40)
    | st.sampled_from(["", "0", "-1", "99999999999999999999", "2026-13-45", "y", "\x00"]),
    max_size=8,
)


def post_routes(app) -> list[str]:
    """Every route that takes a form post, with its arguments filled for one real event and theme."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/static"):
            routes.append(rule.rule)
    return routes


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=form_data, with_token=st.booleans())
def test_any_form_data_to_any_form_never_gives_a_server_error(
    app, organiser_client, organiser, data, with_token
):
    from tests.support.factories import make_event

    event = getattr(app, "_fuzz_event", None)
    if event is None:
        event = make_event(organiser)
        theme = make_theme(event)
        app._fuzz_event, app._fuzz_theme = event, theme
    theme = app._fuzz_theme
    if organiser_client.get("/account").status_code != 200:  # a fuzzed post signed us out
        Auth(organiser_client).login(organiser)
    html = organiser_client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    if with_token:
        data = {**data, "csrf_token": token}
    for rule in post_routes(app):
        path = (
            rule.replace("<slug>", event.slug)
            .replace("<int:theme_id>", str(theme.id))
            .replace("<code>", theme.join_code)
            .replace("<token>", theme.wall_token)
        )
        path = re.sub(r"<[^>]+>", "1", path)
        response = organiser_client.post(path, data=data)
        assert response.status_code < 500, (path, data, response.status_code)


def test_every_event_and_every_form_field_is_fuzzed(app):
    """A new event or form field must join the lists above, or this fails."""
    import importlib
    import inspect

    from flask_wtf import FlaskForm

    from facilitate.extensions import socketio
    from facilitate.realtime.frames import MALFORMED

    # MALFORMED answers every payload from everyone with "invalid" (tests/test_live_frames.py).
    handlers = set(socketio.server.handlers[NS]) - {"connect", "disconnect", MALFORMED}
    assert handlers == set(PARTICIPANT_EVENTS + STAFF_EVENTS + ORGANISER_EVENTS)
    fuzzed = set(FORM_FIELDS)
    for package in ("auth", "events", "participate", "reports", "writeups"):
        module = importlib.import_module(f"facilitate.{package}.forms")
        for _, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, FlaskForm) and form is not FlaskForm:
                with app.test_request_context():
                    names = {field.name for field in form(meta={"csrf": False})}
                assert names <= fuzzed, (form.__name__, names - fuzzed)


json_bodies = st.one_of(
    json_values,
    st.dictionaries(
        st.sampled_from(["body", "base_revision", "explicit"]),
        json_values | st.sampled_from(["# Heading", "[#1]", "x" * 300_000, 1, True]),
        max_size=3,
    ),
)


@FUZZ
@given(body=json_bodies)
def test_any_json_to_the_editors_endpoints_is_answered_in_the_error_shape(
    app, organiser_client, organiser, body
):
    from tests.support.factories import make_event

    theme = getattr(app, "_fuzz_json_theme", None)
    if theme is None:
        theme = app._fuzz_json_theme = make_theme(make_event(organiser))
    html = organiser_client.get(f"/themes/{theme.id}/writeup").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    for endpoint in ("autosave", "preview"):
        response = organiser_client.post(
            f"/themes/{theme.id}/writeup/{endpoint}", json=body, headers={"X-CSRFToken": token}
        )
        assert response.status_code < 500, (endpoint, body)
        answer = response.get_json()
        assert_contract(answer)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(["code", "next", "token", "since", "v"]),
        st.text(max_size=40) | st.sampled_from(["//evil.example", "\\x", "\x00", "%00"]),
        max_size=3,
    )
)
def test_any_query_string_to_any_page_never_gives_a_server_error(
    app, organiser_client, organiser, query
):
    from tests.support.factories import make_event

    theme = getattr(app, "_fuzz_query_theme", None)
    if theme is None:
        theme = app._fuzz_query_theme = make_theme(make_event(organiser))
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = (
            rule.rule.replace("<slug>", theme.event.slug)
            .replace("<int:theme_id>", str(theme.id))
            .replace("<code>", theme.join_code)
            .replace("<token>", theme.wall_token)
            .replace("<fmt>", "json")
        )
        path = re.sub(r"<[^>]+>", "1", path)
        response = organiser_client.get(path, query_string=query)
        assert response.status_code < 500, (path, query, response.status_code)
        if response.status_code in (301, 302):
            location = response.headers["Location"]
            assert not location.startswith(("//", "http:", "https:")), (path, query, location)
