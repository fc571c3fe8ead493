"""What a reader of each document notices: a CSV that Excel opens with its curly quotes intact, one
correct Content-Type per download, a Word file that screen readers and Word's navigation pane
understand, empty themes folded into a line, and a JSON export that its published schema accepts."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from pypdf import PdfReader

from facilitate.exports.formats import export
from facilitate.models import Role
from facilitate.services import writeups
from tests.support.factories import make_event, make_theme, make_user
from tests.test_exports_corpus import FORMATS, build_launch, flat, say, visible_text

BOM = b"\xef\xbb\xbf"
CURLY = "We\u2019re \u201ctrusted\u201d already"  # what phones type for We're "trusted"


@pytest.fixture
def launch(app):
    launch = build_launch()
    say(launch.trust, CURLY, name="Zoë")
    return launch


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_curly_quotes(
    launch, client, auth, runner, tmp_path
):
    auth.login(launch.organiser)
    web = client.get(f"/events/{launch.event.slug}/report.csv").data
    assert web.startswith(BOM)
    assert not web[len(BOM) :].startswith(BOM)
    assert CURLY in web.decode("utf-8-sig")
    assert web.decode("utf-8-sig").startswith('"event","theme"')
    target = tmp_path / "report.csv"
    result = runner.invoke(
        args=["export", launch.event.slug, "--format", "csv", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == web
    printed = runner.invoke(args=["export", launch.event.slug, "--format", "csv"])
    assert printed.stdout_bytes.startswith(BOM)


CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_download_sends_one_correct_content_type(launch, client, auth, fmt):
    auth.login(launch.organiser)
    for address in (
        f"/events/{launch.event.slug}/report.{fmt}",
        f"/themes/{launch.trust.id}/report.{fmt}",
    ):
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers.getlist("Content-Type") == [CONTENT_TYPES[fmt]]
        assert response.headers["Content-Type"].count("charset") <= 1


@dataclass
class Quiet:
    event: object
    organiser: object
    training: object


def build_quiet_event() -> Quiet:
    """Tactics (a note, published write-up), Tools (a note, no write-up), Training (nothing at
    all) and Budget (a write-up opened but left empty, no notes): no draft anywhere."""
    organiser = make_user(Role.ORGANISER, email="olive@example.org", name="Olive Organiser")
    event = make_event(organiser, "Quiet launch", date=date(2026, 11, 23), venue="Council House")
    tactics = make_theme(event, "Tactics", prompt="What works online?")
    tools = make_theme(event, "Tools", prompt="Which tools help?")
    training = make_theme(event, "Training", prompt="How do we help staff?")
    budget = make_theme(event, "Budget", prompt="What would it cost?")
    say(tactics, "Post in the evenings", name="Priya")
    say(tools, "A shared calendar app", name="Lee")
    writeups.save_writeup(tactics, "# Tactics, written up\n\nEvenings work.\n", organiser)
    writeups.publish_writeup(tactics, organiser)
    writeups.save_writeup(budget, "", organiser)
    return Quiet(event, organiser, training)


@pytest.fixture
def quiet(app):
    return build_quiet_event()


DOCUMENTS = ["md", "html", "pdf", "docx"]


@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_a_theme_with_nothing_to_read_is_one_line_not_a_section(quiet, fmt):
    seen = visible_text(export(quiet.event, fmt).data, fmt)
    assert seen.count("Training: no notes were posted") == 1
    assert seen.count("Budget: no notes were posted") == 1
    assert "How do we help staff?" not in seen  # Training's question: there is no section
    assert "What would it cost?" not in seen
    assert "No notes were posted." not in seen
    assert "Which tools help?" in seen  # a theme with notes keeps its section
    assert "A shared calendar app" in seen


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_a_written_draft_is_called_a_draft(quiet, fmt):
    seen = visible_text(export(quiet.event, fmt).data, fmt)
    assert "draft" not in seen.lower()
    if fmt in DOCUMENTS:
        assert "no write-up yet" in seen  # Tools: notes, but nobody has written it up


def test_the_pdf_gives_an_empty_theme_neither_a_page_nor_a_bookmark(quiet):
    reader = PdfReader(io.BytesIO(export(quiet.event, "pdf").data))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Training" not in titles
    assert "Budget" not in titles
    assert "Tools" in titles
    first = flat(reader.pages[0].extract_text())
    assert "Training: no notes were posted" in first
    assert not any("DRAFT" in page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_an_empty_themes_own_download_says_so_in_one_line(quiet, client, auth, fmt):
    auth.login(quiet.organiser)
    data = client.get(f"/themes/{quiet.training.id}/report.{fmt}").data
    seen = visible_text(data, fmt)
    assert seen.count("Training: no notes were posted") == 1
    assert "How do we help staff?" not in seen
    assert "draft" not in seen.lower()


def test_json_keeps_every_theme_and_gives_no_status_to_a_missing_write_up(quiet):
    themes = json.loads(export(quiet.event, "json").data)["themes"]
    assert [t["title"] for t in themes] == ["Tactics", "Tools", "Training", "Budget"]
    assert [t["writeup"]["status"] for t in themes] == ["published", None, None, None]
    training = themes[2]
    assert training["writeup"] == {"status": None, "markdown": ""}
    assert (training["clusters"], training["notes"]) == ([], [])
    assert training["prompt"] == "How do we help staff?"
