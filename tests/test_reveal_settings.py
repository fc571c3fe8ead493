"""The theme form and the ``event import`` file set vote reveal and silent writing, the no-JavaScript
phone page keeps what they withhold, and saving the setting gives the visible notes new numbers."""

from __future__ import annotations

import json

from facilitate.extensions import db
from facilitate.models import Theme
from facilitate.services import themes
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_event, make_participant, make_theme, post
from tests.test_events import form_token


def test_the_theme_form_sets_and_shows_both_settings(organiser_client, organiser):
    theme = make_theme(make_event(organiser))
    url = f"/themes/{theme.id}/edit"
    page = organiser_client.get(url).get_data(as_text=True)
    assert "Hide vote counts until you reveal them" in page
    assert "Write in silence" in page
    response = organiser_client.post(
        url,
        data={
            "csrf_token": form_token(organiser_client, url),
            "title": "Trust",
            "votes_hidden": "y",
            "notes_private": "y",
            "votes_per_participant": "5",
            "note_max_length": "500",
        },
    )
    assert response.status_code == 302
    theme = db.session.get(Theme, theme.id)
    assert (theme.votes_hidden, theme.notes_private) == (True, True)


def test_the_import_file_sets_both_settings_and_refuses_a_wrong_value(runner, tmp_path):
    source = tmp_path / "event.yaml"
    source.write_text(
        "title: Launch\nthemes:\n  - title: Trust\n    votes_hidden: true\n"
        "    settings:\n      notes_private: true\n  - title: Tactics\n"
    )
    result = runner.invoke(args=["event", "import", str(source)])
    assert result.exit_code == 0, result.output
    trust, tactics = (db.session.get(Theme, t["id"]) for t in json.loads(result.output)["themes"])
    assert (trust.votes_hidden, trust.notes_private) == (True, True)
    assert (tactics.votes_hidden, tactics.notes_private) == (False, False)
    source.write_text("title: Again\nthemes:\n  - title: Trust\n    notes_private: maybe\n")
    refused = runner.invoke(args=["event", "import", str(source)])
    assert refused.exit_code == 1
    assert "line 4, themes[0].notes_private: must be true or false" in refused.output


def test_the_page_without_javascript_shows_only_ones_own_notes_and_no_counts(client):
    theme = make_theme(settings=ThemeSettings(notes_private=True, votes_hidden=True))
    post(theme, make_participant(theme), text="Someone else's silent note")
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    assert "Someone else&#39;s silent note" not in page
    assert "Someone else's silent note" not in page
    themes.update_settings(theme, ThemeSettings.of(theme).changed({"notes_private": False}))
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    assert "silent note" in page
    assert "Votes hidden" in page


def test_revealing_gives_every_visible_note_a_new_number_and_saving_unchanged_does_not(app):
    theme = make_theme(settings=ThemeSettings(notes_private=True))
    notes = [post(theme, make_participant(theme), text=f"Note {n}") for n in range(3)]
    before = db.session.get(Theme, theme.id).seq
    themes.update_settings(theme, ThemeSettings.of(theme).changed({"notes_private": False}))
    assert db.session.get(Theme, theme.id).seq == before + 3
    assert sorted(db.session.get(type(n), n.id).seq for n in notes) == [
        before + 1,
        before + 2,
        before + 3,
    ]
    themes.update_settings(theme, ThemeSettings.of(theme))
    assert db.session.get(Theme, theme.id).seq == before + 3


def test_a_sync_that_read_the_theme_just_before_a_reveal_still_gets_the_notes_revealed(app):
    from sqlalchemy.orm.attributes import set_committed_value

    from facilitate.realtime import snapshots

    theme = make_theme(settings=ThemeSettings(notes_private=True))
    post(theme, make_participant(theme), text="Silent until now")
    since = db.session.get(Theme, theme.id).seq
    themes.update_settings(theme, ThemeSettings.of(theme).changed({"notes_private": False}))
    # What a sync held when the reveal committed between its read of the theme and of the notes:
    set_committed_value(theme, "notes_private", True)
    set_committed_value(theme, "seq", since)
    shown = snapshots.changes_since(theme, since)
    assert [(public["status"], public["text"]) for _, public, _ in shown] == [
        ("visible", "Silent until now")
    ]
    assert theme.notes_private is False
