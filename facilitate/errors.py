"""Error pages: a clear sentence, the right status, never a stack trace, never a half-written change."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .services.errors import ServiceError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Something in that request was not right"),
        _l("Go back, check what you entered and try again."),
    ),
    403: (
        _l("You cannot open this page"),
        _l("Your account does not have access to it. Ask the event's organiser if you need it."),
    ),
    404: (_l("Page not found"), _l("Check the address, or go back to the start.")),
    405: (_l("That did not work"), _l("This page cannot be used that way. Go back and try again.")),
    413: (_l("That was too large"), _l("Send something smaller.")),
    429: (_l("Too many tries"), _l("Wait a minute, then try again.")),
    500: (
        _l("Sorry, something went wrong"),
        _l(
            "Nothing you entered was lost on purpose, but it may not have been saved. Try again in a moment."
        ),
    ),
    503: (
        _l("Not saved, please try again"),
        _l("The server could not save that just now. Try again in a moment."),
    ),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(ServiceError, handle_service)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(OperationalError, handle_database)
    app.register_error_handler(Exception, handle_unexpected)
    app.teardown_request(_rollback_on_error)


def _rollback_on_error(error):
    if error is not None:
        db.session.rollback()


def render_error(status: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(status, MESSAGES[400])
    title, message = str(title or default_title), str(message or default_message)
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(
            ok=False, error={"code": str(status), "message": f"{title}. {message}"}
        ), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_csrf(error: CSRFError):
    return render_error(
        400,
        _("This form had expired"),
        _(
            "For your safety forms stop working after a while or when you sign in again. "
            "Go back, reload the page and try again."
        ),
    )


def handle_service(error: ServiceError):
    """A refusal that reached no form: say it plainly with a fitting status."""
    db.session.rollback()
    status = error.status
    return render_error(status, MESSAGES.get(status, MESSAGES[400])[0], error.message)


def handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    title, message = MESSAGES.get(error.code, (error.name, error.description))
    response, status = render_error(error.code, title, message)
    if error.code == 429 and getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response, status


def handle_database(error: OperationalError):
    db.session.rollback()
    log.exception("Database error")
    return render_error(503)


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http(error)
    db.session.rollback()
    log.exception("Unexpected error")
    return render_error(500)
