"""Writing Word paragraphs quickly, and write-up Markdown as real Word structure.

python-docx's ``add_paragraph`` looks its style up by name and searches the body for every new
paragraph, which takes seconds for ten thousand notes; this writer builds the same elements
directly and keeps the insertion point. All text goes into text runs, so nothing people typed can
become a field, a link or markup.
"""

from __future__ import annotations

import re

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from .. import markdown as md

#: Characters XML 1.0 cannot hold (python-docx would refuse the whole document).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
MONOSPACE = "Courier New"


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class Writer:
    """Appends paragraphs to a python-docx ``Document`` in order."""

    def __init__(self, document):
        self.document = document
        self.anchor = document.element.body.sectPr
        self.heading_level = 0

    def heading(self, level: int, runs=(), *, page_break: bool = False):
        """A paragraph in Word's built-in "Heading N" style, never more than one level below the
        heading before it: the navigation pane and screen readers read the levels as an outline,
        and a write-up that starts at ``###`` must not leave a gap."""
        level = max(1, min(level, self.heading_level + 1, 9))
        self.heading_level = level
        return self.paragraph(f"Heading{level}", runs, page_break=page_break)

    def paragraph(self, style: str | None = None, runs=(), *, page_break: bool = False):
        p = OxmlElement("w:p")
        if style or page_break:
            properties = OxmlElement("w:pPr")
            if style:
                properties.append(OxmlElement("w:pStyle", {qn("w:val"): style}))
            if page_break:
                properties.append(OxmlElement("w:pageBreakBefore"))
            p.append(properties)
        for run in runs:
            p.append(run)
        self.anchor.addprevious(p)
        return p

    def numbered(self, p, num_id: int, level: int = 0) -> None:
        """Put paragraph ``p`` in list ``num_id`` (a list that restarts at 1)."""
        properties = p.find(qn("w:pPr"))
        numbering = OxmlElement("w:numPr")
        numbering.append(OxmlElement("w:ilvl", {qn("w:val"): str(level)}))
        numbering.append(OxmlElement("w:numId", {qn("w:val"): str(num_id)}))
        properties.append(numbering)

    def new_numbering(self) -> int:
        """A fresh numbering of the "List Number" style's kind, starting at 1."""
        numbering = self.document.part.numbering_part.element
        style = self.document.styles["List Number"].element
        abstract = numbering.num_having_numId(style.pPr.numPr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def hyperlink(self, url: str, runs) -> object:
        relation = self.document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink", {qn("r:id"): relation})
        for run in runs:
            link.append(run)
        return link


def run(
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    superscript: bool = False,
    mono: bool = False,
):
    """A text run; line breaks in ``text`` become Word line breaks."""
    r = OxmlElement("w:r")
    properties = _run_properties(style, bold, italic, strike, superscript, mono)
    if properties is not None:
        r.append(properties)
    for index, line in enumerate(xml_text(text).split("\n")):
        if index:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t", _PRESERVE)
        t.text = line
        r.append(t)
    return r


def _run_properties(style, bold, italic, strike, superscript, mono):
    if not (style or bold or italic or strike or superscript or mono):
        return None
    properties = OxmlElement("w:rPr")
    if style:
        properties.append(OxmlElement("w:rStyle", {qn("w:val"): style}))
    if mono:
        properties.append(
            OxmlElement("w:rFonts", {qn("w:ascii"): MONOSPACE, qn("w:hAnsi"): MONOSPACE})
        )
    for flag, tag in ((bold, "w:b"), (italic, "w:i"), (strike, "w:strike")):
        if flag:
            properties.append(OxmlElement(tag))
    if superscript:
        properties.append(OxmlElement("w:vertAlign", {qn("w:val"): "superscript"}))
    return properties


class MarkdownToWord:
    """Writes a write-up's Markdown as Word headings, paragraphs, lists, quotes and tables."""

    def __init__(self, writer: Writer, citations: md.Citations | None, heading_offset: int):
        self.writer = writer
        self.citations = citations
        self.offset = heading_offset
        self.lists: list[tuple[str, int | None]] = []
        self.quote = 0

    def write(self, source: str) -> None:
        tokens = md._md.parse(md.attach_citations(source))
        index = 0
        while index < len(tokens):
            index = self._block(tokens, index)

    def _block(self, tokens, index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            self.writer.heading(int(token.tag[1]) + self.offset, self._inline(tokens[index + 1]))
            return index + 3
        if kind == "paragraph_open":
            self._paragraph(tokens[index + 1])
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            self.lists.append(
                ("number", self.writer.new_numbering()) if ordered else ("bullet", None)
            )
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind in ("fence", "code_block"):
            self.writer.paragraph("NoSpacing", [run(token.content.rstrip("\n"), mono=True)])
        elif kind == "hr":
            self.writer.paragraph(None, [run("* * *")])
        elif kind == "table_open":
            return self._table(tokens, index)
        return index + 1

    def _paragraph(self, inline) -> None:
        runs = self._inline(inline)
        if self.lists:
            kind, num_id = self.lists[-1]
            depth = min(len(self.lists), 3)
            suffix = "" if depth == 1 else str(depth)
            if kind == "bullet":
                self.writer.paragraph(f"ListBullet{suffix}", runs)
            else:
                self.writer.numbered(self.writer.paragraph(f"ListNumber{suffix}", runs), num_id)
            return
        self.writer.paragraph("Quote" if self.quote else None, runs)

    def _inline(self, inline) -> list:
        runs, marks, link = [], {"bold": 0, "italic": 0, "strike": 0}, None
        for child in inline.children or []:
            kind = child.type
            if kind in ("strong_open", "em_open", "s_open", "strong_close", "em_close", "s_close"):
                mark = {"strong": "bold", "em": "italic", "s": "strike"}[kind.rsplit("_", 1)[0]]
                marks[mark] += 1 if kind.endswith("open") else -1
            elif kind == "link_open":
                link = (child.attrs.get("href", ""), [])
            elif kind == "link_close" and link is not None:
                runs.append(self._link(*link))
                link = None
            elif kind == "citation":
                runs.extend(self._citation(child.meta["ids"]))
            else:
                piece = self._text_run(child, marks)
                if piece is not None:
                    (link[1] if link else runs).append(piece)
        return runs

    def _text_run(self, child, marks):
        flags = {name: count > 0 for name, count in marks.items()}
        if child.type in ("text", "text_special"):
            return run(child.content, **flags)
        if child.type == "code_inline":
            return run(child.content, mono=True, **flags)
        if child.type == "softbreak":
            return run(" ")
        if child.type == "hardbreak":
            return run("\n")
        return None

    def _link(self, href: str, runs: list):
        if href.startswith(("http://", "https://", "mailto:")):
            return self.writer.hyperlink(href, runs)
        wrapper = OxmlElement("w:r")  # an anchor within the page: keep the words only
        for piece in runs:
            for t in piece.findall(qn("w:t")):
                wrapper.append(t)
        return wrapper

    def _citation(self, ids: list[int]) -> list:
        if self.citations is None:
            return []
        numbers = [n for n in (self.citations.number(i) for i in ids) if n is not None]
        return [run(",".join(str(n) for n in numbers), superscript=True)] if numbers else []

    def _table(self, tokens, index: int) -> int:
        rows: list[list[list]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                rows[-1].append(self._inline(tokens[index + 1]))
            index += 1
        if rows:
            _word_table(self.writer, rows)
        return index + 1


def _word_table(writer: Writer, rows: list[list[list]]) -> None:
    width = max(len(row) for row in rows)
    table = writer.document.add_table(rows=len(rows), cols=width)
    table.style = writer.document.styles["Table Grid"]
    for row_cells, row in zip(table.rows, rows, strict=True):
        for cell, runs in zip(row_cells.cells, row, strict=False):
            paragraph = cell.paragraphs[0]._p
            for piece in runs:
                paragraph.append(piece)
    header_row(table.rows[0])


def header_row(row) -> None:
    """Mark a table's first row as its header: screen readers announce its cells with each cell
    below them, and Word repeats it at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
