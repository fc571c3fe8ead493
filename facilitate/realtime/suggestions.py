"""Facilitators' suggestion events: ``suggest:duplicates`` and ``suggest:clusters`` (fixed by the
contract), and ``suggest:dismiss``, ``keywords:get`` and ``keywords:hide`` (docs/realtime.md).
A suggestion changes nothing by itself: accepting one uses the merge and cluster events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import Theme
from ..services import live, suggesting
from ..services.errors import require
from .connections import STAFF, Connection
from .handlers import live_event, ok


def _led_theme(connection: Connection) -> Theme:
    return live.led_theme(connection.theme_id, current_user, connected_as=connection.user_id)


@live_event("suggest:duplicates", STAFF)
def on_suggest_duplicates(connection: Connection, payload: dict) -> dict:
    return ok(groups=suggesting.suggest_duplicates(_led_theme(connection)))


@live_event("suggest:clusters", STAFF)
def on_suggest_clusters(connection: Connection, payload: dict) -> dict:
    return ok(clusters=suggesting.suggest_clusters(_led_theme(connection)))


@live_event("suggest:dismiss", STAFF)
def on_suggest_dismiss(connection: Connection, payload: dict) -> dict:
    groups = suggesting.dismiss_duplicates(_led_theme(connection), payload.get("note_ids"))
    return ok(groups=groups)


@live_event("keywords:get", STAFF)
def on_keywords_get(connection: Connection, payload: dict) -> dict:
    theme = _led_theme(connection)
    return ok(keywords=suggesting.keywords(theme), hidden=suggesting.hidden_keywords(theme))


@live_event("keywords:hide", STAFF)
def on_keywords_hide(connection: Connection, payload: dict) -> dict:
    hidden = payload.get("hidden", True)
    require(isinstance(hidden, bool), "invalid", _l("%(key)s must be true or false.", key="hidden"))
    theme = _led_theme(connection)
    words = suggesting.set_keyword_hidden(theme, payload.get("term"), hidden)
    return ok(keywords=suggesting.keywords(theme), hidden=words)
