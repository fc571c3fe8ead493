"""Blueprints and what every template can use."""

from __future__ import annotations

import contextlib
from pathlib import Path

from babel import dates
from flask import Flask, current_app, request
from flask_babel import format_date, get_locale, ngettext
from markupsafe import Markup
from werkzeug.routing import IntegerConverter

from . import __version__
from .models import Phase
from .payloads import iso


class RowId(IntegerConverter):
    """``<int:…>`` in every address, bounded to what an id column holds: a larger number is a page
    that does not exist (404), not a database error."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowId
    from .auth.routes import bp as auth
    from .bundles.routes import bp as bundles
    from .console.routes import bp as console
    from .events.routes import bp as events
    from .home.routes import bp as home
    from .overview.routes import bp as overview
    from .participate.routes import bp as participate
    from .reports.routes import bp as reports
    from .wall.routes import bp as wall
    from .writeups.routes import bp as writeups

    for blueprint in (
        home,
        auth,
        events,
        overview,
        bundles,
        participate,
        console,
        wall,
        writeups,
        reports,
    ):
        app.register_blueprint(blueprint)

    app.jinja_env.globals.update(version=__version__, Phase=Phase)
    app.url_defaults(static_version)
    app.after_request(revalidate_unversioned_static)
    app.jinja_env.filters.update(iso=iso, day=format_day, plural=plural, nl2br=nl2br)


def static_version(endpoint: str, values: dict) -> None:
    """Give static addresses the file's modification time (``?v=…``), so a browser's cached copy
    and the compressed copy kept in memory are both replaced when the file changes."""
    if endpoint == "static" and "filename" in values and "v" not in values:
        with contextlib.suppress(OSError):
            values["v"] = int(
                (Path(current_app.static_folder) / values["filename"]).stat().st_mtime
            )


def revalidate_unversioned_static(response):
    """A static file asked for without ``?v=`` (a module a page script imports, such as
    ``./live.js``) is revalidated on every use instead of cached for a month, so a browser never
    runs a new page script against an old shared module."""
    if request.endpoint == "static" and "v" not in request.args:
        response.cache_control.max_age = 0
        response.cache_control.no_cache = True
        response.cache_control.public = False
    return response


def format_day(value) -> str:
    """``Monday 23 November 2026``: dates as people in the room say them, in the page's language
    (``Dydd Llun 23 Tachwedd 2026``)."""
    if value is None:
        return ""
    if get_locale() is None:  # no app context: English, as ever
        return dates.format_date(value, DAY_FORMAT, locale="en")
    return format_date(value, DAY_FORMAT, rebase=False)


DAY_FORMAT = "EEEE d MMMM y"

#: The words ``plural`` counts in every language, by their English singular.
COUNTED = {
    "note": lambda n, count: ngettext("%(count)s note", "%(count)s notes", n, count=count),
    "new note": lambda n, count: ngettext(
        "%(count)s new note", "%(count)s new notes", n, count=count
    ),
    "theme": lambda n, count: ngettext("%(count)s theme", "%(count)s themes", n, count=count),
    "vote": lambda n, count: ngettext("%(count)s vote", "%(count)s votes", n, count=count),
}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 note``, ``3 notes`` (``1 nodyn``, ``3 nodyn``): a counted word the page's language
    knows; another word is counted in English."""
    if singular in COUNTED and plural_form is None:
        return COUNTED[singular](count, f"{count:,}")
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def nl2br(text: str) -> Markup:
    """Line breaks of a note kept on the page, the text escaped."""
    return Markup("<br>").join(Markup.escape(text).split("\n"))
