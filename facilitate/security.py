"""Response headers every page gets, and who is signed in."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .extensions import db, login_manager
from .models import User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.localize_callback = str  # flashed as text in the request's language
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.wsgi_app = secure_cookies_over_https(app.wsgi_app)


def secure_cookies_over_https(wsgi_app):
    """Mark every cookie ``Secure`` when the request came over HTTPS (directly, or through a
    trusted proxy: ``ProxyFix`` wraps this and has set the scheme by then). A laptop on plain
    HTTP keeps working; behind HTTPS no cookie can leak over an unencrypted request. Done on the
    way out of the WSGI app, so the session cookie, Flask-Login's and the app's own are all seen,
    whichever order they were set in."""

    def app(environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            headers = [
                (name, _secure(value) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app


def _secure(cookie: str) -> str:
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    return cookie if "secure" in attributes else cookie + "; Secure"


def refuse_nul_characters() -> None:
    """No one types a NUL character, and databases refuse to store or even compare one: a request
    whose address or form holds one is turned away plainly instead of failing deep inside."""
    values = [request.path, *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += request.form.values()
    if any("\x00" in value for value in values):
        abort(400)


def load_user(identity: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session version>"``; an old version is signed out."""
    user_id, _, version = (identity or "").partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    return db.session.scalar(
        select(User).where(User.id == int(user_id), User.session_version == int(version))
    )


def content_security_policy() -> str:
    host = request.host
    # Over HTTPS a page may open only encrypted websockets.
    sockets = f"wss://{host}" if request.is_secure else f"ws://{host} wss://{host}"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {sockets}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static" and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response
