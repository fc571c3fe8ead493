"""What a reader of each document notices: a CSV that Excel opens with its curly quotes intact, one
correct Content-Type per download, a theme with nothing to read folded into one line, "draft" only
for a written draft, and a Word file that screen readers, Word's navigation pane and LibreOffice
understand. (The JSON export's schema: test_exports_schema.py.)"""

from __future__ import annotations

import io
import itertools
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from facilitate.exports.formats import export
from facilitate.exports.report import build_report
from facilitate.models import Role
from facilitate.services import writeups
from tests.support import environment
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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def word(launch):
    """The launch's Word file, Trust's draft starting at ``###`` and holding a table."""
    body = (
        "### Straight to detail\n\n| Who | What |\n| --- | --- |\n| Staff | Phones |\n\n"
        "Staff should be trusted [#{p}].\n"
    ).format(p=launch.notes["phone"].id)
    writeups.save_writeup(launch.trust, body, launch.facilitator)
    data = export(launch.event, "docx").data
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: ElementTree.fromstring(archive.read(name)) for name in WORD_PARTS}
    return data, parts


WORD_PARTS = ("word/document.xml", "word/styles.xml", "docProps/core.xml")


def test_word_pictures_have_alternative_text_with_the_charts_numbers(launch, word):
    _, parts = word
    drawings = parts["word/document.xml"].iter(f"{WP}docPr")
    described = [(d.get("name"), d.get("title"), d.get("descr")) for d in drawings]
    assert len(described) == 1
    ((name, title, descr),) = described
    assert not name.startswith("Picture")
    assert title == "Notes and votes per theme"
    assert descr == (
        "Bar chart of notes and votes per theme. Tactics: 5 notes, 3 votes. "
        "Trust: 2 notes, 0 votes. Training: 0 notes, 0 votes."
    )
    for picture in parts["word/document.xml"].iter(f"{PIC}cNvPr"):
        assert picture.get("descr") == descr


def test_word_says_the_document_is_in_british_english(launch, word):
    _, parts = word
    styles = parts["word/styles.xml"]
    language = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert language.get(f"{W}val") == "en-GB"
    assert "en-US" not in {
        v for element in styles.iter(f"{W}lang") for v in element.attrib.values()
    }
    core = parts["docProps/core.xml"]
    assert core.findtext(f"{DC}title") == build_report(launch.event).title
    assert core.findtext(f"{DC}subject") == "Feedback from discussions"
    assert core.findtext(f"{DC}language") == "en-GB"


def test_word_headings_are_built_in_headings_in_outline_order(word):
    _, parts = word
    names = {
        style.get(f"{W}styleId"): style.find(f"{W}name").get(f"{W}val")
        for style in parts["word/styles.xml"].iter(f"{W}style")
    }
    levels = []
    for paragraph in parts["word/document.xml"].iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val").startswith("Heading"):
            style_id = style.get(f"{W}val")
            assert names[style_id] == f"heading {style_id[-1]}"  # Word's own, not a look-alike
            levels.append(int(style_id[-1]))
    assert levels[0] == 1
    assert set(levels) == {1, 2, 3}
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels  # no level skipped in the navigation pane


def test_every_word_table_has_its_first_row_marked_as_header(word):
    _, parts = word
    tables = list(parts["word/document.xml"].iter(f"{W}tbl"))
    assert len(tables) == 2  # the figures, and the table in Trust's write-up
    for table in tables:
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}tblHeader") is None for row in rows[1:])


@pytest.mark.slow
def test_libreoffice_opens_the_word_file(word, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        environment.missing("LibreOffice is not installed (soffice)")
    data, _ = word
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = flat(" ".join(p.extract_text() for p in PdfReader(tmp_path / "report.pdf").pages))
    assert "Best by West Midlands launch" in text
    assert "Straight to detail" in text
