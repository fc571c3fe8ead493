"""The PDF report is tagged for PDF/UA-1, read back with tools that did not write it: pikepdf walks
the structure tree, poppler's pdfinfo and pdftotext read it as a viewer does, and the pdfua checker
runs its machine-checkable subset of PDF/UA-1. One report, with a published write-up, a draft and
an empty theme, laid out in worker processes as a large report is (so its parts are joined).

The HTML export of the same event, with a fourth theme, is read back with an HTML parser for the
same structure (language, headings in order, the chart as a described image whose numbers are in
a table too, no script), and axe-core checks it in Chromium."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from facilitate.exports import pdf_parts
from facilitate.exports.formats import export
from facilitate.exports.html import headings_in_order
from facilitate.exports.pdf import base_url
from facilitate.exports.pdf_worker import render_part
from facilitate.services import votes, writeups
from tests.support import environment
from tests.support.browsers import axe_violations
from tests.support.factories import make_theme
from tests.test_exports_corpus import build_launch, flat, person, say


@pytest.fixture
def launch(app):
    return build_launch()


@pytest.fixture
def report_pdf(launch, monkeypatch, tmp_path) -> Path:
    pdf_parts.forget()
    monkeypatch.setattr(pdf_parts, "PARALLEL_FROM", 0)
    monkeypatch.setattr(pdf_parts.os, "cpu_count", lambda: 2)
    path = tmp_path / "report.pdf"
    path.write_bytes(export(launch.event, "pdf").data)
    return path


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in reading order."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        if "/S" in element:
            found.append(element)
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend(
            kid
            for kid in reversed(list(kids))
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR"
        )
    return found


def kinds(pdf: pikepdf.Pdf) -> list[str]:
    return [str(element.S) for element in elements(pdf)]


def checker():
    try:
        import pdfua
    except ImportError:
        environment.missing("the pdfua checker is not installed (pip install -e '.[test]')")
    return pdfua


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        environment.missing(f"{name} is not installed (apt-get install poppler-utils)")
    return path


def test_the_catalog_says_tagged_in_british_english_with_its_title_shown(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == "Best by West Midlands launch: feedback from discussions"
        assert [str(kid.S) for kid in root.StructTreeRoot.K] == ["/Document"]


def test_the_xmp_metadata_names_pdf_ua_1_and_the_title(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        metadata = pdf.open_metadata()
        assert metadata["pdfuaid:part"] == "1"
        assert metadata["dc:title"] == "Best by West Midlands launch: feedback from discussions"
        assert float(pdf.pdf_version) >= 1.7


def test_headings_run_from_h1_down_without_skipping_a_level(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        levels = [int(kind[2]) for kind in kinds(pdf) if re.fullmatch(r"/H[1-6]", kind)]
    assert levels[0] == 1
    assert levels.count(1) == 1  # the report's title, once
    assert {1, 2, 3} <= set(levels)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_one_structure_tree_for_all_parts_and_every_mark_in_it(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        tree = pdf.Root.StructTreeRoot
        in_tree = {element.objgen for element in elements(pdf)}
        assert sum(kind == "/Part" for kind in kinds(pdf)) == 3  # the cover and two themes
        nums = tree.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys))
        assert int(tree.ParentTreeNextKey) == keys[-1] + 1
        parents = dict(zip(keys, [nums[i] for i in range(1, len(nums), 2)], strict=True))
        for page in pdf.pages:
            marks = parents[int(page.StructParents)]
            assert len(marks) > 0
            assert all(mark is None or mark.objgen in in_tree for mark in marks)


def test_tables_have_scoped_header_cells_and_notes_are_lists(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        found = elements(pdf)
        headers = [e for e in found if e.S == "/TH"]
        assert any(e.S == "/Table" for e in found)
        assert {str(e.A.Scope) for e in headers} == {"/Column", "/Row"}
        assert len({str(e.ID) for e in headers}) == len(headers)
        names = pdf.Root.StructTreeRoot.IDTree.Names
        ids = [str(names[i]) for i in range(0, len(names), 2)]
        assert ids == sorted(ids)
        assert set(ids) == {str(e.ID) for e in headers}
        items = [e for e in found if e.S == "/LI"]
        assert len(items) >= 8  # the contents, the cited notes and every note of the discussion


def test_the_chart_is_a_figure_whose_alternative_text_gives_its_numbers(launch, report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        (figure,) = [e for e in elements(pdf) if e.S == "/Figure"]
        alt = str(figure.Alt)
    assert alt.startswith("Bar chart of notes and votes per theme.")
    for theme in (launch.tactics, launch.trust, launch.training):
        assert re.search(rf"{theme.title}: \d+ notes?, \d+ votes?[;.]", alt), alt
    assert "Training: 0 notes, 0 votes." in alt


def test_every_link_is_tagged_and_says_where_it_goes(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        links = [
            a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"
        ]
        assert links
        for link in links:
            assert len(str(link.Contents)) > 8, link.Contents
            assert parents[int(link.StructParent)].S == "/Link"
        assert any(str(link.Contents).startswith("Cited note 1") for link in links)


def test_page_numbers_are_pagination_artifacts(report_pdf):
    with pikepdf.open(report_pdf) as pdf:
        for page in list(pdf.pages)[1:]:
            operators = pikepdf.parse_content_stream(page)
            marks = [(str(op), list(operands)) for operands, op in operators if str(op) == "BDC"]
            kinds_of_marks = {str(operands[0]) for _op, operands in marks}
            assert "/Artifact" in kinds_of_marks
            last = next(op for op in reversed(marks) if str(op[1][0]) == "/Artifact")
            assert str(last[1][1].Type) == "/Pagination"


def test_pdfinfo_says_tagged(report_pdf):
    out = subprocess.run(
        [tool("pdfinfo"), str(report_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", out, re.M), out
    assert re.search(r"^Metadata Stream:\s+yes$", out, re.M), out


def test_pdftotext_reads_the_draft_mark_as_one_word(report_pdf):
    text = subprocess.run(
        [tool("pdftotext"), str(report_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "D RAFT" not in text
    assert "DRAFT This write-up is not published yet." in text
    assert "THEME 1" in text


def test_the_pdfua_checker_finds_nothing(report_pdf):
    pdfua = checker()
    report = pdfua.validate(str(report_pdf))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    run = {o.rule_id for o in report.outcomes if not o.skipped}
    # Structure tree, MarkInfo, content tagged or artifact, language, figure alt, tables, links
    # and their descriptions, title: the checks that matter here all ran.
    for rule in ("UA-01-005", "UA-01-002", "UA-01-003", "UA-06-001", "UA-13-004", "UA-15-003"):
        assert rule in run
    for rule in ("UA-18-005", "UA-07-002", "UA-28-004"):
        assert rule in run


def test_the_pdfua_checker_does_catch_an_untagged_pdf(tmp_path):
    pdfua = checker()
    untagged = tmp_path / "untagged.pdf"
    untagged.write_bytes(render_part("<p>Hello</p>", base_url(), tagged=False)[0])
    rules = {f.rule_id for f in pdfua.validate(str(untagged)).findings}
    assert {"UA-01-005", "UA-01-002"} <= rules


def test_heading_levels_are_renumbered_only_where_they_would_skip():
    html = "<h2>A</h2><h4 class='x'>B</h4><h3>C</h3><h6>D</h6><h2>E</h2>"
    assert headings_in_order(html, after=1) == (
        "<h2>A</h2><h3 class='x'>B</h3><h3>C</h3><h4>D</h4><h2>E</h2>"
    )
    assert headings_in_order("<h1>T</h1><h2>U</h2>") == "<h1>T</h1><h2>U</h2>"
    assert headings_in_order("<h3>Only</h3>") == "<h1>Only</h1>"


def test_a_part_on_its_own_is_tagged_with_its_footers_as_artifacts():
    html = (
        '<html lang="en-GB"><head><title>T</title><style>@page { @bottom-left { content: '
        '"Footer" } }</style></head><body><h1>T</h1><p><a href="#x">here</a></p>'
        '<p id="x">There</p></body></html>'
    )
    data, pages = render_part(html, base_url())
    assert pages == 1
    with pikepdf.open(io.BytesIO(data)) as pdf:
        content = pdf.pages[0].obj.Contents.read_bytes()
        assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in content
        (link,) = pdf.pages[0].Annots
        assert str(link.Contents) == "here, elsewhere in this report"


# The HTML export, read back with an HTML parser.

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass
class Node:
    """An element of the parsed page, with its children (elements and text) in order."""

    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return flat("".join(c if isinstance(c, str) else c.text() for c in self.children))

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def all(self, *tags: str) -> list[Node]:
        return [node for node in self.walk() if node.tag in tags]


class TreeBuilder(HTMLParser):
    """The page as a tree; an end tag that closes anything but the open element fails."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag not in VOID:
            closed = self.open.pop()
            assert closed.tag == tag, f"</{tag}> closes <{closed.tag}>"

    def handle_data(self, data):
        self.open[-1].children.append(data)


