"""Every word a person reads can be had in Welsh: a sentence left unmarked in a template, a service,
a form or a page script fails here, and so does a marked one the Welsh catalogue lacks."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SCRIPTS = ROOT / "static" / "js"
CATALOGUES = ROOT / "facilitate" / "translations"
#: Attributes whose values people read (or hear from a screen reader).
READ_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt", "aria-description"}
#: Words that are the same in every language: the product's name, codes, units.
SAME_EVERYWHERE = {"Facilitate", "QR", "CSV", "JSON", "PDF", "DOCX", "HTML", "Markdown"}
#: Said in both languages on purpose, so that someone who reads neither page finds the other.
BILINGUAL = {'aria-label="Language / Iaith"'}
WORD = re.compile(r"[A-Za-z]{2,}")


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in SAME_EVERYWHERE]


class _Text(HTMLParser):
    """The text and read attributes of a template's raw HTML, outside ``{{ }}`` and ``{% %}``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _words(value):
                self.found.append(f'{name}="{value}"')
        if tag == "input":
            kind = dict(attrs).get("type")
            value = dict(attrs).get("value")
            if kind in ("submit", "button") and value and _words(value):
                self.found.append(f'value="{value}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _words(data):
            self.found.append(data.strip())


def unmarked_in_template(source: str) -> list[str]:
    """Text in a template that is not inside an expression or a tag (so not marked)."""
    raw, names = [], []
    for _, kind, value in Environment().lex(source):
        if kind == "name":
            names.append(value)
        elif kind == "block_begin":
            names = []
        if kind == "data":
            # The body of a ``{% block body_class %}`` is a class name, not words.
            in_class_block = names[:1] == ["block"] and "class" in "".join(names[1:2])
            raw.append("" if in_class_block else value)
        else:
            # An expression or tag stands in the HTML as one neutral token, so that an attribute
            # holding one (`placeholder="{{ _('…') }}"`) is seen as filled, not as text.
            raw.append("\x00" if kind in ("variable_begin", "block_begin") else "")
    parser = _Text()
    parser.feed("".join(raw).replace("\x00", "{x}"))
    parser.close()
    return [
        text for text in parser.found if _words(text.replace("{x}", "")) and text not in BILINGUAL
    ]


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_every_sentence_in_a_template_is_marked_for_translation(template):
    assert unmarked_in_template((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_the_template_check_finds_an_unmarked_sentence():
    assert unmarked_in_template("<p>{{ _('Marked') }}</p>") == []
    assert unmarked_in_template("<input placeholder=\"{{ _('Marked') }}\">") == []
    assert unmarked_in_template("<p>Not marked</p>") == ["Not marked"]
    assert unmarked_in_template('<a title="Not marked" href="{{ x }}">{{ y }}</a>') == [
        'title="Not marked"'
    ]


#: Calls whose text argument a person reads: (name, index of the argument or keyword).
READ_CALLS = {
    "require": 2,
    "ServiceError": 1,
    "flash": 0,
    "ImportProblem": 0,
    "BundleProblem": 0,
}
FORM_FIELDS = re.compile(r"(String|TextArea|Boolean|Integer|Select|Password|Email|Date|File)Field$")
VALIDATORS = {"DataRequired", "InputRequired", "Length", "NumberRange", "Email", "Optional"}


def _is_prose(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_words(node.value))
    return isinstance(node, ast.JoinedStr)


def unmarked_in_python(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None) or ""
        texts = []
        if name in READ_CALLS and len(node.args) > READ_CALLS[name]:
            texts.append(node.args[READ_CALLS[name]])
        if FORM_FIELDS.search(name) and node.args:
            texts.append(node.args[0])
        if FORM_FIELDS.search(name) or name in VALIDATORS:
            texts += [k.value for k in node.keywords if k.arg in ("message", "description")]
        found += [f"line {t.lineno}: {ast.unparse(t)[:70]}" for t in texts if _is_prose(t)]
    return found


@pytest.mark.parametrize(
    "module",
    sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "facilitate").rglob("*.py")
        if "migrations" not in p.parts
    ),
)
def test_every_sentence_a_service_or_form_sends_is_marked(module):
    assert unmarked_in_python((ROOT / module).read_text(encoding="utf-8")) == []


def test_the_python_check_finds_an_unmarked_sentence():
    assert unmarked_in_python('require(ok, "empty", _("Write something first."))') == []
    assert unmarked_in_python('flash(f"Saved {title}.")')
    assert unmarked_in_python('name = StringField("Your name", [Length(max=60)])')
    assert unmarked_in_python('name = StringField(_l("Your name"))') == []


LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
SELECTOR = re.compile(r"^[.#\[]|\[data-|:not\(|\s>\s|^[a-z-]+(\s|$)")


def _prose(text: str) -> bool:
    """A string literal that reads as words for a person, not a selector, class list, key or
    drawing: it has a space, a whole lower-case word, and starts with a capital or ends a sentence."""
    if SELECTOR.search(text) or "/" in text[:2] or " " not in text.strip():
        return False
    if not re.search(r"(^|\s)[a-z]{3,}\b", text):
        return False
    return bool(re.match(r"^[^a-z]*[A-Z]", text) or re.search(r"[A-Za-z][.!?…:]$", text))


def unmarked_in_script(source: str) -> list[str]:
    source = re.sub(r"/\*.*?\*/", lambda m: " " * len(m.group()), source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$", "", source)
    found = []
    for match in LITERAL.finditer(source):
        if not _prose(match.group(1)):
            continue
        before = source[: match.start()].rstrip()
        if before.endswith(("t(", "tn(")) or re.search(r'tn\(\s*"(?:[^"\\]|\\.)*",\s*$', before):
            continue
        found.append(match.group(1)[:70])
    return found


@pytest.mark.parametrize("script", sorted(p.name for p in SCRIPTS.glob("*.js")))
def test_every_sentence_in_a_page_script_is_marked(script):
    assert unmarked_in_script((SCRIPTS / script).read_text(encoding="utf-8")) == []


def test_the_script_check_finds_an_unmarked_sentence():
    assert unmarked_in_script('say(t("Your note is posted."));') == []
    assert unmarked_in_script('x = tn("{n} note", "{n} notes", n);') == []
    assert unmarked_in_script('$(".card-note__text", card);') == []
    assert unmarked_in_script('say("Your note is posted.");') == ["Your note is posted."]


def _extracted(config: str, keywords: dict) -> dict:
    method_map = []
    for line in (ROOT / config).read_text(encoding="utf-8").splitlines():
        match = re.match(r"\[(\w+): (.+)\]", line)
        if match:
            method_map.append((match.group(2), match.group(1)))
    messages = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        messages[message if isinstance(message, str) else message[0]] = (
            f"{filename}:{lineno}",
            message,
        )
    return messages


PYTHON_KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
SCRIPT_KEYWORDS = {"t": None, "tn": (1, 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@pytest.mark.parametrize(
    ("config", "domain", "keywords"),
    [("babel.cfg", "messages", PYTHON_KEYWORDS), ("babel-js.cfg", "js", SCRIPT_KEYWORDS)],
)
def test_the_welsh_catalogue_has_every_message_with_its_placeholders(config, domain, keywords):
    with (CATALOGUES / "cy" / "LC_MESSAGES" / f"{domain}.po").open("rb") as source:
        catalogue = read_po(source, locale="cy")
    assert catalogue.num_plurals == 6
    missing, wrong = [], []
    for msgid, (where, message) in _extracted(config, keywords).items():
        entry = catalogue.get(msgid)
        texts = entry.string if entry else None
        texts = list(texts) if isinstance(texts, tuple | list) else [texts]
        if entry is None or entry.fuzzy or not all(texts):
            missing.append(f"{where}: {msgid}")
            continue
        wanted = set(
            PLACEHOLDER.findall(" ".join(message if isinstance(message, tuple) else [msgid]))
        )
        wanted.discard("%(num)d")  # a plural form may spell its one number out
        wanted.discard("{n}")
        for text in texts:
            if not wanted <= set(PLACEHOLDER.findall(text)):
                wrong.append(f"{where}: {msgid!r} -> {text!r}")
    assert missing == []
    assert wrong == []


def test_a_lazy_message_holding_a_person_s_words_is_escaped_on_a_page(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    message = lazy_gettext("There is already an account for %(email)s.", email="<b>x</b>@e.org")
    with app.test_request_context():
        assert render_template_string("{{ m }}", m=message) == (
            "There is already an account for &lt;b&gt;x&lt;/b&gt;@e.org."
        )
