"""Report downloads (organisers: the event; facilitators: their theme) and the public pages of
published write-ups (``/r/<event>`` and ``/r/<event>/<theme>``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..access import find_event, load_event, load_led_theme
from ..exports.formats import FORMATS, Export
from ..exports.jobs import export_for_download, start_export_job
from ..exports.names import FORMAT_NAMES, format_choices
from ..extensions import db
from ..models import Theme
from ..services import export_jobs, themes, writeups
from . import pages
from .forms import ExportForm
from .views import job_status

bp = Blueprint("reports", __name__)


#: Downloads go out in pieces: a text report is compressed piece by piece as it is sent, so no
#: request holds the live loop for the whole file (several megabytes at 10,000 notes).
CHUNK = 64 * 1024


def _pieces(data: bytes):
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def download(data) -> Response:
    # The whole header as given: ``mimetype=`` would add a second ``charset`` to text types.
    response = Response(_pieces(data.data), content_type=data.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{data.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        abort(404)
    return fmt


@bp.get("/events/<slug>/report.<fmt>")
@login_required
def event_download(slug: str, fmt: str):
    """The whole event's report, for its organisers."""
    event = load_event(slug)
    return download(export_for_download(event, check_format(fmt)))


@bp.post("/events/<slug>/exports")
@login_required
def request_export(slug: str):
    """Queue the event's report; the organiser is taken to a page that shows it being made."""
    event = load_event(slug)
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    job = export_jobs.request_export(event, current_user, form.format.data)
    start_export_job(job)
    return redirect(url_for("reports.export_job", slug=slug, token=job.token), code=303)


@bp.get("/events/<slug>/exports/<token>")
@login_required
def export_job(slug: str, token: str):
    event = load_event(slug)
    job = export_jobs.find_job(event, token)
    return render_template("reports/export_job.html", event=event, job=job, status=job_status(job))


@bp.get("/events/<slug>/exports/<token>.json")
@login_required
def export_job_status(slug: str, token: str):
    """How far the report has got, for the page to show without reloading."""
    job = export_jobs.find_job(load_event(slug), token)
    return jsonify(ok=True, **job_status(job))


@bp.get("/events/<slug>/exports/<token>/file")
@login_required
def export_file(slug: str, token: str):
    job = export_jobs.find_job(load_event(slug), token)
    data = export_jobs.read_file(job)
    return download(Export(data, job.filename, job.content_type, is_text=False))


@bp.get("/themes/<int:theme_id>/report.<fmt>")
@login_required
def theme_download(theme_id: int, fmt: str):
    """One theme's report, for its facilitators and the event's organisers."""
    theme = load_led_theme(theme_id)
    return download(export_for_download(theme.event, check_format(fmt), theme_ids=[theme.id]))


@bp.get("/r/<slug>")
def event_page(slug: str):
    """The event's public report: its published write-ups and a few figures."""
    event = find_event(slug)
    organiser = themes.can_organise(current_user, event)
    states = writeups.writeups_by_theme([theme.id for theme in event.themes]).values()
    published = any(writeup.is_published for writeup in states)
    if not published and not organiser:
        abort(404)
    fragment = pages.event_fragment(event)
    return render_template(
        "reports/event.html", fragment=fragment, organiser=organiser, published=published
    )


@bp.get("/r/<slug>/<int:theme_id>")
def writeup_page(slug: str, theme_id: int):
    """One write-up. Drafts are shown only to the theme's facilitators and the organisers."""
    event = find_event(slug)
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.event_id != event.id:
        abort(404)
    writeup = writeups.writeup_of(theme)
    published = writeup is not None and writeup.is_published
    if not published and not themes.can_lead(current_user, theme):
        abort(404)
    fragment = pages.writeup_fragment(theme, draft=not published)
    return render_template("reports/writeup.html", fragment=fragment)


@bp.app_context_processor
def report_helpers() -> dict:
    """For the event page: the download formats and their names."""
    return {
        "report_formats": format_choices(),
        "report_names": FORMAT_NAMES,
    }
