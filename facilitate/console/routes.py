"""The facilitator's console for a theme, and its no-JavaScript fallbacks for the big switches."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import load_led_theme
from ..links import absolute, join_path
from ..realtime import lifecycle
from ..services import listing, phases, themes
from ..services.errors import ServiceError

bp = Blueprint("console", __name__)


@bp.get("/themes/<int:theme_id>/console")
@login_required
def show(theme_id: int):
    theme = load_led_theme(theme_id)
    others = [t for t in themes.themes_led_by(current_user) if t.id != theme.id]
    if current_user.is_organiser:
        others = [t for t in theme.event.themes if t.id != theme.id]
    return render_template(
        "console/console.html",
        theme=theme,
        others=others,
        join_url=absolute(join_path(theme)),
        notes_count=len(listing.public_notes(theme.id)),
    )


@bp.post("/themes/<int:theme_id>/phase")
@login_required
def set_phase(theme_id: int):
    theme = load_led_theme(theme_id)
    try:
        phases.set_phase(theme, request.form.get("phase", ""))
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(
            _("“%(title)s” is now %(phase)s.", title=theme.title, phase=theme.phase.label),
            "success",
        )
    return redirect(url_for("console.show", theme_id=theme.id))


@bp.post("/themes/<int:theme_id>/wall-token")
@login_required
def new_wall_token(theme_id: int):
    """Give the wall a new secret address, for when the old one was seen by the wrong people."""
    theme = load_led_theme(theme_id)
    themes.regenerate_wall_token(theme)
    closed = lifecycle.retire_walls(theme.id)
    if closed:
        message = _(
            "The wall has a new address: open the wall again. The old address no longer works, "
            "and the walls that were open on it now say so."
        )
    else:
        message = _(
            "The wall has a new address: open the wall again. The old address no longer works."
        )
    flash(message, "success")
    return redirect(url_for("console.show", theme_id=theme.id))
