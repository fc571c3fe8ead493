"""An event's language: set on its form, in the import file and carried by bundles; the walls, the
plenary and the public report speak it, and a phone without a matching browser language gets it."""

from __future__ import annotations

import re

from facilitate.bundles import service as bundles
from facilitate.extensions import db
from facilitate.models import Event
from facilitate.services import events, themes
from tests.support.factories import make_event, make_theme


def csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_the_event_form_sets_and_changes_the_language(organiser_client):
    token = csrf(organiser_client, "/events/new")
    response = organiser_client.post(
        "/events/new",
        data={
            "csrf_token": token,
            "title": "Lansio",
            "time_zone": "Europe/London",
            "language": "cy",
        },
    )
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).where(Event.title == "Lansio"))
    assert event.language == "cy"
    refused = organiser_client.post(
        f"/events/{event.slug}/edit",
        data={
            "csrf_token": token,
            "title": "Lansio",
            "time_zone": "Europe/London",
            "language": "fr",
        },
        headers={"Accept-Language": "en-GB"},
    )
    assert refused.status_code == 400
    assert "Not a valid choice" in refused.get_data(as_text=True)
    db.session.refresh(event)
    assert event.language == "cy"


def test_the_import_file_gives_the_language_and_refuses_one_not_offered(app, runner, tmp_path):
    good = tmp_path / "event.yaml"
    good.write_text("title: Lansio\nlanguage: cy\nthemes:\n  - title: Ymddiriedaeth\n")
    result = runner.invoke(args=["event", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert events.find_by_slug("lansio").language == "cy"
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Launch\nlanguage: fr\n")
    refused = runner.invoke(args=["event", "import", str(bad)])
    assert refused.exit_code != 0
    assert "language" in refused.output
    assert "en (English) or cy (Welsh)" in refused.output
    assert events.find_by_slug("launch") is None


def test_a_bundle_carries_the_language_to_a_machine_without_the_event(app, organiser):
    event = make_event(organiser, "Lansio")
    make_theme(event, "Ymddiriedaeth")
    event.language = "cy"
    db.session.commit()
    _, data = bundles.export_bundle(event.slug)
    events.delete_event(event)
    bundles.import_bundle(data)
    assert events.find_by_slug("lansio").language == "cy"


def test_pages_of_the_room_speak_the_event_s_language_and_phones_follow_their_browser(client):
    theme = make_theme()
    theme.event.language = "cy"
    db.session.commit()
    wall = client.get(f"/wall/{theme.wall_token}", headers={"Accept-Language": "en-GB"})
    assert '<html lang="cy"' in wall.get_data(as_text=True)
    phone = client.get(f"/j/{theme.join_code}", headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="en-GB"' in phone.get_data(as_text=True)
    no_match = client.get(f"/j/{theme.join_code}", headers={"Accept-Language": "fr"})
    assert '<html lang="cy"' in no_match.get_data(as_text=True)
    chosen = client.get(f"/j/{theme.join_code}?lang=en", headers={"Accept-Language": "fr"})
    assert '<html lang="en-GB"' in chosen.get_data(as_text=True)
    kept = client.get("/join", headers={"Accept-Language": "cy"})
    assert '<html lang="en-GB"' in kept.get_data(as_text=True)  # the choice outlives the browser's
    assert themes.find_by_join_code(theme.join_code) is not None


def test_the_command_line_speaks_the_terminal_s_language(app, runner, tmp_path):
    from babel.support import Translations

    from facilitate.i18n import TRANSLATIONS

    welsh = Translations.load(str(TRANSLATIONS), ["cy"]).gettext(
        "Choose the event's language: en (English) or cy (Welsh)."
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Launch\nlanguage: fr\n")
    in_welsh = runner.invoke(args=["event", "import", str(bad)], env={"LANG": "cy_GB.UTF-8"})
    assert welsh in in_welsh.output
    in_english = runner.invoke(args=["event", "import", str(bad)], env={"LANG": "en_GB.UTF-8"})
    assert "en (English) or cy (Welsh)" in in_english.output
