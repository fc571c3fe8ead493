"""The report gives its times in the event's own time zone, named: Europe/London unless the
organiser or the import file says otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from facilitate.exports.formats import export
from facilitate.exports.text import format_moment
from facilitate.extensions import db
from facilitate.models import Event
from facilitate.services import events
from facilitate.services.imports import ImportProblem, import_event_text
from tests.conftest import csrf_from
from tests.support.factories import make_event, make_theme, post
from tests.test_exports_corpus import visible_text

WINTER = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
SUMMER = datetime(2026, 6, 24, 9, 30, tzinfo=UTC)


def test_times_are_given_in_the_zone_and_named():
    assert format_moment(WINTER, "Europe/London") == "24 November 2026, 09:30 GMT"
    assert format_moment(SUMMER, "Europe/London") == "24 June 2026, 10:30 BST"
    assert format_moment(SUMMER, "Europe/Dublin") == "24 June 2026, 10:30 IST"
    assert format_moment(WINTER, "Asia/Dubai") == "24 November 2026, 13:30 +04 (Asia/Dubai)"


def test_a_new_event_is_in_london_and_its_report_says_so(app):
    event = make_event()
    assert event.time_zone == "Europe/London"
    theme = make_theme(event)
    post(theme)
    for fmt in ("md", "html", "docx"):
        seen = visible_text(export(event, fmt).data, fmt)
        assert " GMT" in seen or " BST" in seen, fmt
        assert " UTC" not in seen, fmt


def test_an_event_elsewhere_gives_its_own_zone(app, organiser):
    event = events.create_event(organiser, "Dubai launch", time_zone="Asia/Dubai")
    post(make_theme(event))
    assert "(Asia/Dubai)" in export(event, "md").data.decode()


def test_an_unknown_zone_is_refused_plainly_on_the_form_and_in_the_import(
    app, organiser_client, organiser
):
    event = make_event(organiser)
    page = organiser_client.get(f"/events/{event.slug}/edit").get_data(as_text=True)
    refused = organiser_client.post(
        f"/events/{event.slug}/edit",
        data={"csrf_token": csrf_from(page), "title": event.title, "time_zone": "London"},
    )
    assert refused.status_code == 400
    assert "such as Europe/London" in refused.get_data(as_text=True)
    saved = organiser_client.post(
        f"/events/{event.slug}/edit",
        data={"csrf_token": csrf_from(page), "title": event.title, "time_zone": "Europe/Dublin"},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).time_zone == "Europe/Dublin"

    with pytest.raises(ImportProblem, match=r"time_zone: Give the time zone as a place"):
        import_event_text("title: X\ntime_zone: Mars/Olympus\nthemes: []\n", "event.yaml")
    imported = import_event_text("title: Y\ntime_zone: Europe/Dublin\nthemes: []\n", "event.yaml")
    assert imported.time_zone == "Europe/Dublin"
