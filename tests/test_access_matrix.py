"""Who may do what: every HTTP route and every Socket.IO event on ``/live``, for every kind of
person, checked against the real app. A route or event missing from these tables fails the test,
so a new one cannot arrive without someone deciding who may use it.

The people, in the order of each row's outcomes:

    anon         nobody signed in, no join code
    participant  a phone that joined the theme (and posted with the plain form)
    fac_other    the facilitator of another theme of the same event
    fac          the facilitator of the theme
    org_other    the organiser of another event
    org          the organiser of the event

Outcomes: a status code; ``LOGIN`` (redirected to sign in); ``"→/path"`` (redirected there). On
the socket: ``OK`` (acknowledged), an error code (``forbidden``), or ``REFUSED`` (the connection
itself is refused). Every refusal must also leave the event as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

import pytest
from werkzeug.security import generate_password_hash

from facilitate.exports.jobs import make_export_job
from facilitate.extensions import db, socketio
from facilitate.models import Event, Role, Theme, User
from facilitate.realtime import NAMESPACE, connections, frames
from facilitate.services import (
    accounts,
    clusters,
    export_jobs,
    listing,
    moderation,
    notes,
    participants,
    themes,
    writeups,
)
from tests.conftest import Auth, csrf_from
from tests.support.factories import make_event, make_theme, make_user

ACTORS = ("anon", "participant", "fac_other", "fac", "org_other", "org")
LOGIN = "login"
OK, REFUSED, FORBIDDEN = "ok", "refused", "forbidden"


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """Every row builds its own event with six accounts: hash their passwords cheaply."""
    monkeypatch.setattr(
        accounts,
        "generate_password_hash",
        partial(generate_password_hash, method="pbkdf2:sha256:1000"),
    )


@dataclass
class World:
    event: Event
    theme: Theme
    other_theme: Theme
    published: Theme
    elsewhere: Theme
    people: dict[str, User | None]
    #: A finished report of the event, asked for on the web.
    job: str

    def path(self, template: str) -> str:
        return template.format(
            slug=self.event.slug,
            theme=self.theme.id,
            published=self.published.id,
            code=self.theme.join_code,
            token=self.theme.wall_token,
            plenary=self.event.plenary_token,
            revision=1,
            job=self.job,
        )

    def fingerprint(self) -> tuple:
        """What a refused request must not change."""
        db.session.expire_all()
        theme = db.session.get(Theme, self.theme.id)
        event = db.session.get(Event, self.event.id)
        writeup = writeups.writeup_of(theme)
        return (
            event.title,
            [(t.id, t.title, t.position) for t in event.themes],
            theme.phase,
            theme.wall_token,
            theme.timer_ends_at,
            vars(themes.ThemeSettings.of(theme)),
            [(c.id, c.title, c.position) for c in theme.clusters],
            [
                (n.id, n.status, n.pinned, n.cluster_id, n.merged_into_id)
                for n in listing.staff_notes(theme.id)
            ],
            writeup and (writeup.status, len(writeup.revisions)),
            [(u.id, u.session_version) for u in db.session.scalars(db.select(User))],
        )


def build_world() -> World:
    org = make_user(Role.ORGANISER, name="Olive Organiser")
    org_other = make_user(Role.ORGANISER, name="Oscar Elsewhere")
    fac = make_user(name="Andy Facilitator")
    fac_other = make_user(name="Fay Other")
    event = make_event(org)
    theme = make_theme(event, "Trust", [fac])
    other_theme = make_theme(event, "Tactics", [fac_other])
    published = make_theme(event, "Training", [fac_other])
    elsewhere = make_theme(make_event(org_other, "Another day"), "Elsewhere")
    for text in ("Trust staff with a phone", "Be human, not corporate"):
        person, _ = participants.join(event, None, None)
        notes.post_note(theme, person, str(uuid.uuid4()), text, "idea")
    clusters.add_cluster(theme, "Trusting staff")
    writeups.compile_draft(theme, fac)
    writeups.save_writeup(theme, "# Trust\n\nA draft.", fac)
    person, _ = participants.join(event, None, None)
    notes.post_note(published, person, str(uuid.uuid4()), "Train the whole team", "idea")
    writeups.compile_draft(published, fac_other)
    writeups.publish_writeup(published, fac_other)
    people = {"anon": None, "participant": None, "fac_other": fac_other, "fac": fac}
    people |= {"org_other": org_other, "org": org}
    job = export_jobs.request_export(event, org, "md")
    make_export_job(job)
    return World(event, theme, other_theme, published, elsewhere, people, job.token)


# ---- HTTP ---------------------------------------------------------------------------------------

PUBLIC = (200,) * 6
SIGNED_IN = (LOGIN, LOGIN, 200, 200, 200, 200)
ORGANISERS = (LOGIN, LOGIN, 403, 403, 200, 200)
EVENT_ORGANISER = (LOGIN, LOGIN, 403, 403, 403, 200)
LEADERS = (LOGIN, LOGIN, 403, 200, 403, 200)


def only(outcomes: tuple, allowed) -> tuple:
    """``outcomes`` with every allowed cell (200) replaced by what that request answers."""
    return tuple(allowed if outcome == 200 else outcome for outcome in outcomes)


@dataclass
class Route:
    method: str
    rule: str
    path: str
    outcomes: tuple
    data: dict | None = None
    json: dict | None = None


WRITEUP = "→/themes/{theme}/writeup"
ROUTES = [
    Route("GET", "/", "/", PUBLIC),
    Route("GET", "/healthz", "/healthz", PUBLIC),
    Route("GET", "/static/<path:filename>", "/static/css/app.css", PUBLIC),
    Route("GET", "/join", "/join?code={code}", ("→/j/{code}",) * 6),
    Route("GET", "/j/<code>", "/j/{code}", PUBLIC),
    Route("POST", "/j/<code>", "/j/{code}", ("→/j/{code}",) * 6, {"text": "From the form"}),
    Route("GET", "/j/<code>/qr.svg", "/j/{code}/qr.svg", PUBLIC),
    Route("GET", "/e/<slug>", "/e/{slug}", PUBLIC),
    Route("GET", "/wall/<token>", "/wall/{token}", PUBLIC),
    Route("GET", "/wall/<token>/keywords", "/wall/{token}/keywords", PUBLIC),
    Route("GET", "/r/<slug>", "/r/{slug}", PUBLIC),
    Route("GET", "/r/<slug>/<int:theme_id>", "/r/{slug}/{published}", PUBLIC),
    Route("GET", "/r/<slug>/<int:theme_id>", "/r/{slug}/{theme}", (404, 404, 404, 200, 404, 200)),
    Route("GET", "/login", "/login", (200, 200, "→/", "→/", "→/", "→/")),
    Route(
        "POST",
        "/login",
        "/login",
        (401, 401, "→/", "→/", "→/", "→/"),
        {"email": "nobody@example.org", "password": "not the password"},
    ),
    Route("POST", "/logout", "/logout", ("→/",) * 6),
    Route("GET", "/setup", "/setup?token=guess", (404,) * 6),
    Route("POST", "/setup", "/setup", (404,) * 6, {"token": "guess"}),
    Route("GET", "/account", "/account", SIGNED_IN),
    Route("POST", "/account", "/account", only(SIGNED_IN, 400), {}),
    Route(
        "POST",
        "/account/sign-out-everywhere",
        "/account/sign-out-everywhere",
        only(SIGNED_IN, "→/login"),
    ),
    Route("GET", "/people", "/people", ORGANISERS),
    Route("POST", "/people", "/people", only(ORGANISERS, 400), {}),
    Route("GET", "/events/new", "/events/new", ORGANISERS),
    Route("POST", "/events/new", "/events/new", only(ORGANISERS, 400), {}),
    Route("GET", "/events/<slug>", "/events/{slug}", EVENT_ORGANISER),
    Route("GET", "/events/<slug>/edit", "/events/{slug}/edit", EVENT_ORGANISER),
    Route("GET", "/events/<slug>/overview", "/events/{slug}/overview", EVENT_ORGANISER),
    Route("GET", "/plenary/<token>", "/plenary/{plenary}", PUBLIC),
    Route("GET", "/plenary/<token>/slides", "/plenary/{plenary}/slides", PUBLIC),
    # Fields left out keep their values: the event is saved as it was.
    Route(
        "POST",
        "/events/<slug>/edit",
        "/events/{slug}/edit",
        only(EVENT_ORGANISER, "→/events/{slug}"),
        {},
    ),
    Route("GET", "/events/<slug>/delete", "/events/{slug}/delete", EVENT_ORGANISER),
    # Without the tick the organiser is asked to confirm (the event has notes): reached, not done.
    Route("POST", "/events/<slug>/delete", "/events/{slug}/delete", only(EVENT_ORGANISER, 400), {}),
    Route("GET", "/events/<slug>/report.<fmt>", "/events/{slug}/report.json", EVENT_ORGANISER),
    Route(
        "POST", "/events/<slug>/exports", "/events/{slug}/exports", only(EVENT_ORGANISER, 400), {}
    ),
    Route("GET", "/events/<slug>/exports/<token>", "/events/{slug}/exports/{job}", EVENT_ORGANISER),
    Route(
        "GET",
        "/events/<slug>/exports/<token>.json",
        "/events/{slug}/exports/{job}.json",
        EVENT_ORGANISER,
    ),
    Route(
        "GET",
        "/events/<slug>/exports/<token>/file",
        "/events/{slug}/exports/{job}/file",
        EVENT_ORGANISER,
    ),
    Route("GET", "/events/<slug>/bundle", "/events/{slug}/bundle", EVENT_ORGANISER),
    Route("GET", "/events/<slug>/bundles", "/events/{slug}/bundles", EVENT_ORGANISER),
    # Without a file the organiser is asked for one: reached, nothing merged.
    Route(
        "POST", "/events/<slug>/bundles", "/events/{slug}/bundles", only(EVENT_ORGANISER, 400), {}
    ),
    Route(
        "POST",
        "/events/<slug>/bundles/confirm",
        "/events/{slug}/bundles/confirm",
        only(EVENT_ORGANISER, "→/events/{slug}/bundles"),
        {},
    ),
    Route("GET", "/bundles", "/bundles", ORGANISERS),
    Route("POST", "/bundles", "/bundles", only(ORGANISERS, 400), {}),
    Route("POST", "/bundles/confirm", "/bundles/confirm", only(ORGANISERS, "→/bundles"), {}),
    Route("GET", "/events/<slug>/themes/new", "/events/{slug}/themes/new", EVENT_ORGANISER),
    Route(
        "POST",
        "/events/<slug>/themes/new",
        "/events/{slug}/themes/new",
        only(EVENT_ORGANISER, 400),
        {},
    ),
    Route("GET", "/themes/<int:theme_id>/edit", "/themes/{theme}/edit", EVENT_ORGANISER),
    Route(
        "POST",
        "/themes/<int:theme_id>/edit",
        "/themes/{theme}/edit",
        only(EVENT_ORGANISER, 400),
        {},
    ),
    Route("GET", "/themes/<int:theme_id>/delete", "/themes/{theme}/delete", EVENT_ORGANISER),
    Route(
        "POST",
        "/themes/<int:theme_id>/delete",
        "/themes/{theme}/delete",
        only(EVENT_ORGANISER, 400),
        {},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/move",
        "/themes/{theme}/move",
        only(EVENT_ORGANISER, "→/events/{slug}"),
        {"direction": "down"},
    ),
    Route("GET", "/themes/<int:theme_id>/console", "/themes/{theme}/console", LEADERS),
    Route(
        "POST",
        "/themes/<int:theme_id>/phase",
        "/themes/{theme}/phase",
        only(LEADERS, "→/themes/{theme}/console"),
        {"phase": "open"},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/wall-token",
        "/themes/{theme}/wall-token",
        only(LEADERS, "→/themes/{theme}/console"),
        {},
    ),
    Route("GET", "/themes/<int:theme_id>/report.<fmt>", "/themes/{theme}/report.json", LEADERS),
    Route("GET", "/themes/<int:theme_id>/writeup", "/themes/{theme}/writeup", LEADERS),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup",
        "/themes/{theme}/writeup",
        only(LEADERS, WRITEUP),
        {"body": "# Trust\n\nSaved with the plain form."},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/autosave",
        "/themes/{theme}/writeup/autosave",
        LEADERS,
        json={"body": "# Trust\n\nAutosaved."},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/preview",
        "/themes/{theme}/writeup/preview",
        LEADERS,
        json={"body": "# Trust\n\nPreviewed."},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/compile",
        "/themes/{theme}/writeup/compile",
        only(LEADERS, WRITEUP),
        {},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/insert-notes",
        "/themes/{theme}/writeup/insert-notes",
        only(LEADERS, WRITEUP),
        {},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/set-aside",
        "/themes/{theme}/writeup/set-aside",
        only(LEADERS, WRITEUP),
        {},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/publish",
        "/themes/{theme}/writeup/publish",
        only(LEADERS, WRITEUP),
        {"show_citations": "y"},
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/unpublish",
        "/themes/{theme}/writeup/unpublish",
        only(LEADERS, WRITEUP),
        {},
    ),
    Route(
        "GET",
        "/themes/<int:theme_id>/writeup/revisions",
        "/themes/{theme}/writeup/revisions",
        LEADERS,
    ),
    Route(
        "GET",
        "/themes/<int:theme_id>/writeup/revisions/<int:number>",
        "/themes/{theme}/writeup/revisions/{revision}",
        LEADERS,
    ),
    Route(
        "POST",
        "/themes/<int:theme_id>/writeup/revisions/<int:number>/restore",
        "/themes/{theme}/writeup/revisions/{revision}/restore",
        only(LEADERS, WRITEUP),
        {},
    ),
]


def route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


def test_every_route_is_in_the_matrix(app):
    served = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {(route.rule, route.method) for route in ROUTES}
    assert served - listed == set(), "routes nobody decided access for: add them to ROUTES"
    assert listed - served == set(), "ROUTES lists routes the app no longer has"


def signed_in_clients(app, world: World) -> dict:
    clients = {}
    for actor in ACTORS:
        client = app.test_client()
        user = world.people[actor]
        if user is not None:
            assert Auth(client).login(user).status_code == 302
        clients[actor] = client
    # The participant has joined the theme and posted from their phone's plain form.
    phone = clients["participant"]
    page = phone.get(f"/j/{world.theme.join_code}").get_data(as_text=True)
    posted = phone.post(
        f"/j/{world.theme.join_code}",
        data={"csrf_token": csrf_from(page), "text": "Mine", "client_id": str(uuid.uuid4())},
    )
    assert posted.status_code == 302
    assert any(c.key.startswith("facilitate_p") for c in phone._cookies.values())
    return clients


def outcome_of(response, world: World):
    if response.status_code in (301, 302, 303):
        location = response.headers["Location"]
        if location.startswith("/login?next="):
            return LOGIN
        return "→" + location.split("#")[0]
    return response.status_code


def request(client, route: Route, world: World):
    path = world.path(route.path)
    if route.method == "GET":
        return client.get(path)
    token = csrf_from(client.get("/").get_data(as_text=True))
    if route.json is not None:
        return client.post(path, json=route.json, headers={"X-CSRFToken": token})
    data = dict(route.data or {})
    if route.path == "/j/{code}":
        data["client_id"] = str(uuid.uuid4())
    return client.post(path, data={**data, "csrf_token": token})


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_who_may_use_each_route(app, route):
    world = build_world()
    adapter = app.url_map.bind("localhost")
    rule, _ = adapter.match(
        world.path(route.path).split("?")[0], method=route.method, return_rule=True
    )
    assert rule.rule == route.rule, "the row's path reaches another route"
    clients = signed_in_clients(app, world)
    for actor, expected in zip(ACTORS, route.outcomes, strict=True):
        if isinstance(expected, str) and expected.startswith("→"):
            expected = world.path(expected)
        before = world.fingerprint()
        got = outcome_of(request(clients[actor], route, world), world)
        assert got == expected, f"{actor}: {route.method} {route.path}"
        if got in (LOGIN, 401, 403, 404):
            assert world.fingerprint() == before, f"{actor}'s refused request changed something"


# ---- Socket.IO ----------------------------------------------------------------------------------

SOCKET_ACTORS = (*ACTORS, "wall")
PARTICIPANT_ONLY = (REFUSED, OK, REFUSED, FORBIDDEN, REFUSED, FORBIDDEN, FORBIDDEN)
STAFF_ONLY = (REFUSED, FORBIDDEN, REFUSED, OK, REFUSED, OK, FORBIDDEN)
CONNECTED = (REFUSED, OK, REFUSED, OK, REFUSED, OK, OK)


def _someone_elses_note(world: World, text: str = "Someone else's point"):
    person, _ = participants.join(world.event, None, None)
    note, _ = notes.post_note(world.theme, person, str(uuid.uuid4()), text, "idea")
    return note


def _own_note(world: World, sio) -> int:
    """A note of the connection's own (for a phone), else someone else's."""
    answer = sio.emit(
        "note:add",
        {"client_id": str(uuid.uuid4()), "text": "My own"},
        namespace=NAMESPACE,
        callback=True,
    )
    return answer["note"]["id"] if answer["ok"] else _someone_elses_note(world).id


def _merged_pair(world: World) -> int:
    kept, duplicate = _someone_elses_note(world, "Kept"), _someone_elses_note(world, "Again")
    moderation.merge_note(duplicate.id, kept.id, world.theme)
    return duplicate.id


def _cluster(world: World) -> int:
    return clusters.add_cluster(world.theme, f"Heading {uuid.uuid4().hex[:6]}").id


#: Each event with a payload that succeeds for someone allowed to send it, made fresh for every
#: person (an earlier person's success must not change a later person's answer).
EVENTS = {
    "connect": (CONNECTED, None),
    "disconnect": (CONNECTED, None),
    "note:add": (PARTICIPANT_ONLY, lambda w, s: {"client_id": str(uuid.uuid4()), "text": "Hello"}),
    "note:edit": (PARTICIPANT_ONLY, lambda w, s: {"note_id": _own_note(w, s), "text": "Edited"}),
    "note:delete": (PARTICIPANT_ONLY, lambda w, s: {"note_id": _own_note(w, s)}),
    "vote:toggle": (PARTICIPANT_ONLY, lambda w, s: {"note_id": _someone_elses_note(w).id}),
    "profile:update": (PARTICIPANT_ONLY, lambda w, s: {"name": "Ann"}),
    "sync": ((REFUSED, OK, REFUSED, OK, REFUSED, OK, OK), lambda w, s: {"since": 0}),
    "note:moderate": (
        STAFF_ONLY,
        lambda w, s: {"note_id": _someone_elses_note(w).id, "action": "pin"},
    ),
    "note:merge": (
        STAFF_ONLY,
        lambda w, s: {"note_id": _someone_elses_note(w).id, "into_id": _someone_elses_note(w).id},
    ),
    "note:unmerge": (STAFF_ONLY, lambda w, s: {"note_id": _merged_pair(w)}),
    "note:move": (
        STAFF_ONLY,
        lambda w, s: {"note_id": _someone_elses_note(w).id, "cluster_id": _cluster(w)},
    ),
    "cluster:add": (STAFF_ONLY, lambda w, s: {"title": "New heading"}),
    "cluster:rename": (STAFF_ONLY, lambda w, s: {"cluster_id": _cluster(w), "title": "Renamed"}),
    "cluster:delete": (STAFF_ONLY, lambda w, s: {"cluster_id": _cluster(w)}),
    "cluster:reorder": (
        STAFF_ONLY,
        lambda w, s: {"cluster_ids": [c.id for c in reversed(clusters.clusters_of(w.theme))]},
    ),
    "theme:phase": (STAFF_ONLY, lambda w, s: {"phase": "open"}),
    "timer:start": (STAFF_ONLY, lambda w, s: {"seconds": 300}),
    "timer:stop": (STAFF_ONLY, lambda w, s: {}),
    "theme:step": (STAFF_ONLY, lambda w, s: {"step": "reveal"}),
    "theme:settings": (STAFF_ONLY, lambda w, s: {"votes_per_participant": 6}),
    "wall:view": (STAFF_ONLY, lambda w, s: {"mode": "newest"}),
    # Only an organiser's overview or plenary wall may steer (tests/test_overview_live.py).
    "plenary:steer": (
        (REFUSED, FORBIDDEN, REFUSED, FORBIDDEN, REFUSED, FORBIDDEN, FORBIDDEN),
        lambda w, s: {"step": 1},
    ),
    "suggest:duplicates": (STAFF_ONLY, lambda w, s: {}),
    "suggest:clusters": (STAFF_ONLY, lambda w, s: {}),
    "suggest:dismiss": (
        STAFF_ONLY,
        lambda w, s: {"note_ids": [_someone_elses_note(w).id, _someone_elses_note(w).id]},
    ),
    "keywords:get": (STAFF_ONLY, lambda w, s: {}),
    "keywords:hide": (STAFF_ONLY, lambda w, s: {"term": "budget"}),
}


def test_every_socket_event_is_in_the_matrix(app):
    # The refusal of a frame nobody could decode is the server's own, not a client's event.
    registered = set(socketio.server.handlers[NAMESPACE]) - {frames.MALFORMED}
    assert registered - set(EVENTS) == set(), "events nobody decided access for: add them to EVENTS"
    assert set(EVENTS) - registered == set(), "EVENTS lists events the server no longer handles"


def socket_auth(actor: str, world: World) -> dict:
    if actor == "participant":
        return {"code": world.theme.join_code}
    if actor == "wall":
        return {"wall": world.theme.wall_token}
    return {"theme_id": world.theme.id}  # a console of the theme; anonymous people try it too


@pytest.mark.parametrize("event", list(EVENTS))
def test_who_may_send_each_socket_event(app, live_socket, event):
    world = build_world()
    clients = signed_in_clients(app, world)
    clients["wall"] = app.test_client()
    expected_row, payload = EVENTS[event]
    for actor, expected in zip(SOCKET_ACTORS, expected_row, strict=True):
        before = world.fingerprint()
        sio = live_socket(auth=socket_auth(actor, world), client=clients[actor])
        if not sio.is_connected(NAMESPACE):
            got = REFUSED
        elif event == "connect":
            got = OK if sio.get_received(NAMESPACE)[0]["name"] == "welcome" else "no welcome"
        elif event == "disconnect":
            sid = sio.eio_sid and socketio.server.manager.sid_from_eio_sid(sio.eio_sid, NAMESPACE)
            assert connections.get(sid) is not None
            sio.disconnect(NAMESPACE)
            got = OK if connections.get(sid) is None else "still registered"
        else:
            arguments = payload(world, sio)
            before = world.fingerprint()
            answer = sio.emit(event, arguments, namespace=NAMESPACE, callback=True)
            got = OK if answer["ok"] else answer["error"]["code"]
        assert got == expected, f"{actor}: {event}"
        if got in (REFUSED, FORBIDDEN):
            assert world.fingerprint() == before, f"{actor}'s refused {event} changed something"


#: Staff events that name notes or headings: from the console of one theme, another theme's ids.
BY_ID = {
    "note:moderate": lambda w: {"note_id": _someone_elses_note(w).id, "action": "hide"},
    "note:merge": lambda w: {
        "note_id": _someone_elses_note(w).id,
        "into_id": _someone_elses_note(w).id,
    },
    "note:unmerge": lambda w: {"note_id": _merged_pair(w)},
    "note:move": lambda w: {"note_id": _someone_elses_note(w).id, "cluster_id": None},
    "cluster:rename": lambda w: {"cluster_id": _cluster(w), "title": "Taken over"},
    "cluster:delete": lambda w: {"cluster_id": _cluster(w)},
    "cluster:reorder": lambda w: {
        "cluster_ids": [c.id for c in reversed(clusters.clusters_of(w.theme))]
    },
}


@pytest.mark.parametrize("event", list(BY_ID))
def test_a_console_cannot_reach_another_themes_notes_by_id(app, live_socket, event):
    """The facilitator of another theme, and the organiser of another event, each on their own
    console, name the theme's notes and headings: they are not found, and nothing changes."""
    world = build_world()
    clients = signed_in_clients(app, world)
    for actor, own in (("fac_other", world.other_theme), ("org_other", world.elsewhere)):
        console = live_socket(auth={"theme_id": own.id}, client=clients[actor])
        assert console.is_connected(NAMESPACE)
        payload = BY_ID[event](world)
        before = world.fingerprint()
        answer = console.emit(event, payload, namespace=NAMESPACE, callback=True)
        assert answer["ok"] is False, (actor, event)
        assert answer["error"]["code"] in ("not_found", "invalid"), (actor, event)
        assert world.fingerprint() == before
