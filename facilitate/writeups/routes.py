"""The write-up editor of a theme: for its facilitators and the event's organisers only.

The page works with plain forms; ``static/js/editor.js`` adds the live preview and autosave
through the two JSON endpoints (``preview`` and ``autosave``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import load_led_theme
from ..exports.text import format_moment
from ..models import Theme
from ..reports import pages
from ..services import writeups
from ..services.errors import ServiceError
from ..services.events import DEFAULT_TIME_ZONE
from .forms import ActionForm, CompileForm, PublishForm, WriteupForm
from .views import describe_reason, editor_context, rendered_writeup

bp = Blueprint("writeups", __name__)


def back(theme: Theme):
    return redirect(url_for("writeups.edit", theme_id=theme.id))


def json_error(error: ServiceError):
    return jsonify(error.as_payload()), error.status


@bp.get("/themes/<int:theme_id>/writeup")
@login_required
def edit(theme_id: int):
    theme = load_led_theme(theme_id)
    return render_template("writeups/editor.html", **editor_context(theme))


@bp.post("/themes/<int:theme_id>/writeup")
@login_required
def save(theme_id: int):
    """The editor's Save button without JavaScript."""
    theme = load_led_theme(theme_id)
    form = WriteupForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        writeups.save_writeup(
            theme, form.body.data or "", current_user, base_revision=form.base_revision.data
        )
    except ServiceError as error:
        context = editor_context(theme, body=form.body.data, base_revision=form.base_revision.data)
        context["form"].form_errors.append(error.message)
        return render_template("writeups/editor.html", **context), 409
    flash(_("The write-up is saved."), "success")
    return back(theme)


@bp.post("/themes/<int:theme_id>/writeup/autosave")
@login_required
def autosave(theme_id: int):
    """JSON ``{"body", "base_revision", "explicit"}``: save the editor's text."""
    theme = load_led_theme(theme_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return json_error(ServiceError("invalid", _("Send the write-up as JSON.")))
    base = data.get("base_revision")
    try:
        writeup = writeups.save_writeup(
            theme,
            data.get("body"),
            current_user,
            autosave=not data.get("explicit"),
            base_revision=base if isinstance(base, int) and not isinstance(base, bool) else None,
        )
    except ServiceError as error:
        return json_error(error)
    latest = writeups.latest_revision(writeup)
    return jsonify(
        ok=True,
        revision=latest.number if latest else None,
        status=writeup.status.value,
        unpublished_changes=writeups.has_unpublished_changes(writeup),
    )


@bp.post("/themes/<int:theme_id>/writeup/preview")
@login_required
def preview(theme_id: int):
    """JSON ``{"body"}``: the text rendered as readers would see it (sanitised HTML)."""
    theme = load_led_theme(theme_id)
    data = request.get_json(silent=True)
    body = data.get("body") if isinstance(data, dict) else None
    try:
        body = writeups.check_body(body)
        rendered = rendered_writeup(writeups.theme_report(theme), body, show_citations=True)
    except ServiceError as error:
        return json_error(error)
    html = render_template("writeups/_rendered.html", rendered=rendered)
    return jsonify(ok=True, html=html, warnings=rendered.warnings)


@bp.post("/themes/<int:theme_id>/writeup/compile")
@login_required
def compile_draft(theme_id: int):
    theme = load_led_theme(theme_id)
    form = CompileForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = writeups.compile_draft(theme, current_user, replace=form.replace.data == "yes")
    if outcome.replaced:
        flash(
            _("The draft is compiled from the notes. Now rewrite it in your own words."), "success"
        )
    elif outcome.new_notes:
        flash(
            _(
                "Your edits are kept. %(count)s new notes can be inserted: "
                "use “Insert new notes”, or replace the whole draft below.",
                count=outcome.new_notes,
            ),
            "warning",
        )
    else:
        flash(_("Your edits are kept, and no notes have arrived since the draft."), "info")
    return back(theme)


@bp.post("/themes/<int:theme_id>/writeup/insert-notes")
@login_required
def insert_notes(theme_id: int):
    theme = load_led_theme(theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        writeups.insert_new_notes(theme, current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("The new notes are added at the end of the write-up."), "success")
    return back(theme)


@bp.post("/themes/<int:theme_id>/writeup/set-aside")
@login_required
def set_aside(theme_id: int):
    theme = load_led_theme(theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    writeups.set_aside_new_notes(theme)
    flash(_("Those notes will not be offered again. They stay in the report."), "success")
    return back(theme)


@bp.post("/themes/<int:theme_id>/writeup/publish")
@login_required
def publish(theme_id: int):
    theme = load_led_theme(theme_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        writeups.publish_writeup(theme, current_user, show_citations=form.show_citations.data)
        pages.prepare(theme)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("The write-up is published. Anyone with the link can read it."), "success")
    return back(theme)


@bp.post("/themes/<int:theme_id>/writeup/unpublish")
@login_required
def unpublish(theme_id: int):
    theme = load_led_theme(theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        writeups.unpublish_writeup(theme, current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(_("The write-up is a draft again; readers no longer see it."), "success")
    return back(theme)


@bp.get("/themes/<int:theme_id>/writeup/revisions")
@login_required
def revisions(theme_id: int):
    theme = load_led_theme(theme_id)
    writeup = writeups.writeup_of(theme)
    return render_template(
        "writeups/revisions.html",
        theme=theme,
        writeup=writeup,
        revisions=list(reversed(writeup.revisions)) if writeup else [],
    )


@bp.get("/themes/<int:theme_id>/writeup/revisions/<int:number>")
@login_required
def revision(theme_id: int, number: int):
    theme = load_led_theme(theme_id)
    writeup = writeups.writeup_of(theme) or abort(404)
    revision = writeups.get_revision(writeup, number)
    rendered = rendered_writeup(writeups.theme_report(theme), revision.body, show_citations=True)
    return render_template(
        "writeups/revision.html",
        theme=theme,
        writeup=writeup,
        revision=revision,
        rendered=rendered,
        form=ActionForm(),
    )


@bp.post("/themes/<int:theme_id>/writeup/revisions/<int:number>/restore")
@login_required
def restore(theme_id: int, number: int):
    theme = load_led_theme(theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    writeups.restore_revision(theme, number, current_user)
    flash(_("Revision %(number)s is restored as the current text.", number=number), "success")
    return back(theme)


@bp.app_template_filter("reason")
def reason_filter(reason: str) -> str:
    return describe_reason(reason)


@bp.app_template_filter("moment")
def moment_filter(moment, time_zone: str = DEFAULT_TIME_ZONE) -> str:
    """A time as people in the room read it: ``{{ saved_at | moment(event.time_zone) }}``."""
    return format_moment(moment, time_zone) if moment else ""
