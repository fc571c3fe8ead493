"""Signing in and out, the account page, and the one-time setup of the first organiser."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import accounts
from ..services.errors import ServiceError
from .forms import LoginForm, PasswordForm, SetupForm

bp = Blueprint("auth", __name__)

#: Remembers that an account signed in on this browser (see ``accounts.KnownDevice``).
KNOWN_DEVICE_COOKIE = "facilitate_device"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site, else the start page."""
    return target if _is_own_path(target) else url_for("home.index")


def _is_own_path(target: str | None) -> bool:
    """Browsers drop tabs and newlines from an address and read a backslash as a slash, and a
    percent form may be decoded on the way, so ``/%09/evil.example`` would become
    ``//evil.example``: the address is judged in every decoded form, and any control character,
    backslash, scheme or host makes it someone else's."""
    if not target or not target.startswith("/"):
        return False
    form = target
    for _round in range(4):  # as given, then up to three rounds of decoding
        parts = urlsplit(form)
        if _UNSAFE.search(form) or form.startswith("//") or parts.scheme or parts.netloc:
            return False
        form = unquote(form)
    return True


#: Control characters and the backslash, which browsers read as a slash.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


def start_session(user) -> None:
    """Sign in on a fresh session, so nothing from before sign-in carries over."""
    session.clear()
    login_user(user)
    session.permanent = True


def known_device() -> accounts.KnownDevice | None:
    return accounts.read_known_device(request.cookies.get(KNOWN_DEVICE_COOKIE))


def sign_in_budget_key() -> str:
    """Failed sign-ins are counted per address, or per browser for one that signed in before: a
    stranger sharing the venue's address cannot use up a facilitator's tries."""
    device = known_device()
    return f"device:{device.nonce}" if device else f"address:{request.remote_addr}"


def remember_this_device(response, user) -> None:
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        accounts.remember_device(known_device(), user),
        max_age=int(current_app.config["KNOWN_DEVICE_LIFETIME"].total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    key_func=sign_in_budget_key,
    deduct_when=lambda response: response.status_code != 302,
)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, known_device())
        except accounts.SignInRefused as refusal:
            form.form_errors.append(refusal.message)
            status = 429 if refusal.retry_after else 401
        else:
            start_session(user)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            response = redirect(safe_next(form.next.data))
            remember_this_device(response, user)
            return response
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("home.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except ServiceError as error:
            form[error.field or "password"].errors.append(error.message)
        else:
            start_session(current_user._get_current_object())
            flash(_("Your password has changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), 400 if form.errors else 200


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    accounts.sign_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You have signed out on every device."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first organiser with the link ``facilitate serve`` printed."""
    instance = current_app.instance_path
    token = request.values.get("token", "")
    if not accounts.setup_token_valid(instance, token):
        abort(404)
    form = SetupForm(token=token)
    if form.validate_on_submit():
        try:
            user = accounts.complete_setup(
                instance, token, form.email.data, form.name.data, form.password.data
            )
        except ServiceError as error:
            (form[error.field].errors if error.field else form.form_errors).append(error.message)
        else:
            start_session(user)
            flash(_("Your organiser account is ready. Create your first event."), "success")
            return redirect(url_for("events.new_event"))
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200
