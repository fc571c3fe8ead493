"""One publish step: whichever door a change comes through (a socket, a web form, the
no-JavaScript page, a command-line call of a service), the theme's room hears of it once, after
the commit, and a change that changes nothing is not news."""

from __future__ import annotations

import pytest

from facilitate.database import write_transaction
from facilitate.models import Phase
from facilitate.services import clusters, moderation, phases, themes
from facilitate.services.themes import ThemeSettings
from tests.conftest import Auth
from tests.support.factories import make_theme, post
from tests.test_participate import post_form

NS = "/live"


def events(client) -> list[tuple[str, dict]]:
    return [(m["name"], m["args"][0]) for m in client.get_received(NS) if m["name"] != "presence"]


@pytest.fixture
def room(client, live_socket, facilitator):
    theme = make_theme(facilitators=[facilitator], settings=ThemeSettings(approval_required=True))
    Auth(client).login(facilitator)
    staff = live_socket(auth={"theme_id": theme.id}, client=client)
    wall = live_socket(auth={"wall": theme.wall_token})
    phone = live_socket(auth={"code": theme.join_code})
    for sio in (staff, wall, phone):
        assert sio.is_connected(NS)
        sio.get_received(NS)
    return theme, staff, wall, phone


def test_a_note_from_the_plain_form_reaches_the_room_as_the_rules_say(app, room):
    theme, staff, wall, phone = room
    assert (
        post_form(app.test_client(), theme, text="Without script", kind="idea").status_code == 302
    )
    [(name, payload)] = events(staff)
    assert (name, payload["note"]["text"], payload["note"]["status"]) == (
        "note:added",
        "Without script",
        "pending",
    )
    assert events(wall) == events(phone) == []  # pending: for facilitators only
    moderation.moderate_note(payload["note"]["id"], theme, "approve")
    [(name, shown)] = events(wall)
    assert (name, shown["note"]["text"]) == ("note:added", "Without script")
    assert events(phone) == [(name, shown)]
    assert [n for n, _ in events(staff)] == ["note:updated"]


def test_a_service_called_from_the_command_line_reaches_the_room(room):
    theme, staff, wall, phone = room
    phases.set_phase(theme, Phase.CLOSED)
    for sio in (staff, wall, phone):
        [(name, payload)] = events(sio)
        assert (name, payload["theme"]["phase"]) == ("theme:updated", "closed")
    clusters.add_cluster(theme, "Money")
    for sio in (staff, wall, phone):
        [(name, payload)] = events(sio)
        assert (name, [c["title"] for c in payload["clusters"]]) == ("clusters:updated", ["Money"])


def test_a_change_that_changes_nothing_broadcasts_nothing(room):
    theme, staff, wall, phone = room
    note = post(theme)
    moderation.moderate_note(note.id, theme, "approve")
    events(staff), events(wall), events(phone)
    moderation.moderate_note(note.id, theme, "approve")
    moderation.moderate_note(note.id, theme, "unpin")
    clusters.move_note(note.id, theme, None)
    phases.set_phase(theme, Phase.OPEN)
    phases.stop_timer(theme)
    themes.update_settings(theme, ThemeSettings.of(theme))
    heading = clusters.add_cluster(theme, "Money")
    events(staff), events(wall), events(phone)
    clusters.rename_cluster(heading.id, theme, "Money")
    clusters.reorder_clusters(theme, [heading.id])
    assert events(staff) == events(wall) == events(phone) == []


def test_a_refused_change_broadcasts_nothing(app, room):
    theme, staff, wall, phone = room
    phases.set_phase(theme, Phase.CLOSED)
    events(staff), events(wall), events(phone)
    assert post_form(app.test_client(), theme, text="Too late", kind="idea").status_code == 409
    assert events(staff) == events(wall) == events(phone) == []


def test_services_composed_in_one_transaction_publish_once_after_it(room):
    theme, staff, wall, _phone = room
    with write_transaction():
        phases.start_timer(theme, 60)
        phases.set_phase(theme, Phase.CLOSED)
        assert events(staff) == []  # nothing before the commit
    [(name, payload)] = events(wall)
    assert (name, payload["theme"]["phase"]) == ("theme:updated", "closed")
    assert payload["theme"]["timer"]["ends_at"] is None
