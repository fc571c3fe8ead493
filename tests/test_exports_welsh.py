"""A Welsh event's report, read back: headings, labels and dates in Welsh in every format, the
documents' language set to Welsh, and the people's own words untouched. The Welsh expected comes from
the catalogue, so a report word left untranslated fails here."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from babel.support import Translations
from docx import Document

from facilitate.exports.formats import export
from facilitate.extensions import db
from tests.test_exports_corpus import build_launch

CATALOGUES = Path(__file__).resolve().parent.parent / "facilitate" / "translations"
WELSH = Translations.load(str(CATALOGUES), ["cy"], domain="messages")


@pytest.fixture
def welsh_launch(app):
    launch = build_launch()
    launch.event.language = "cy"
    db.session.commit()
    return launch


def test_every_text_format_speaks_welsh_and_keeps_the_notes_as_written(welsh_launch):
    event = welsh_launch.event
    markdown = export(event, "md").data.decode("utf-8")
    html = export(event, "html").data.decode("utf-8")
    for document in (markdown, html):
        assert "23 Tachwedd 2026" in document  # the event's date, in Welsh
        assert "November" not in document
        assert (
            "Post in the evenings when residents are online" in document
        )  # people's words as typed
    assert '<html lang="cy">' in html
    published = WELSH.gettext("published write-up")
    assert published != "published write-up"
    assert published in markdown


def test_the_word_file_is_in_welsh_for_word_and_screen_readers(welsh_launch):
    document = Document(io.BytesIO(export(welsh_launch.event, "docx").data))
    assert document.core_properties.language == "cy"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "23 Tachwedd 2026" in text
    styles = document.styles.element.xml
    assert 'w:val="cy"' in styles or 'w:val="cy-GB"' in styles


def test_csv_and_json_keep_their_keys_and_give_dates_in_iso(welsh_launch):
    """Machines read these: the keys and times stay as the contract says, in any language."""
    report = json.loads(export(welsh_launch.event, "json").data)
    assert {"event", "themes"} <= set(report)
    assert report["themes"][0]["notes"][0]["created_at"].endswith(("Z", "+00:00"))
    rows = csv.reader(io.StringIO(export(welsh_launch.event, "csv").data.decode("utf-8-sig")))
    header = next(rows)
    assert header[:8] == [
        "event",
        "theme",
        "cluster",
        "kind",
        "text",
        "author",
        "votes",
        "created_at",
    ]


def test_an_english_event_s_report_is_unchanged(app):
    launch = build_launch()
    markdown = export(launch.event, "md").data.decode("utf-8")
    assert "23 November 2026" in markdown
    assert "Tachwedd" not in markdown
