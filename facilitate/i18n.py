"""Languages: every page, message and report in English or Welsh (Flask-Babel).

Which language a request gets, first match wins:

1. a page that speaks for the room (a wall, the plenary, an event's report) says so with
   :func:`speak_for`: the event's own language;
2. ``?lang=cy`` on any address: the person's choice, kept in a cookie for a year;
3. the cookie from an earlier choice;
4. the browser's languages (``Accept-Language``), when one of them is offered;
5. the event's language on a page of that event (:func:`default_for`);
6. English.

The command line speaks the terminal's language (``LANG=cy_GB.UTF-8``), else English.
Socket.IO events run in the context of their connection's opening request, so refusals and
messages sent to a phone come in the language its page was opened in. Page scripts get their own
small catalogue (``js`` domain) inside the page, so a phone makes no extra request for it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.support import Translations
from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel, force_locale, get_locale
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

#: Offered languages, by code, with their names in their own language.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"
COOKIE = "facilitate_lang"
COOKIE_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
#: The language tag for ``<html lang>`` and documents' metadata.
TAGS = {"en": "en-GB", "cy": "cy"}

babel = Babel()

# Flask-Babel's lazy strings tell Jinja they are already HTML, so a lazy message holding a person's
# words (``_l("There is already an account for %(email)s.", email=…)``) would reach a page
# unescaped. Messages here are plain text, never HTML: escape them like any other text.
LazyString.__html__ = lambda self: str(escape(str(self)))


def init_app(app: Flask) -> None:
    compile_catalogues()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_language)
    app.before_request(_language_of_the_page)
    app.after_request(_keep_choice)
    app.jinja_env.globals.update(
        language=current_language,
        language_tag=language_tag,
        languages=LANGUAGES,
        script_catalogue=script_catalogue,
    )


def compile_catalogues() -> None:
    """Compile each catalogue whose ``.mo`` is missing or older than its ``.po``: the build does
    it for an installed copy; this keeps a checkout whose catalogues were just edited in step."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        try:
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)
        except OSError:  # a read-only install keeps the catalogues its build compiled
            continue


def offered(code: object) -> str | None:
    """``code`` when it names an offered language ("cy", "CY", "cy-GB"), else None."""
    if not isinstance(code, str):
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def speak_for(language: str | None) -> None:
    """Have this request speak the room's language, whatever the person chose (walls, plenary)."""
    g.room_language = offered(language) or DEFAULT
    _forget_locale()


def default_for(language: str | None) -> None:
    """Offer the event's language to a person who has not chosen and whose browser has no match."""
    g.event_language = offered(language)
    _forget_locale()


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Speak ``language`` (an event's) for the block, in a request or in an app context alone (the
    command line, export workers); English when there is neither."""
    if not has_app_context():
        yield
        return
    with force_locale(offered(language) or DEFAULT):
        yield


def _forget_locale() -> None:
    from flask_babel import refresh

    refresh()


#: Pages that speak for the room or the event, whoever reads them: the event's language.
ROOM_ENDPOINTS = ("wall.", "overview.plenary", "reports.event_page", "reports.writeup_page")


def _language_of_the_page() -> None:
    """Find the event a page belongs to, from its address, and take its language: always for a
    wall, the plenary and the public report; otherwise only as the last resort."""
    from .services import events, plenary, themes

    args = request.view_args or {}
    endpoint = request.endpoint or ""
    event = None
    if endpoint.startswith("wall.") and isinstance(args.get("token"), str):
        theme = themes.find_by_wall_token(args["token"])
        event = theme.event if theme else None
    elif endpoint.startswith("overview.plenary") and isinstance(args.get("token"), str):
        event = plenary.find_by_token(args["token"])
    elif isinstance(args.get("code"), str):
        theme = themes.find_by_join_code(args["code"])
        event = theme.event if theme else None
    elif isinstance(args.get("slug"), str):
        event = events.find_by_slug(args["slug"])
    if event is None:
        return
    if endpoint.startswith(ROOM_ENDPOINTS):
        speak_for(event.language)
    else:
        default_for(event.language)


def select_language() -> str:
    if not has_request_context():
        return terminal_language()
    room = g.get("room_language")
    if room:
        return room
    chosen = offered(request.args.get("lang")) or offered(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    browser = request.accept_languages.best_match(list(LANGUAGES))
    return browser or g.get("event_language") or DEFAULT


def terminal_language() -> str:
    """The command line's language: the terminal's own (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``, as gettext reads them), when it is one offered; else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return offered(value.split(":")[0]) or DEFAULT
    return DEFAULT


def _keep_choice(response):
    chosen = offered(request.args.get("lang"))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, httponly=True, samesite="Lax")
    return response


def current_language() -> str:
    locale = get_locale()
    return offered(str(locale)) or DEFAULT if locale else DEFAULT


def language_tag(code: str | None = None) -> str:
    return TAGS.get(offered(code) or current_language(), TAGS[DEFAULT])


_script_catalogues: dict[str, str] = {}


def script_catalogue() -> Markup:
    """The page scripts' messages in the current language, as JSON for a data block (none in
    English: the scripts' own words are English)."""
    code = current_language()
    if code == DEFAULT:
        return Markup("")
    if code not in _script_catalogues:
        catalog = Translations.load(str(TRANSLATIONS), [code], domain="js")._catalog
        messages = {key: text for key, text in catalog.items() if isinstance(key, str) and key}
        plurals: dict[str, dict[int, str]] = {}
        for key, text in catalog.items():
            if isinstance(key, tuple):
                plurals.setdefault(key[0], {})[key[1]] = text
        data = {
            "lang": code,
            "messages": messages,
            "plurals": {
                msgid: [forms[i] for i in sorted(forms)] for msgid, forms in plurals.items()
            },
        }
        # "</" cannot end the data block early: escape every "<".
        _script_catalogues[code] = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return Markup(  # noqa: S704  (our own JSON, with every "<" escaped above)
        '<script type="application/json" id="script-catalogue">'
        + _script_catalogues[code]
        + "</script>"
    )
