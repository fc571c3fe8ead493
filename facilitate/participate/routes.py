"""Participants' pages: join with a code, the theme page (live with JavaScript, a plain form without),
and an event's list of open themes."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..access import find_event
from ..extensions import limiter
from ..links import absolute, join_path, qr_svg
from ..models import Phase, Theme, utcnow
from ..services import listing, notes, participants, themes
from ..services.errors import ServiceError
from .forms import KIND_NAMES, NoteForm

bp = Blueprint("participate", __name__)

NOT_FOUND = _l("We could not find that code. Check the screen at the front of the room.")


def join_miss_limit():
    """Wrong codes are counted per address and refused once too many; a right code always gets in,
    so one person's typos never lock out a room full of phones sharing the venue's address. All
    attempts together have a far higher ceiling, so guessing codes stays slow all the same."""

    def limits(view):
        wrong = limiter.shared_limit(
            lambda: current_app.config["JOIN_MISS_RATE_LIMIT"],
            scope="join-miss",
            deduct_when=lambda response: response.status_code == 404,
            exempt_when=_typed_a_right_code,
            key_func=lambda: f"join-miss:{request.remote_addr}",
        )
        every = limiter.shared_limit(
            lambda: current_app.config["JOIN_ATTEMPT_RATE_LIMIT"],
            scope="join-attempt",
            key_func=lambda: f"join-attempt:{request.remote_addr}",
        )
        return every(wrong(view))

    return limits


def _typed_a_right_code() -> bool:
    typed = (request.view_args or {}).get("code") or request.args.get("code", "")
    return bool(typed.strip()) and themes.find_by_join_code(typed) is not None


def cookie_name(theme: Theme) -> str:
    return participants.cookie_name(theme.event_id)


@bp.get("/join")
@join_miss_limit()
def join():
    typed = request.args.get("code", "")
    if not typed.strip():
        return render_template("participate/join.html", error=None, typed="")
    theme = themes.find_by_join_code(typed)
    if theme is None:
        return render_template("participate/join.html", error=NOT_FOUND, typed=typed), 404
    return redirect(url_for("participate.theme_page", code=theme.join_code))


@bp.route("/j/<code>", methods=["GET", "POST"])
@join_miss_limit()
def theme_page(code: str):
    theme = themes.find_by_join_code(code)
    if theme is None:
        return render_template("participate/join.html", error=NOT_FOUND, typed=code), 404
    if theme.join_code != code:
        return redirect(url_for("participate.theme_page", code=theme.join_code))
    form = NoteForm()
    participant = participants.find(theme.event_id, request.cookies.get(cookie_name(theme)))
    if request.method == "POST":
        return post_without_script(theme, participant, form)
    form.client_id.data = str(uuid.uuid4())
    if participant and participant.name:
        form.name.data = participant.name
    return render_page(theme, form, participant)


def render_page(theme: Theme, form: NoteForm, participant, status: int = 200):
    if theme.notes_private:  # writing in silence: one's own notes only
        shown = listing.own_notes(theme.id, participant.id) if participant is not None else []
    else:
        shown = listing.public_notes(theme.id)
        if participant is not None:
            shown += listing.own_waiting_notes(theme.id, participant.id)
    shown.sort(key=lambda n: n.id, reverse=True)
    join_url = absolute(join_path(theme))
    return render_template(
        "participate/theme.html",
        theme=theme,
        form=form,
        notes=shown,
        participant=participant,
        join_url=join_url,
        other_themes=other_open_themes(theme),
        kind_names=KIND_NAMES,
        now=utcnow(),
    ), status


def other_open_themes(theme: Theme) -> list[Theme]:
    """The event's other open break-outs, for moving between them with the same identity."""
    return [t for t in theme.event.themes if t.id != theme.id and t.phase is Phase.OPEN]


def post_without_script(theme: Theme, participant, form: NoteForm):
    """The no-JavaScript path: the same ``post_note`` as the socket, then back to the page."""
    if not form.validate_on_submit():
        return render_page(theme, form, participant, 400)
    token = request.cookies.get(cookie_name(theme))
    try:
        participant, token = participants.join(theme.event, token, form.name.data)
        note, _created = notes.post_note(
            theme, participant, form.client_id.data, form.text.data, form.kind.data
        )
    except ServiceError as error:
        on_name = error.field == "name" or error.code == "name_required"
        field = form.name if on_name else form.text
        field.errors = [*field.errors, error.message]
        return render_page(theme, form, participant, error.status)
    if note.status.value == "pending":
        flash(_("Your note is posted. It appears once the facilitator approves it."), "success")
    else:
        flash(_("Your note is posted."), "success")
    response = redirect(url_for("participate.theme_page", code=theme.join_code, _anchor="notes"))
    response.set_cookie(
        cookie_name(theme),
        token,
        max_age=60 * 60 * 24 * 30,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
        path="/",
    )
    return response


@bp.get("/e/<slug>")
def event_page(slug: str):
    """An event's open themes, so people can move between break-outs."""
    event = find_event(slug)
    open_themes = [theme for theme in event.themes if theme.phase is Phase.OPEN]
    return render_template("participate/event.html", event=event, open_themes=open_themes)


@bp.get("/j/<code>/qr.svg")
def qr(code: str):
    theme = themes.find_by_join_code(code) or abort(404)
    svg = qr_svg(absolute(join_path(theme)))
    return svg, 200, {"Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=3600"}
