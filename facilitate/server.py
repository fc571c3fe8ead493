"""``facilitate serve``: the production server (Flask-SocketIO on gevent), ready for a room."""

from __future__ import annotations

import errno
import gc
import os
import socket
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
#: The port a laptop serves on unless told otherwise.
DEFAULT_PORT = 5000
#: How far past a taken default port to look for a free one.
PORTS_TO_TRY = 20


def port_taken(host: str, port: int) -> bool:
    """Whether another program already answers on, or holds, ``host:port``.

    Something may hold the port on every interface (macOS's AirPlay receiver takes 5000) while a
    bind to one address would still succeed, so a listener on the loopback address counts too.
    """
    with socket.socket() as probe:
        probe.settimeout(0.3)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return True
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        if os.name == "nt":
            probe.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_EXCLUSIVEADDRUSE", 0), 1)
        else:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def choose_port(host: str, port: int | None) -> int:
    """The port to serve on: the one asked for (a taken one is refused plainly), or the default
    when it is free, else the next free one after it, said in one sentence."""
    if port is not None:
        if port_taken(host, port):
            raise click.ClickException(
                f"Port {port} is already in use (another Facilitate, or another program). "
                f"Stop it, or choose another port: facilitate serve --port {port + 1}"
            )
        return port
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TO_TRY):
        if not port_taken(host, candidate):
            if candidate != DEFAULT_PORT:
                click.echo(
                    f"Port {DEFAULT_PORT} is taken by another program (on a Mac often the AirPlay "
                    f"receiver), so Facilitate serves on port {candidate} instead."
                )
            return candidate
    raise click.ClickException(
        f"Ports {DEFAULT_PORT} to {DEFAULT_PORT + PORTS_TO_TRY - 1} are all in use; "
        "choose a free one: facilitate serve --port 8080"
    )


def run(app: Flask, host: str, port: int | None, access_log: bool) -> None:
    from .cli import gevent_patched

    port = choose_port(host, port)
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
        if app.config.get("DEMO"):
            arguments.append("--demo")
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
    if app.config.get("DEMO"):
        echo("  This is the demo, in its own folder: your real events are not here.")
    echo(f"  On this laptop:   {local}")
    if phones:
        echo(f"  Phones (same Wi-Fi): {phones}/join")
        echo("")
        echo(qr_terminal(f"{phones}/join"))
        echo(
            "  A phone cannot open it? The Wi-Fi may keep devices apart: `facilitate check` tells."
        )
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
