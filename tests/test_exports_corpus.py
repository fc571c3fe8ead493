"""An event like the launch's, with every kind of note a report must show or leave out, and a corpus
of hostile text (script, markup, links, spreadsheet formulas) sent through all six formats."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from docx import Document
from markdown_it import MarkdownIt
from pypdf import PdfReader

from facilitate.exports.formats import export
from facilitate.exports.pdf import printable
from facilitate.models import Phase, Role
from facilitate.services import (
    clusters,
    moderation,
    notes,
    participants,
    phases,
    themes,
    votes,
    writeups,
)
from facilitate.services.themes import ThemeSettings
from tests.support.corpus import HOSTILE
from tests.support.factories import make_event, make_theme, make_user

FORMATS = ["md", "html", "pdf", "docx", "csv", "json"]
SECRETS = ["HIDDEN-SECRET", "PENDING-SECRET", "DELETED-SECRET", "MERGED-DUPLICATE-SECRET"]


@dataclass
class Launch:
    """The event and what a reader of its report must (and must not) find."""

    event: object
    organiser: object
    facilitator: object
    tactics: object
    trust: object
    training: object
    visible: list[str] = field(default_factory=list)
    notes: dict = field(default_factory=dict)


def person(event, name=None):
    return participants.join(event, None, name)[0]


def say(theme, text, kind="idea", name=None, who=None):
    note, _ = notes.post_note(
        theme, who or person(theme.event, name), str(uuid.uuid4()), text, kind
    )
    return note


def build_launch(hostile: list[str] | None = None) -> Launch:
    """Tactics (clustered, published write-up), Trust (draft), Training (no notes)."""
    organiser = make_user(Role.ORGANISER, email="olive@example.org", name="Olive Organiser")
    facilitator = make_user(Role.FACILITATOR, email="andy@example.org", name="Andy Facilitator")
    sam = make_user(Role.FACILITATOR, email="sam@example.org", name="Sam Patel")
    event = make_event(
        organiser, "Best by West Midlands launch", date=date(2026, 11, 23), venue="Council House"
    )
    tactics = make_theme(event, "Tactics", [sam], prompt="What works online?")
    trust = make_theme(event, "Trust", [facilitator], prompt="How do we build trust?")
    training = make_theme(event, "Training", [sam], prompt="How do we help staff?")
    launch = Launch(event, organiser, facilitator, tactics, trust, training)
    _fill_tactics(launch)
    _fill_trust(launch, hostile or [])
    return launch


def _fill_tactics(launch: Launch) -> None:
    theme = launch.tactics
    timing = clusters.add_cluster(theme, "Timing and format")
    together = clusters.add_cluster(theme, "Working together")
    n = launch.notes
    n["evenings"] = say(theme, "Post in the evenings when residents are online", name="Priya")
    n["video"] = say(theme, "Short videos beat press releases\nespecially for bin changes")
    n["platforms"] = say(theme, "Which platforms are worth a small team's time?", "question")
    n["calendar"] = say(theme, "Share one content calendar across departments", "action")
    n["voice"] = say(theme, "Trust them to speak for themselves", "quote", name="Lee")
    n["duplicate"] = say(theme, "MERGED-DUPLICATE-SECRET evenings are best")
    n["hidden"] = say(theme, "HIDDEN-SECRET rude remark")
    deleter = person(launch.event)
    n["deleted"] = say(theme, "DELETED-SECRET changed my mind", who=deleter)
    for key in ("evenings", "video"):
        clusters.move_note(n[key].id, theme, timing.id)
    for key in ("calendar", "voice"):
        clusters.move_note(n[key].id, theme, together.id)
    for _ in range(3):
        votes.toggle_vote(n["evenings"].id, person(launch.event))
    moderation.merge_note(n["duplicate"].id, n["evenings"].id, theme)
    moderation.moderate_note(n["hidden"].id, theme, "hide")
    notes.delete_note(n["deleted"].id, deleter)
    themes.update_settings(theme, ThemeSettings(approval_required=True))
    n["pending"] = say(theme, "PENDING-SECRET waiting for approval")
    launch.visible += [
        "Post in the evenings when residents are online",
        "Short videos beat press releases",
        "especially for bin changes",
        "Which platforms are worth a small team's time?",
        "Share one content calendar across departments",
        "Trust them to speak for themselves",
    ]
    body = (
        "# Tactics, written up\n\nEvenings work best [#{e}], and videos help [#{v}]. "
        "Someone said something rude [#{h}].\n\n## Working together\n\n- One calendar [#{c}]\n"
    ).format(e=n["evenings"].id, v=n["video"].id, h=n["hidden"].id, c=n["calendar"].id)
    writeups.compile_draft(theme, launch.organiser)
    writeups.save_writeup(theme, body, launch.organiser)
    writeups.publish_writeup(theme, launch.organiser)
    writeups.save_writeup(theme, body + "\nUNPUBLISHED-EDIT after publishing\n", launch.organiser)
    phases.set_phase(theme, Phase.CLOSED)


def _fill_trust(launch: Launch, hostile: list[str]) -> None:
    theme = launch.trust
    launch.notes["phone"] = say(theme, "We trust staff with the telephone already", name="Rob")
    launch.visible.append("We trust staff with the telephone already")
    for text in hostile:
        launch.notes[text] = say(theme, text, name="=cmd|' /C calc'!A0")
        launch.visible.append(text)
    writeups.save_writeup(
        theme,
        "# Trust, a draft\n\nStaff should be trusted [#{p}].\n".format(p=launch.notes["phone"].id),
        launch.facilitator,
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return flat(" ".join(parts))


class Elements(HTMLParser):
    """Every start tag with its attributes, and the visible text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse_html(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def visible_text(data: bytes, fmt: str) -> str:
    """What a reader of the file sees, read with the tool a reader would use."""
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "docx":
        return docx_text(data)
    if fmt == "html":
        return flat(" ".join(parse_html(data.decode()).text))
    if fmt == "md":
        return flat(" ".join(parse_html(MarkdownIt("commonmark").render(data.decode())).text))
    if fmt == "csv":
        return flat(
            " ".join(" ".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        )
    return flat(" ".join(strings(json.loads(data))))


def strings(value) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.fixture
def hostile_launch(app):
    return build_launch(HOSTILE)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_reads_as_written_and_stays_inert(hostile_launch, fmt):
    data = export(hostile_launch.event, fmt).data
    seen = visible_text(data, fmt)
    for text in HOSTILE:
        expected = text
        if fmt == "csv" and text[0] in "=+-@\uff1d":
            expected = "'" + text
        if fmt == "pdf":
            expected = printable(text)  # a symbol the typeface lacks is written as its name
        assert flat(expected) in seen, (fmt, text)
    for secret in SECRETS:
        assert secret not in seen
    INERT[fmt](data)


def _inert_html(data: bytes) -> None:
    elements = parse_html(data.decode())
    names = [tag for tag, _ in elements.tags]
    assert "script" not in names
    assert "img" not in names
    assert "iframe" not in names
    for tag, attributes in elements.tags:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        assert "evil.example" not in attributes.get("href", "")
        assert "evil.example" not in attributes.get("src", "")
        assert not attributes.get("href", "").startswith("javascript")


def _inert_markdown(data: bytes) -> None:
    source = data.decode()
    for renderer in (MarkdownIt("commonmark"), MarkdownIt("gfm-like")):
        _inert_html(renderer.render(source).encode())
    # None of the hostile notes made a heading of its own.
    assert not re.search(r"^#+ Not a heading", source, re.M)


def _inert_pdf(data: bytes) -> None:
    assert b"/JavaScript" not in data
    assert b"/JS " not in data
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                assert "evil" not in str(action.get_object().get("/URI", ""))


def _inert_docx(data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    relations = archive.read("word/_rels/document.xml.rels").decode()
    assert "evil.example" not in relations
    assert "javascript" not in relations
    body = archive.read("word/document.xml").decode()
    assert "<w:hyperlink" not in body
    assert "instrText" not in body
    assert "HYPERLINK" not in re.sub(r"<w:t[^>]*>[^<]*</w:t>", "", body)


def _inert_csv(data: bytes) -> None:
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")), cell


def _inert_json(data: bytes) -> None:
    texts = [n["text"] for theme in json.loads(data)["themes"] for n in theme["notes"]]
    assert set(HOSTILE) <= set(texts)  # data stays data, exactly as typed


INERT = {
    "html": _inert_html,
    "md": _inert_markdown,
    "pdf": _inert_pdf,
    "docx": _inert_docx,
    "csv": _inert_csv,
    "json": _inert_json,
}
