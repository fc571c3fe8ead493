"""``facilitate serve``: the production server (Flask-SocketIO on gevent), ready for a room."""

from __future__ import annotations

import errno
import gc
import os
import sys

import click
from flask import Flask

from . import database
from .extensions import db, socketio
from .links import lan_address, qr_terminal
from .services import accounts

#: Phones on the venue's Wi-Fi must reach the laptop, so the server listens on every interface.
ALL_INTERFACES = "0.0.0.0"  # noqa: S104
WILDCARDS = (ALL_INTERFACES, "::")


def run(app: Flask, host: str, port: int, access_log: bool) -> None:
    from .cli import gevent_patched

    if not gevent_patched():
        # Reached through ``flask --app facilitate serve``: start again as ``facilitate serve`` so
        # that gevent patches the standard library before anything else is imported.
        arguments = [
            sys.executable,
            "-m",
            "facilitate",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
        ]
        if access_log:
            arguments.append("--access-log")
        sys.stdout.flush()
        os.execv(sys.executable, arguments)  # noqa: S606
    if app.config["ASYNC_MODE"] != "gevent":
        raise click.ClickException(
            "The server must run with gevent; start it as `facilitate serve`."
        )

    database.upgrade(app)
    print_banner(app, host, port)
    from .realtime import start_background_tasks

    start_background_tasks(app)
    # Keep what start-up loaded (SQLAlchemy's mappers, templates, the export libraries) out of the
    # garbage collector's sight: a full collection walked all of it, stopping every phone's
    # delivery for up to 200 ms at a time (36 ms once frozen, in a 300-phone broadcast).
    gc.collect()
    gc.freeze()
    try:
        socketio.run(
            app, host=host, port=port, log_output=access_log, use_reloader=False, debug=False
        )
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise click.ClickException(
                f"Port {port} is already in use (another Facilitate, or another program). "
                f"Stop it, or choose another port: facilitate serve --port {port + 1}"
            ) from None
        if error.errno in (errno.EACCES, getattr(errno, "WSAEACCES", -1)):
            raise click.ClickException(
                f"Not allowed to listen on port {port}; choose one above 1024."
            ) from None
        raise


def print_banner(app: Flask, host: str, port: int) -> None:
    """Tell the facilitator where the app is, how phones reach it, and how to set it up."""
    suffix = "" if port == 80 else f":{port}"
    loopback = host in ("127.0.0.1", "localhost", "::1")
    local = (
        f"http://127.0.0.1{suffix}" if host in WILDCARDS or loopback else f"http://{host}{suffix}"
    )
    phones = app.config.get("BASE_URL")
    if not phones and host in WILDCARDS:
        address = lan_address()
        phones = f"http://{address}{suffix}" if address else None
    elif not phones and not loopback:
        phones = local
    echo = click.echo
    echo("")
    echo(click.style("Facilitate is running.", bold=True))
    echo(f"  On this laptop:   {local}")
    if phones:
        echo(f"  Phones (same Wi-Fi): {phones}/join")
        echo("")
        echo(qr_terminal(f"{phones}/join"))
    elif loopback:
        echo("  Phones cannot reach this address: start without --host to let them in.")
    else:
        echo(
            "  Phones: no network address found; connect this laptop to the room's Wi-Fi or a hotspot."
        )
    echo(f"  Data folder:      {app.instance_path}")
    echo(f"  Database:         {database.describe(app)}")
    with app.app_context():
        token = accounts.issue_setup_token(app.instance_path)
        db.session.remove()
    if token:
        echo("")
        echo(
            click.style(
                "No account exists yet. Create the first organiser here (works once):", bold=True
            )
        )
        echo(f"  {local}/setup?token={token}")
    echo("")
    echo("Press Ctrl+C to stop.")
    sys.stdout.flush()
