"""Events from a facilitator's console: moderate, merge, cluster, phase, timer, settings, and
what the walls show.

``note:moderate`` and ``theme:phase`` are fixed by the contract; the rest are documented in
docs/realtime.md.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import Theme
from ..payloads import cluster_payload, note_payload, theme_payload
from ..services import clusters, live, moderation, phases, steps, themes, wall
from ..services.errors import require
from ..services.themes import ThemeSettings
from .connections import STAFF, Connection
from .handlers import live_event, ok


def _led_theme(connection: Connection) -> Theme:
    """The connection's theme, checked again: a facilitator removed from it loses it at once."""
    return live.led_theme(connection.theme_id, current_user, connected_as=connection.user_id)


def _flag(payload: dict, key: str, default: bool) -> bool:
    value = payload.get(key, default)
    require(isinstance(value, bool), "invalid", _l("%(key)s must be true or false.", key=key))
    return value


def _staff_note(note) -> dict:
    return note_payload(note, public=False)


@live_event("note:moderate", STAFF)
def on_moderate(connection: Connection, payload: dict) -> dict:
    change = moderation.moderate_note(
        payload.get("note_id"), _led_theme(connection), payload.get("action")
    )
    return ok(note=_staff_note(change.note))


@live_event("note:merge", STAFF)
def on_merge(connection: Connection, payload: dict) -> dict:
    changes = moderation.merge_note(
        payload.get("note_id"), payload.get("into_id"), _led_theme(connection)
    )
    return ok(notes=[_staff_note(c.note) for c in changes])


@live_event("note:unmerge", STAFF)
def on_unmerge(connection: Connection, payload: dict) -> dict:
    changes = moderation.unmerge_note(payload.get("note_id"), _led_theme(connection))
    return ok(notes=[_staff_note(c.note) for c in changes])


@live_event("note:move", STAFF)
def on_move(connection: Connection, payload: dict) -> dict:
    change = clusters.move_note(
        payload.get("note_id"), _led_theme(connection), payload.get("cluster_id")
    )
    return ok(note=_staff_note(change.note))


@live_event("cluster:add", STAFF)
def on_cluster_add(connection: Connection, payload: dict) -> dict:
    cluster = clusters.add_cluster(_led_theme(connection), payload.get("title"))
    return ok(cluster=cluster_payload(cluster))


@live_event("cluster:rename", STAFF)
def on_cluster_rename(connection: Connection, payload: dict) -> dict:
    cluster = clusters.rename_cluster(
        payload.get("cluster_id"), _led_theme(connection), payload.get("title")
    )
    return ok(cluster=cluster_payload(cluster))


@live_event("cluster:delete", STAFF)
def on_cluster_delete(connection: Connection, payload: dict) -> dict:
    clusters.delete_cluster(payload.get("cluster_id"), _led_theme(connection))
    return ok()


@live_event("cluster:reorder", STAFF)
def on_cluster_reorder(connection: Connection, payload: dict) -> dict:
    ordered = clusters.reorder_clusters(_led_theme(connection), payload.get("cluster_ids"))
    return ok(clusters=[cluster_payload(c) for c in ordered])


@live_event("theme:phase", STAFF)
def on_phase(connection: Connection, payload: dict) -> dict:
    theme = phases.set_phase(_led_theme(connection), payload.get("phase"))
    return ok(theme=theme_payload(theme))


@live_event("timer:start", STAFF)
def on_timer_start(connection: Connection, payload: dict) -> dict:
    theme = phases.start_timer(
        _led_theme(connection), payload.get("seconds"), _flag(payload, "closes_theme", True)
    )
    return ok(theme=theme_payload(theme))


@live_event("timer:stop", STAFF)
def on_timer_stop(connection: Connection, payload: dict) -> dict:
    theme = phases.stop_timer(_led_theme(connection))
    return ok(theme=theme_payload(theme))


@live_event("theme:settings", STAFF)
def on_settings(connection: Connection, payload: dict) -> dict:
    theme = _led_theme(connection)
    theme = themes.update_settings(theme, ThemeSettings.of(theme).changed(payload))
    return ok(theme=theme_payload(theme))


@live_event("theme:step", STAFF)
def on_step(connection: Connection, payload: dict) -> dict:
    """Move the room along the facilitation sequence, with an optional timer for the step."""
    theme = steps.start_step(_led_theme(connection), payload.get("step"), payload.get("seconds"))
    return ok(theme=theme_payload(theme))


@live_event("wall:view", STAFF)
def on_wall_view(connection: Connection, payload: dict) -> dict:
    theme = wall.set_wall_view(
        _led_theme(connection),
        payload.get("mode"),
        payload.get("cluster_id"),
        payload.get("note_id"),
    )
    return ok(theme=theme_payload(theme))
