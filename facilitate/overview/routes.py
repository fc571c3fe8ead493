"""Pages: the organiser's overview of every theme at once, and the plenary report-out wall at
the event's secret address (no sign-in; a signed-in organiser may also move it on by keys)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user, login_required

from ..access import load_event
from ..links import absolute, qr_svg
from ..models import utcnow
from ..services import overview, plenary, themes

bp = Blueprint("overview", __name__)


@bp.get("/events/<slug>/overview")
@login_required
def show(slug: str):
    event = load_event(slug)
    return render_template(
        "overview/overview.html",
        event=event,
        rows=overview.theme_rows(event),
        plenary_view=plenary.view_of(event),
        now=utcnow(),
    )


def _report_qr(event) -> tuple[str | None, str | None]:
    """The public report page's address and its QR code, once any write-up is published."""
    if not plenary.any_published(event):
        return None, None
    address = absolute(url_for("reports.event_page", slug=event.slug))
    return address, qr_svg(address, scale=10)


def _slides_context(token: str) -> dict:
    event = plenary.find_by_token(token) or abort(404)
    report_url, report_qr = _report_qr(event)
    return {
        "event": event,
        "slides": plenary.slides(event),
        "report_url": report_url,
        "report_qr": report_qr,
    }


@bp.get("/plenary/<token>")
def plenary_wall(token: str):
    context = _slides_context(token)
    event = context["event"]
    return render_template(
        "overview/plenary.html",
        **context,
        view=plenary.view_of(event),
        steers=themes.can_organise(current_user, event),
        now=utcnow(),
    )


@bp.get("/plenary/<token>/slides")
def plenary_slides(token: str):
    """The slides alone, which the plenary page fetches again each time it moves on, so late
    notes and a newly published write-up's QR code appear without a reload."""
    return (
        render_template("overview/_slides.html", **_slides_context(token)),
        200,
        {"Cache-Control": "no-store"},
    )
