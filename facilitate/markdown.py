"""Markdown for write-ups: escaping untrusted text into Markdown, and rendering Markdown to HTML
that is safe to show (markdown-it-py, then nh3).

A write-up cites the notes it came from with ``[#12]`` (one note) or ``[#12, #15]`` (several):
the number is the note's id, shown in the editor's notes drawer. Rendered, each cited note gets a
footnote number in order of first citation and the marker becomes a superscript link to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

#: ``[#12]`` or ``[#12, #15]``: citations of notes by id.
CITATION = re.compile(r"\[#(\d{1,9})((?:\s*,\s*#?\d{1,9})*)\]")

_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "pre", "code", "em", "strong", "del", "s", "a", "sup", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "id", "class"},
    "sup": {"class"},
    "ol": {"start"},
    "li": {"id"},
}


@dataclass
class Citations:
    """The notes a rendered write-up cites, numbered in order of first citation.

    ``lookup`` says whether a note id may be cited (it must be an exported note of the theme);
    markers naming any other note are left out, so a hidden note is never revealed.
    """

    lookup: Callable[[int], bool] = lambda _note_id: False
    prefix: str = "cited"
    order: list[int] = field(default_factory=list)
    #: Cited ids that ``lookup`` refused, for the editor to point out.
    missing: list[int] = field(default_factory=list)

    def number(self, note_id: int) -> int | None:
        if not self.lookup(note_id):
            if note_id not in self.missing:
                self.missing.append(note_id)
            return None
        if note_id not in self.order:
            self.order.append(note_id)
        return self.order.index(note_id) + 1

    def anchor(self, note_id: int) -> str:
        return f"{self.prefix}-{note_id}"


_SPACE_BEFORE_CITATION = re.compile(r"[ \t]+(?=" + CITATION.pattern + ")")


def attach_citations(source: str) -> str:
    """``words [#12]`` → ``words[#12]``: a citation sits against the words it backs, as a
    footnote mark does."""
    return _SPACE_BEFORE_CITATION.sub("", source or "")


def citation_ids(source: str) -> list[int]:
    """Every note id cited in ``source``, in order, each once."""
    found: list[int] = []
    for match in CITATION.finditer(source):
        for number in _ids(match):
            if number not in found:
                found.append(number)
    return found


def _ids(match: re.Match) -> list[int]:
    return [int(match.group(1)), *(int(n) for n in re.findall(r"\d+", match.group(2)))]


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    match = CITATION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"ids": _ids(match)}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _render_citation(renderer, tokens, index, options, env) -> str:
    citations: Citations | None = env.get("citations")
    if citations is None:
        return ""
    links = []
    for note_id in tokens[index].meta["ids"]:
        number = citations.number(note_id)
        if number is not None:
            links.append(f'<a href="#{citations.anchor(note_id)}" class="cite">{number}</a>')
    if not links:
        return ""
    return '<sup class="cite">' + ",".join(links) + "</sup>"


def _shift_heading(renderer, tokens, index, options, env) -> str:
    token = tokens[index]
    level = min(6, int(token.tag[1]) + env.get("heading_offset", 0))
    return f"<h{level}>" if token.nesting == 1 else f"</h{level}>\n"


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Images would load from anywhere: the page and the documents show only their own assets.
    md.disable("image")
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("heading_open", _shift_heading)
    md.add_render_rule("heading_close", _shift_heading)
    return md


_md = _build()


def sanitise(html: str) -> str:
    """Keep only the tags a write-up needs; links only to http, https and mailto addresses."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(source: str, *, citations: Citations | None = None, heading_offset: int = 0) -> str:
    """Markdown to sanitised HTML. Citations are numbered into ``citations`` (dropped without)."""
    return render_document(source, citations=citations, heading_offset=heading_offset)[0]


def render_document(
    source: str, *, citations: Citations | None = None, heading_offset: int = 0
) -> tuple[str, bool]:
    """Like ``render``, also saying whether the text opens with a level-1 heading of its own
    (parsed once: parsing is most of the cost)."""
    env = {"citations": citations, "heading_offset": heading_offset}
    tokens = _md.parse(attach_citations(source), env)
    has_title = bool(tokens) and tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    return sanitise(_md.renderer.render(tokens, _md.options, env)), has_title


def strip_citations(source: str) -> str:
    """The Markdown without citation markers (for a write-up that hides its sources)."""
    return re.sub(r"[ \t]*" + CITATION.pattern, "", source)


# --- escaping ------------------------------------------------------------------------------------

#: Inline punctuation that can start emphasis, code, links, HTML, entities, tables or strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~!#])")
#: Line starts that would make a heading, quote, list, rule or setext underline.
_LINE_START = re.compile(r"^(\s*)([#>+=\-]|\d+[.)])")
#: Things that GitHub-style renderers turn into links by themselves: schemes, www., e-mail, domains.
_AUTOLINK_COLON = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)")
_DOMAIN_DOT = re.compile(r"(?<=[A-Za-z0-9])\.(?=[A-Za-z0-9])")
_AT = re.compile(r"@")


def escape(text: str) -> str:
    """``text`` as literal Markdown on one line: it renders as the same visible text and cannot
    make a link, an image, HTML, a heading, a list or emphasis in any CommonMark renderer."""
    lines = [_escape_line(line) for line in (text or "").splitlines() if line.strip()]
    return " ".join(lines)


def escape_block(text: str, indent: str = "") -> str:
    """Like ``escape``, keeping the note's line breaks as hard breaks (for list items and quotes,
    whose continuation lines start with ``indent``)."""
    lines = [_escape_line(line) for line in (text or "").splitlines() if line.strip()]
    return ("\\\n" + indent).join(lines)


def _escape_line(line: str) -> str:
    line = " ".join(line.split())
    line = _INLINE.sub(r"\\\1", line)
    line = _AUTOLINK_COLON.sub(r"\\\1", line)
    line = _DOMAIN_DOT.sub(r"\\.", line)
    line = _AT.sub(r"\\@", line)
    return _LINE_START.sub(_escape_line_start, line, count=1)


def _escape_line_start(match: re.Match) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # "1." starts an ordered list: escape its dot or bracket
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


# --- Markdown-to-Markdown helpers for the Markdown export ---------------------------------------


def shift_headings(source: str, offset: int) -> str:
    """Demote every heading of ``source`` by ``offset`` levels (ATX and setext alike), so that a
    write-up's own ``#`` headings sit below the report's heading for its theme."""
    if offset <= 0 or not source:
        return source
    lines = source.split("\n")
    tokens = _md.parse(source)
    for position, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None or token.level != 0:
            continue
        level = min(6, int(token.tag[1]) + offset)
        start, end = token.map
        text = tokens[position + 1].content
        replacement = "#" * level + " " + text
        lines[start:end] = [replacement] + [None] * (end - start - 1)  # type: ignore[list-item]
    return "\n".join(line for line in lines if line is not None)


def footnote_citations(source: str, number_for: Callable[[int], int | None], label: str) -> str:
    """Turn ``[#12]`` markers into Markdown footnote references ``[^label-1]`` (a widely read
    extension); markers naming notes that are not exported disappear."""

    def replace(match: re.Match) -> str:
        numbers = [n for n in (number_for(i) for i in _ids(match)) if n is not None]
        return "".join(f"[^{label}-{n}]" for n in numbers)

    return CITATION.sub(replace, attach_citations(source))
