"""Golden structure of every format, read with the tools a reader uses: every visible note and
write-up is there, no hidden, pending, deleted or merged-away note is, and the parts are real
headings, lists, tables, bookmarks. The command line gives the web download's bytes."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from docx import Document
from markdown_it import MarkdownIt
from pypdf import PdfReader
from sqlalchemy import event as sa_event

from facilitate.exports import command, pdf_parts
from facilitate.exports.csv import COLUMNS
from facilitate.exports.formats import export
from facilitate.exports.report import build_report
from facilitate.extensions import db
from facilitate.models import Role
from facilitate.payloads import note_payload
from tests.support.factories import make_user
from tests.test_exports_corpus import (
    FORMATS,
    SECRETS,
    build_launch,
    docx_text,
    flat,
    parse_html,
    visible_text,
)

PUBLISHED = "Tactics, written up"
DRAFTED = "Trust, a draft"


@pytest.fixture
def launch(app):
    return build_launch()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_holds_every_visible_note_and_write_up_and_nothing_hidden(launch, fmt):
    seen = visible_text(export(launch.event, fmt).data, fmt)
    for text in launch.visible:
        assert flat(text) in seen, (fmt, text)
    for secret in [*SECRETS, "UNPUBLISHED-EDIT"]:
        assert secret not in seen, (fmt, secret)
    if fmt != "csv":
        assert PUBLISHED in seen
        assert DRAFTED in seen
        assert "Best by West Midlands launch" in seen


def test_markdown_has_the_report_structure(launch):
    source = export(launch.event, "md").data.decode()
    lines = source.splitlines()
    assert lines[0] == "# Best by West Midlands launch"
    assert [line for line in lines if line.startswith("## ")] == [
        "## Contents",
        "## At a glance",
        "## Tactics",
        "## Trust",
    ]
    assert "3. Training: no notes were posted" in lines  # nothing to read: one line, no section
    assert "### Tactics, written up" in lines  # the write-up's own heading, below its theme
    assert "#### Timing and format" in lines
    tactics, trust = source.split("\n## Trust\n")
    assert "**DRAFT**" in trust
    assert "**DRAFT**" not in tactics.split("## Tactics")[1]
    assert "raised by 2 people" in tactics
    # Citations became footnotes to the cited notes; the hidden note's citation vanished.
    assert "[^t1-1]: Post in the evenings when residents are online" in source
    html = MarkdownIt("commonmark").enable("table").render(source)
    assert "<table>" in html
    assert html.count("<h2>") == 4


def test_html_is_one_standalone_file_that_prints(launch):
    html = export(launch.event, "html").data.decode()
    elements = parse_html(html)
    tags = [tag for tag, _ in elements.tags]
    assert tags.count("h1") == 1
    assert "style" in tags
    assert "svg" in tags
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    assert not any("src" in attributes for _, attributes in elements.tags)
    assert "@media print" in html
    sections = [a["id"] for tag, a in elements.tags if tag == "section" and "id" in a]
    assert sections[:2] == [f"theme-{t.id}" for t in (launch.tactics, launch.trust)]
    assert f"theme-{launch.training.id}" not in sections
    tactics = html.split('id="theme-2"')[0]
    assert "draft-flag" not in tactics.split('id="theme-1"')[1]
    assert 'class="cite"' in tactics
    assert f'id="t1-cited-{launch.notes["evenings"].id}"' in tactics


def test_pdf_is_a4_with_bookmarks_page_numbers_and_fixed_metadata(launch):
    data = export(launch.event, "pdf").data
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages >= 3
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    titles = [item.title for item in _outline(reader.outline)]
    for title in (
        "Best by West Midlands launch",
        "Tactics",
        "Trust",
        "Tactics, written up",
    ):
        assert title in titles
    assert "Training" not in titles  # no notes, no write-up: a line on the cover, not a page
    assert "Training: no notes were posted" in flat(reader.pages[0].extract_text())
    assert "Timing and format (2 notes)" in titles
    second = flat(reader.pages[1].extract_text())
    assert f"Page 2 of {pages}" in second
    trust_page = next(p for p in reader.pages if "Trust, a draft" in p.extract_text())
    assert "DRAFT" in trust_page.extract_text()
    stamp = build_report(launch.event).updated_at.strftime("D:%Y%m%d%H%M%S")
    assert reader.metadata["/CreationDate"].startswith(stamp)
    assert reader.metadata["/ModDate"].startswith(stamp)
    assert reader.metadata["/Producer"] == "Facilitate"
    assert export(launch.event, "pdf").data == data  # same report, same bytes


def _outline(items):
    for item in items:
        if isinstance(item, list):
            yield from _outline(item)
        else:
            yield item


def test_pdf_laid_out_by_worker_processes_is_the_same_file(launch, monkeypatch):
    pdf_parts.forget()
    here = export(launch.event, "pdf").data
    pdf_parts.forget()  # or the parts would come from the cache, not from the workers
    monkeypatch.setattr(pdf_parts, "PARALLEL_FROM", 0)
    monkeypatch.setattr(pdf_parts.os, "cpu_count", lambda: 2)
    assert export(launch.event, "pdf").data == here


def test_pdf_lays_out_again_only_the_parts_that_changed(launch, monkeypatch):
    pdf_parts.forget()
    first = export(launch.event, "pdf").data
    laid_out = []
    original = pdf_parts._lay_out
    monkeypatch.setattr(
        pdf_parts, "_lay_out", lambda jobs, *a: laid_out.append(len(jobs)) or original(jobs, *a)
    )
    assert export(launch.event, "pdf").data == first
    assert laid_out == [0, 0]  # the draft cover with the themes, then the cover: all cached
    launch.trust.title = "Trust, renamed"
    db.session.commit()
    assert export(launch.event, "pdf").data != first
    # The theme, its footer and the cover (its contents, table and chart) changed; Tactics did not.
    assert laid_out[2:] == [2, 1]


def test_docx_has_real_headings_lists_and_tables(launch):
    data = export(launch.event, "docx").data
    document = Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings[:2] == ["Contents", "At a glance"]
    assert headings[2:] == ["Tactics", "Trust"]
    bullets = [text for style, text in styled if style == "List Bullet"]
    assert any(text.startswith("Post in the evenings") for text in bullets)
    assert any("raised by 2 people" in text for text in bullets)
    assert ("Heading 2", "Tactics, written up") in styled
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Theme", "Participants", "Notes", "Votes"]
    assert [r.cells[0].text for r in table.rows[1:]] == [
        "Tactics",
        "Trust",
        "Training",
        "All themes",
    ]
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    updated = build_report(launch.event).updated_at.replace(microsecond=0, tzinfo=None)
    assert document.core_properties.created.replace(tzinfo=None) == updated
    assert document.core_properties.modified.replace(tzinfo=None) == updated
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert dates == {(*updated.timetuple()[:5], updated.second - updated.second % 2)}
    assert "DRAFT" in docx_text(data).split("Trust, a draft")[0].split("Trust")[-1]
    assert export(launch.event, "docx").data == data


def test_csv_has_one_row_per_exported_note(launch):
    rows = list(csv.DictReader(io.StringIO(export(launch.event, "csv").data.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(launch.visible) - 1  # one note has two lines
    evenings = next(r for r in rows if r["text"].startswith("Post in the evenings"))
    assert evenings["event"] == "Best by West Midlands launch"
    assert (evenings["theme"], evenings["cluster"], evenings["kind"]) == (
        "Tactics",
        "Timing and format",
        "idea",
    )
    assert (evenings["author"], evenings["votes"], evenings["people"]) == ("Priya", "3", "2")
    assert evenings["created_at"].endswith("Z")


def test_json_has_the_contract_shape(launch):
    data = json.loads(export(launch.event, "json").data)
    assert data["event"]["title"] == "Best by West Midlands launch"
    assert data["event"]["date"] == "2026-11-23"
    themes = data["themes"]
    assert [t["title"] for t in themes] == ["Tactics", "Trust", "Training"]
    assert [t["writeup"]["status"] for t in themes] == ["published", "draft", None]
    assert themes[0]["writeup"]["markdown"].startswith("# Tactics, written up")
    assert themes[2]["writeup"]["markdown"] == ""
    assert themes[0]["facilitators"] == ["Sam Patel"]
    tactics = themes[0]
    assert [c["title"] for c in tactics["clusters"]] == ["Timing and format", "Working together"]
    evenings = db.session.get(type(launch.notes["evenings"]), launch.notes["evenings"].id)
    assert tactics["clusters"][0]["notes"][0] == note_payload(evenings, public=True)
    assert tactics["clusters"][0]["notes"][0]["people"] == 2
    ids = {n["id"] for n in tactics["notes"]}
    assert {n["id"] for c in tactics["clusters"] for n in c["notes"]} <= ids
    assert len(tactics["notes"]) == 5
    assert all(n["status"] == "visible" for n in tactics["notes"])
    hidden = {launch.notes[k].id for k in ("hidden", "pending", "deleted", "duplicate")}
    assert not ids & hidden


@pytest.mark.parametrize("fmt", FORMATS)
def test_command_line_gives_the_web_download_byte_for_byte(
    launch, client, auth, runner, tmp_path, fmt
):
    auth.login(launch.organiser)
    response = client.get(f"/events/{launch.event.slug}/report.{fmt}")
    assert response.status_code == 200
    name = f"best-by-west-midlands-launch-feedback.{fmt}"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    target = tmp_path / name
    result = runner.invoke(
        args=["export", launch.event.slug, "--format", fmt, "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == response.data
    if fmt in ("md", "csv", "json", "html"):
        printed = runner.invoke(args=["export", launch.event.slug, "--format", fmt])
        assert printed.stdout_bytes == response.data


def test_command_line_shows_progress_for_a_long_export_and_names_problems(
    launch, runner, tmp_path, monkeypatch
):
    monkeypatch.setattr(command, "PROGRESS_FROM", 1)
    result = runner.invoke(
        args=["export", launch.event.slug, "--format", "docx", "--output", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == 0, result.output
    assert "Exporting 6 notes as DOCX" in result.stderr
    missing = runner.invoke(args=["export", "no-such-event", "--format", "pdf"])
    assert missing.exit_code == 1
    assert "There is no event with the address “no-such-event”." in missing.output
    wrong = runner.invoke(args=["export", launch.event.slug, "--format", "odt"])
    assert wrong.exit_code == 2


def test_facilitators_download_their_own_theme_only(launch, client, auth):
    auth.login(launch.facilitator)
    own = client.get(f"/themes/{launch.trust.id}/report.json")
    assert own.status_code == 200
    assert "best-by-west-midlands-launch-trust-feedback.json" in own.headers["Content-Disposition"]
    assert [t["title"] for t in json.loads(own.data)["themes"]] == ["Trust"]
    assert client.get(f"/themes/{launch.tactics.id}/report.pdf").status_code == 403
    assert client.get(f"/events/{launch.event.slug}/report.pdf").status_code == 403
    assert client.get(f"/themes/{launch.trust.id}/report.exe").status_code == 404
    auth.logout()
    assert client.get(f"/themes/{launch.trust.id}/report.md").status_code == 302


def count_queries(call) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_report_takes_the_same_few_queries_whatever_the_number_of_notes(launch):
    from tests.test_exports_corpus import say

    db.session.expire_all()
    few = count_queries(lambda: build_report(launch.event))
    for number in range(30):
        say(launch.trust, f"Another point, number {number}", name=f"Person {number}")
    make_user(Role.FACILITATOR)
    db.session.expire_all()
    many = count_queries(lambda: build_report(launch.event))
    assert many == few <= 12
