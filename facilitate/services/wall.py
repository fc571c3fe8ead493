"""What the walls of a theme show, steered from the console: everything, the newest notes, one
heading, or one note in the spotlight. Every wall of the theme follows at once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..database import write_transaction
from ..models import Theme
from .changes import theme_changed
from .clusters import get_cluster
from .errors import require
from .notes import get_note

MODES = ("all", "newest", "heading", "note")


def view_of(theme: Theme) -> dict:
    """The theme's wall view, ``{"mode": "all"}`` until the facilitator chooses otherwise."""
    return theme.wall_view or {"mode": "all"}


def set_wall_view(
    theme: Theme, mode: object, cluster_id: object = None, note_id: object = None
) -> Theme:
    """Show ``mode`` on every wall of the theme: a heading needs its ``cluster_id``, the spotlight
    a ``note_id`` of a note everyone can see."""
    require(
        mode in MODES,
        "invalid",
        _l("Choose what the wall shows: everything, the newest notes, one heading or one note."),
    )
    view: dict = {"mode": mode}
    if mode == "heading":
        view["cluster_id"] = get_cluster(cluster_id, theme.id).id
    elif mode == "note":
        note = get_note(note_id, theme.id)
        require(
            note.is_public, "invalid", _l("Only a note everyone can see can be in the spotlight.")
        )
        view["note_id"] = note.id
    with write_transaction():
        if view_of(theme) != view:
            theme.wall_view = view
            theme_changed(theme)
    return theme
