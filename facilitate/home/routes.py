"""The start page: a join box for participants, a dashboard for people who are signed in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..services import events, themes

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    led = themes.themes_led_by(current_user)
    organised = events.events_for(current_user) if current_user.is_organiser else []
    return render_template("home/dashboard.html", led=led, organised=organised)


@bp.get("/healthz")
def health():
    """For a load balancer: answers when the app and its database do. ``loop_lag_ms`` says how
    late the server's event loop runs now and at worst in the last minute (``null`` where no
    monitor runs, as outside ``facilitate serve``)."""
    from sqlalchemy import text

    from .. import looplag
    from ..extensions import db

    db.session.execute(text("SELECT 1"))
    return {"ok": True, "loop_lag_ms": looplag.figures()}
