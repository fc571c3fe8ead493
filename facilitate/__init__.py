"""Facilitate: live notes for the break-out part of an unconference.

``create_app`` is the only place an app is built. Imports happen inside it, so that
``facilitate serve`` can apply gevent's monkey-patching before Flask or anything else loads.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``templates`` or ``static``: inside the installed wheel, else at the checkout's root."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: dict | None = None):
    """Build the Flask app; ``config`` overrides every other settings layer (tests use it)."""
    from flask import Flask

    from . import compression, database, errors, i18n, security, web
    from . import config as settings
    from .cli import register_commands
    from .extensions import csrf, db, limiter, login_manager, migrate, socketio
    from .realtime import init_realtime
    from .writeups import rendering

    instance_path = (config or {}).get("INSTANCE_PATH") or settings.instance_path_from_environment()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    settings.load(app, config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        database.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
    )

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    compression.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    rendering.init_app(app)
    init_realtime(app, socketio)
    register_commands(app)
    if app.config["TRUSTED_PROXIES"]:
        # Outermost, so that Socket.IO requests also see the phone's own address and scheme.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app
