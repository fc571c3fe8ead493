"""Organisers: events, their themes, and the accounts of the people who run them."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from .. import links
from ..access import load_event, load_theme
from ..extensions import db
from ..models import Role, User
from ..reports.views import report_readiness
from ..services import accounts, events, export_jobs, themes, writeups
from ..services.errors import ServiceError
from ..services.themes import ThemeSettings
from .forms import AccountForm, ConfirmDeleteForm, EventForm, ThemeForm

bp = Blueprint("events", __name__)


def organiser_required() -> None:
    if not current_user.is_organiser:
        abort(403)


def report_error(form, error: ServiceError) -> None:
    """Put a service's refusal next to the field it is about, or at the top of the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    organiser_required()
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = events.create_event(
                current_user,
                form.title.data,
                form.date.data,
                form.venue.data,
                form.time_zone.data,
                form.language.data,
            )
        except ServiceError as error:
            report_error(form, error)
        else:
            flash(_("“%(title)s” is created. Now add its themes.", title=event.title), "success")
            return redirect(url_for("events.new_theme", slug=event.slug))
    return render_template(
        "events/event_form.html", form=form, event=None
    ), 400 if form.errors else 200


@bp.get("/events/<slug>")
@login_required
def show(slug: str):
    event = load_event(slug)
    counts = {theme.id: themes.note_count(theme) for theme in event.themes}
    states = writeups.writeups_by_theme([theme.id for theme in event.themes])
    return render_template(
        "events/show.html",
        event=event,
        counts=counts,
        writeups=states,
        readiness=report_readiness(event, states, counts),
        recent=export_jobs.recent_jobs(event),
    )


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_event(slug: str):
    event = load_event(slug)
    form = EventForm(obj=event)
    if form.validate_on_submit():
        try:
            events.update_event(
                event,
                form.title.data,
                form.date.data,
                form.venue.data,
                form.time_zone.data,
                form.language.data,
            )
        except ServiceError as error:
            report_error(form, error)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.show", slug=event.slug))
    return render_template(
        "events/event_form.html", form=form, event=event
    ), 400 if form.errors else 200


@bp.route("/events/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete_event(slug: str):
    event = load_event(slug)
    notes = events.note_count(event)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        if notes and not form.confirm.data:
            form.confirm.errors = [
                _("Tick the box to confirm: %(count)s notes will be deleted.", count=notes)
            ]
        else:
            title = event.title
            events.delete_event(event)
            flash(_("“%(title)s” is deleted.", title=title), "success")
            return redirect(url_for("home.index"))
    return render_template(
        "events/confirm_delete.html",
        form=form,
        page_title=_("Delete the event “%(title)s”", title=event.title),
        question=_("Delete the event “%(title)s”?", title=event.title),
        notes=notes,
        themes=len(event.themes),
        back=url_for("events.show", slug=event.slug),
    ), 400 if form.errors else 200


def facilitator_choices() -> list[SelectChoice]:
    users = db.session.scalars(select(User).order_by(User.name))
    return [SelectChoice(user.id, f"{user.name} ({user.email})") for user in users]


def chosen_users(ids: list[int]) -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(ids or [])).order_by(User.name)))


def settings_from(form: ThemeForm) -> ThemeSettings:
    return ThemeSettings(
        names_required=form.names_required.data,
        approval_required=form.approval_required.data,
        votes_per_participant=form.votes_per_participant.data,
        note_max_length=form.note_max_length.data,
        votes_hidden=form.votes_hidden.data,
        notes_private=form.notes_private.data,
    )


@bp.route("/events/<slug>/themes/new", methods=["GET", "POST"])
@login_required
def new_theme(slug: str):
    event = load_event(slug)
    defaults = themes.default_settings()
    form = ThemeForm(
        data={
            "votes_per_participant": defaults.votes_per_participant,
            "note_max_length": defaults.note_max_length,
        }
        if request.method == "GET"
        else None
    )
    form.facilitators.choices = facilitator_choices()
    if form.validate_on_submit():
        try:
            theme = themes.create_theme(
                event,
                form.title.data,
                form.prompt.data,
                chosen_users(form.facilitators.data),
                settings_from(form),
            )
        except ServiceError as error:
            report_error(form, error)
        else:
            flash(
                _(
                    "“%(title)s” is added. Its join code is %(code)s.",
                    title=theme.title,
                    code=theme.join_code,
                ),
                "success",
            )
            if request.form.get("and_another"):
                return redirect(url_for("events.new_theme", slug=event.slug))
            return redirect(url_for("events.show", slug=event.slug))
    return render_template(
        "events/theme_form.html", form=form, event=event, theme=None
    ), 400 if form.errors else 200


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_theme(theme_id: int):
    theme = load_theme(theme_id)
    form = ThemeForm(obj=theme)
    form.facilitators.choices = facilitator_choices()
    if request.method == "GET":
        form.facilitators.data = [user.id for user in theme.facilitators]
    if form.validate_on_submit():
        try:
            themes.update_theme(
                theme,
                form.title.data,
                form.prompt.data,
                chosen_users(form.facilitators.data),
                settings_from(form),
            )
        except ServiceError as error:
            report_error(form, error)
        else:
            flash(_("“%(title)s” is saved.", title=theme.title), "success")
            return redirect(url_for("events.show", slug=theme.event.slug))
    return render_template(
        "events/theme_form.html", form=form, event=theme.event, theme=theme
    ), 400 if form.errors else 200


@bp.route("/themes/<int:theme_id>/delete", methods=["GET", "POST"])
@login_required
def delete_theme(theme_id: int):
    theme = load_theme(theme_id)
    notes = themes.note_count(theme)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        if notes and not form.confirm.data:
            form.confirm.errors = [
                _("Tick the box to confirm: %(count)s notes will be deleted.", count=notes)
            ]
        else:
            slug, title = theme.event.slug, theme.title
            themes.delete_theme(theme)
            flash(_("“%(title)s” is deleted.", title=title), "success")
            return redirect(url_for("events.show", slug=slug))
    return render_template(
        "events/confirm_delete.html",
        form=form,
        page_title=_("Delete the theme “%(title)s”", title=theme.title),
        question=_("Delete the theme “%(title)s”?", title=theme.title),
        notes=notes,
        themes=0,
        back=url_for("events.show", slug=theme.event.slug),
    ), 400 if form.errors else 200


@bp.post("/themes/<int:theme_id>/move")
@login_required
def move_theme(theme_id: int):
    theme = load_theme(theme_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    themes.move_theme(theme, offset)
    return redirect(url_for("events.show", slug=theme.event.slug, _anchor=f"theme-{theme.id}"))


@bp.route("/people", methods=["GET", "POST"])
@login_required
def people():
    """Accounts: organisers add facilitators (and other organisers) here."""
    organiser_required()
    form = AccountForm()
    created = None
    if form.validate_on_submit():
        password = "-".join(secrets.token_hex(2) + secrets.token_hex(2) for _ in range(3))
        try:
            user = accounts.create_user(
                form.email.data, form.name.data, Role(form.role.data), password
            )
        except ServiceError as error:
            report_error(form, error)
        else:
            created = (user, password)
            form = AccountForm(formdata=None)
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    # The address another laptop can open: the public address when set, else this laptop's on the
    # local network, never 127.0.0.1, which on the new facilitator's laptop is their own.
    sign_in_url = links.absolute(url_for("auth.login"))
    return render_template(
        "events/people.html", form=form, users=users, created=created, sign_in_url=sign_in_url
    ), 400 if form.errors else 200
