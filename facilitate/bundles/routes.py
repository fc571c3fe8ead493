"""The event page's bundles: download this machine's, upload another's, see what it would merge,
then confirm. The merging itself is ``bundles.service``'s, as for the command line."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from ..access import load_event
from ..models import Event
from . import service, uploads
from .fileformat import BundleProblem

bp = Blueprint("bundles", __name__)

#: The largest bundle the page takes; a day of a big event is well under a megabyte.
UPLOAD_LIMIT = 20 * 1024 * 1024


class UploadForm(FlaskForm):
    bundle = FileField(
        _l("Bundle file"), validators=[FileRequired(_l("Choose the bundle file to upload."))]
    )


class ConfirmForm(FlaskForm):
    upload = HiddenField()


@bp.get("/events/<slug>/bundle")
@login_required
def download(slug: str):
    event = load_event(slug)
    _, data = service.export_bundle(event.slug)
    return Response(
        data,
        mimetype="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.bundle"'},
    )


@bp.record_once
def _first_of_all(state) -> None:
    """The upload's own size limit must be in place before anything reads the form."""
    state.app.before_request_funcs.setdefault(None, []).insert(0, _upload_limit)


def _upload_limit():
    if request.endpoint not in ("bundles.upload", "bundles.upload_new_event"):
        return None
    request.max_content_length = UPLOAD_LIMIT + 64 * 1024  # the form's own fields besides
    if (request.content_length or 0) <= request.max_content_length:
        return None
    if not current_user.is_authenticated:
        abort(403)
    slug = request.view_args.get("slug")
    event = load_event(slug) if slug else None
    form = UploadForm(formdata=None)
    form.form_errors.append(_("That file is larger than 20 MB; a bundle is far smaller."))
    return render_template("bundles/upload.html", event=event, form=form), 413


@bp.route("/events/<slug>/bundles", methods=["GET", "POST"])
@login_required
def upload(slug: str):
    event = load_event(slug)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.bundle.data.read(UPLOAD_LIMIT + 1)
        try:
            outcome = service.preview_bundle(data, into=event)
        except BundleProblem as problem:
            form.bundle.errors = [str(problem)]
        else:
            return _preview(form, data, outcome, event)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("bundles/upload.html", event=event, form=form), status


def _preview(form: UploadForm, data: bytes, outcome, event: Event | None):
    """What the uploaded bundle would add, with the button that merges it (the upload kept aside)."""
    confirm = ConfirmForm(upload=uploads.keep(data))
    name = form.bundle.data.filename or _("the bundle")
    return render_template(
        "bundles/preview.html", event=event, outcome=outcome, form=confirm, filename=name
    )


@bp.post("/events/<slug>/bundles/confirm")
@login_required
def confirm(slug: str):
    event = load_event(slug)
    form = ConfirmForm()
    data = uploads.read(form.upload.data) if form.validate_on_submit() else None
    if data is None:
        flash(_("That upload is no longer here; upload the bundle again."), "error")
        return redirect(url_for("bundles.upload", slug=event.slug))
    try:
        outcome = service.import_bundle(data, into=event)
    except BundleProblem as problem:
        flash(str(problem), "error")
        return redirect(url_for("bundles.upload", slug=event.slug))
    uploads.discard(form.upload.data)
    added = sum(theme.notes_added for theme in outcome.themes)
    clashes = [theme.title for theme in outcome.themes if theme.conflicts]
    merged = _(
        "The bundle is merged: %(notes)s in %(themes)s.",
        notes=ngettext(
            "%(count)s new note", "%(count)s new notes", added, count=format_number(added)
        ),
        themes=ngettext(
            "%(count)s theme",
            "%(count)s themes",
            len(outcome.themes),
            count=format_number(len(outcome.themes)),
        ),
    )
    if clashes:
        kept = _(
            "Changed on both machines, with both versions kept: %(themes)s.",
            themes=", ".join(clashes),
        )
        merged = f"{merged} {kept}"
    flash(merged, "success")
    return redirect(url_for("events.show", slug=event.slug))


@bp.route("/bundles", methods=["GET", "POST"])
@login_required
def upload_new_event():
    """A bundle of an event this machine does not have yet (a laptop run offline, brought to the
    organisation's server): check it, then create the event from it."""
    if not current_user.is_organiser:
        abort(403)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.bundle.data.read(UPLOAD_LIMIT + 1)
        try:
            outcome = service.preview_bundle(data)
        except BundleProblem as problem:
            form.bundle.errors = [str(problem)]
        else:
            if not outcome.event_created:
                form.bundle.errors = [_already_here(outcome)]
            else:
                return _preview(form, data, outcome, None)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("bundles/upload.html", event=None, form=form), status


@bp.post("/bundles/confirm")
@login_required
def confirm_new_event():
    if not current_user.is_organiser:
        abort(403)
    form = ConfirmForm()
    data = uploads.read(form.upload.data) if form.validate_on_submit() else None
    if data is None:
        flash(_("That upload is no longer here; upload the bundle again."), "error")
        return redirect(url_for("bundles.upload_new_event"))
    try:
        outcome = service.import_bundle(data, organiser=current_user)
    except BundleProblem as problem:
        flash(str(problem), "error")
        return redirect(url_for("bundles.upload_new_event"))
    uploads.discard(form.upload.data)
    if not outcome.event_created:  # brought in by someone else meanwhile: merged all the same
        flash(
            _("%(title)s was already here; the bundle is merged into it.", title=outcome.title),
            "success",
        )
    else:
        added = sum(theme.notes_added for theme in outcome.themes)
        flash(
            _(
                "%(title)s is brought in, with %(notes)s.",
                title=outcome.title,
                notes=ngettext(
                    "%(count)s note", "%(count)s notes", added, count=format_number(added)
                ),
            ),
            "success",
        )
    return redirect(url_for("events.show", slug=outcome.slug))


def _already_here(outcome) -> str:
    return _(
        "%(title)s is already on this machine: bring the bundle in from that event's page, "
        "under Several laptops.",
        title=outcome.title,
    )