def read_html(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert [node.tag for node in builder.open] == ["#document"], "elements left open"
    return builder.root


def counted(count: int, word: str) -> str:
    return f"{count:,} {word if count == 1 else word + 's'}"


def stats_table(document: Node) -> dict[str, tuple[int, int, int]]:
    """The table at a glance: participants, notes and votes by theme, from its body rows."""
    (table,) = document.all("table")
    rows = {}
    for row in table.all("tbody")[0].all("tr"):
        header, *cells = [cell for cell in row.children if isinstance(cell, Node)]
        rows[header.text()] = tuple(int(cell.text().replace(",", "")) for cell in cells)
    return rows


def heading_problems(document: Node) -> list[str]:
    levels = [int(node.tag[1]) for node in document.all(*HEADINGS)]
    problems = [] if levels[:1] == [1] and levels.count(1) == 1 else [f"not one h1 first: {levels}"]
    problems += [f"h{a} then h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]
    return problems


def chart_problems(document: Node) -> list[str]:
    """The chart must be an image named by its <title> and described by its <desc>, which between
    them give every theme's notes and votes as the table does."""
    (svg,) = document.all("svg")
    if svg.attrs.get("role") != "img":
        return ["the chart is not role=img"]
    found = {node.attrs.get("id"): node for node in svg.children if isinstance(node, Node)}
    title, desc = (
        found.get(svg.attrs.get("aria-labelledby")),
        found.get(svg.attrs.get("aria-describedby")),
    )
    if title is None or title.tag != "title" or desc is None or desc.tag != "desc":
        return ["the chart is not labelled by its <title> and described by its <desc>"]
    words = f"{title.text()} {desc.text()}"
    return [
        f"the chart does not say {theme}: {counted(notes, 'note')}, {counted(votes, 'vote')}"
        for theme, (_people, notes, votes) in stats_table(document).items()
        if f"{theme}: {counted(notes, 'note')}, {counted(votes, 'vote')}." not in words
    ]


def table_problems(document: Node) -> list[str]:
    (table,) = document.all("table")
    problems = [
        f"<th> without scope: {th.text()}"
        for th in table.all("th")
        if th.attrs.get("scope") not in ("col", "row")
    ]
    if {th.attrs.get("scope") for th in table.all("thead")[0].all("th")} != {"col"}:
        problems.append("the header row's cells are not scope=col")
    for row in table.all("tbody")[0].all("tr"):
        first = next(cell for cell in row.children if isinstance(cell, Node))
        if first.tag != "th" or first.attrs.get("scope") != "row":
            problems.append(f"a row without a row header: {row.text()}")
    return problems


def script_problems(document: Node) -> list[str]:
    problems = [f"<{n.tag}>" for n in document.all("script", "iframe", "object", "embed")]
    for node in document.walk():
        for name, value in node.attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                problems.append(f"<{node.tag} {name}>")
    return problems


def html_problems(html: str) -> list[str]:
    """What would keep a screen reader's user from the page's structure, one line each."""
    document = read_html(html)
    (root,) = document.all("html")
    problems = [] if root.attrs.get("lang") else ["<html> has no lang"]
    for check in (heading_problems, chart_problems, table_problems, script_problems):
        problems += check(document)
    return problems


@pytest.fixture
def report_html(launch, tmp_path) -> Path:
    """The launch's HTML export, with a fourth theme whose published write-up is plain paragraphs
    (no heading of its own) citing a note, as many facilitators write."""
    transport = make_theme(launch.event, "Transport", [launch.facilitator], prompt="Getting here?")
    late = say(transport, "The last bus home leaves at ten", name="Dee")
    say(transport, "Car sharing from the park and ride", "action")
    votes.toggle_vote(late.id, person(launch.event))
    writeups.save_writeup(transport, f"Buses stop too early [#{late.id}].\n", launch.organiser)
    writeups.publish_writeup(transport, launch.organiser)
    path = tmp_path / "report.html"
    path.write_bytes(export(launch.event, "html").data)
    return path


def test_the_html_export_has_the_structure_a_screen_reader_needs(report_html):
    html = report_html.read_text(encoding="utf-8")
    assert html_problems(html) == []
    document = read_html(html)
    assert document.all("html")[0].attrs["lang"] == "en-GB"
    headings = [(node.tag, node.text()) for node in document.all(*HEADINGS)]
    assert headings[0] == ("h1", "Best by West Midlands launch")
    for theme in ("Tactics", "Trust", "Transport"):
        assert ("h2", theme) in headings
    transport = headings[headings.index(("h2", "Transport")) :]
    assert transport[1:3] == [("h3", "Notes cited"), ("h3", "Notes from the discussion")]
    assert stats_table(document) == {
        "Tactics": (12, 5, 3),
        "Trust": (1, 1, 0),
        "Training": (0, 0, 0),
        "Transport": (3, 2, 1),
    }
    (desc,) = document.all("desc")
    assert "Tactics: 5 notes, 3 votes. Trust: 1 note, 0 votes." in desc.text()
    assert "Training: 0 notes, 0 votes. Transport: 2 notes, 1 vote." in desc.text()


TAMPERED = [
    (r'<html lang="en-GB">', "<html>", "<html> has no lang"),
    (r'<h2 id="glance-title"([^>]*)>(.*?)</h2>', r"<h4\1>\2</h4>", "h2 then h4"),
    (r'<h2 class="theme__title"([^>]*)>(.*?)</h2>', r"<h1\1>\2</h1>", "not one h1 first"),
    (r' role="img"', "", "the chart is not role=img"),
    (r' aria-describedby="chart-desc"', "", "not labelled by its <title> and described"),
    (r"(<desc[^>]*>.*?)Tactics: 5 notes", r"\1Tactics: 50 notes", "does not say Tactics: 5"),
    (r'<th scope="row">Trust</th>', "<th>Trust</th>", "<th> without scope: Trust"),
    (r"</main>", "</main><script>alert(1)</script>", "<script>"),
    (r'<main class="report__page">', '<main class="report__page" onclick="go()">', "onclick"),
]


@pytest.mark.parametrize(("pattern", "replacement", "problem"), TAMPERED)
def test_the_html_checks_catch_a_page_that_breaks_them(report_html, pattern, replacement, problem):
    html = report_html.read_text(encoding="utf-8")
    tampered, changed = re.subn(pattern, replacement, html, count=1, flags=re.S)
    assert changed == 1
    assert any(problem in found for found in html_problems(tampered)), html_problems(tampered)


@pytest.mark.browser
def test_axe_finds_no_wcag_violation_in_the_html_export(report_html, new_page):
    page = new_page("laptop")
    page.goto(report_html.as_uri())
    assert axe_violations(page) == []
    assert page.errors == []
