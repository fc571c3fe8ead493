"""The wall: a full-screen page for the projector at the theme's secret address, no sign-in."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from flask_login import current_user

from ..i18n import speak_for
from ..links import absolute, join_path, qr_svg
from ..models import utcnow
from ..services import suggesting, themes

bp = Blueprint("wall", __name__)


@bp.get("/wall/<token>")
def show(token: str):
    theme = themes.find_by_wall_token(token) or abort(404)
    speak_for(theme.event.language)  # the room's screen speaks the event's language
    join_url = absolute(join_path(theme))
    switch_to = []
    if current_user.is_authenticated and themes.can_lead(current_user, theme):
        switch_to = [
            t for t in theme.event.themes if t.id != theme.id and themes.can_lead(current_user, t)
        ]
    return render_template(
        "wall/wall.html",
        theme=theme,
        join_url=join_url,
        qr=qr_svg(join_url, scale=10),
        switch_to=switch_to,
        now=utcnow(),
    )


@bp.get("/wall/<token>/keywords")
def keywords(token: str):
    """The theme's most telling words for the wall, as JSON; none while notes are private."""
    theme = themes.find_by_wall_token(token) or abort(404)
    response = jsonify(keywords=[] if theme.notes_private else suggesting.keywords(theme))
    response.headers["Cache-Control"] = "no-store"
    return response
