"""Command-line interface: ``facilitate serve``, ``user add``, ``event import``, ``export``, ``demo``;
``bundle`` comes from facilitate.bundles.cli.

The same commands are registered on the app, so ``flask --app facilitate …`` works as well.
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _

from . import create_app
from .exports.names import FORMATS
from .extensions import db
from .server import ALL_INTERFACES
from .services import accounts
from .services.errors import ServiceError


def gevent_patched() -> bool:
    if "gevent.monkey" not in sys.modules:
        return False
    from gevent import monkey

    return monkey.is_module_patched("socket")


def app_for_cli() -> Flask:
    return create_app({"ASYNC_MODE": "gevent"} if gevent_patched() else None)


cli = FlaskGroup(
    create_app=app_for_cli,
    load_dotenv=False,
    set_debug_flag=False,
    help="Facilitate: live notes for the break-out part of an unconference.",
)


def with_database(command):
    """Run the command in an app context on a database created or migrated to the latest schema,
    so that a first ``facilitate demo`` or ``user add`` works before the server ever ran."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from . import database

        database.upgrade(current_app._get_current_object())
        return command(*args, **kwargs)

    return with_appcontext(run)


def fail(message: str) -> None:
    """Stop with a message on stderr and exit status 1."""
    click.secho(_("Error: %(message)s", message=message), err=True, fg="red")
    sys.exit(1)


@click.command("serve")
@click.option("--host", default=ALL_INTERFACES, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=None,
    type=click.IntRange(1, 65535),
    help="Port to listen on. [default: 5000, or the next free one when 5000 is taken]",
)
@click.option("--access-log/--no-access-log", default=False, help="Print a line per HTTP request.")
@click.option("--demo", "show_demo", is_flag=True, help="Serve the demo's folder (see `demo`).")
@with_appcontext
def serve(host: str, port: int | None, access_log: bool, show_demo: bool) -> None:
    """Run the server with websockets for phones, wall and console."""
    import os

    from .server import run

    os.umask(0o077)  # whatever the server or SQLite makes from here on is the owner's alone

    app = current_app._get_current_object()
    if show_demo:
        app = demo_app(app)
        if not (Path(app.instance_path) / DEMO_MARK).is_file() and gevent_patched():
            load_demo_into(app)
    run(app, host, port, access_log)


@click.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, as shown on write-ups.")
@click.option("--role", required=True, type=click.Choice(["organiser", "facilitator"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_database
def user_add(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    else:
        fail(_("No terminal to ask for a password: pass --password-stdin and pipe it in."))
    try:
        user = accounts.create_user(email, name, role, password)
    except ServiceError as error:
        fail(error.message)
    click.echo(
        _(
            "Created %(role)s account for %(name)s <%(email)s>.",
            role=user.role.value,
            name=user.name,
            email=user.email,
        )
    )


@click.group("event")
def event_group() -> None:
    """Manage events."""


@event_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@with_database
def event_import(file: str) -> None:
    """Create an event with its themes from a YAML or JSON file; print its codes as JSON."""
    from .services import imports

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(_("Cannot read %(file)s: %(error)s", file=file, error=error))
    try:
        event = imports.import_event_text(text, file)
    except imports.ImportProblem as problem:
        fail(str(problem))
    with current_app.test_request_context("/"):
        click.echo(json.dumps(imports.import_summary(event), indent=2, ensure_ascii=False))


@click.command("export")
@click.argument("event_slug")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS)),
    help="The report's format.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write; standard output when left out (text formats, or when redirected).",
)
@with_database
def export(event_slug: str, fmt: str, output: str | None) -> None:
    """Export an event's report: the same bytes as the organiser's download."""
    from .exports.command import run_export

    run_export(event_slug, fmt, output)


#: Written into the demo's folder, so that ``demo --remove`` deletes nothing else.
DEMO_MARK = "FACILITATE-DEMO.txt"


def demo_folder(instance_path: str | Path) -> Path:
    """The demo's own folder beside the instance folder (``instance-demo``), so that trying the demo
    the evening before never mixes it into the real event."""
    instance = Path(instance_path)
    return instance.with_name(f"{instance.name}-demo")


def demo_app(real: Flask) -> Flask:
    """An app on the demo's folder, with a SQLite database there whatever the real one is."""
    folder = demo_folder(real.instance_path)
    overrides = {
        "INSTANCE_PATH": str(folder),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'facilitate.db'}",
        "MESSAGE_QUEUE": None,
        "DEMO": True,
        "ASYNC_MODE": real.config["ASYNC_MODE"],
    }
    for key in ("TESTING", "PASSWORD_HASH_METHOD", "BASE_URL"):
        if key in real.config:
            overrides[key] = real.config[key]
    return create_app(overrides)


def load_demo_into(app: Flask) -> None:
    """Create and migrate the demo's database, load the demo event and say how to see and remove it."""
    from . import database
    from .links import wall_path
    from .services import demo as demo_service

    folder = Path(app.instance_path)
    database.upgrade(app)
    (folder / DEMO_MARK).write_text(
        _("This folder holds Facilitate's demo event only; `facilitate demo --remove` deletes it.")
        + "\n",
        encoding="utf-8",
    )
    with app.app_context():
        result = demo_service.load_demo()
        click.echo(
            _(
                "Loaded “%(title)s” with %(count)s themes:",
                title=result.event.title,
                count=len(result.event.themes),
            )
        )
        with app.test_request_context("/"):
            for theme in result.event.themes:
                click.echo(
                    "  "
                    + _(
                        "%(title)s %(phase)s join code %(code)s   wall %(wall)s",
                        title=f"{theme.title:<12}",
                        phase=f"{theme.phase.label:<11}",
                        code=theme.join_code,
                        wall=wall_path(theme),
                    )
                )
        for line in result.sign_in_lines:
            click.echo(line)
        db.session.remove()
    click.echo(
        _("The demo has its own folder, apart from your real events: %(folder)s", folder=folder)
    )
    click.echo(_("See it:    facilitate serve --demo   (then sign in at /login)"))
    click.echo(_("Remove it: facilitate demo --remove"))


@click.command("demo")
@click.option("--remove", is_flag=True, help="Delete the demo's folder; real events are untouched.")
@with_appcontext
def demo(remove: bool) -> None:
    """Load a demo event, in a folder of its own, so a newcomer sees a full session at once."""
    folder = demo_folder(current_app.instance_path)
    if remove:
        if not (folder / DEMO_MARK).is_file():
            fail(_("There is no demo to remove at %(folder)s.", folder=folder))
        shutil.rmtree(folder)
        click.echo(
            _("Removed the demo (%(folder)s). Your real events are untouched.", folder=folder)
        )
        return
    load_demo_into(demo_app(current_app._get_current_object()))


@click.command("check")
@click.option(
    "--port",
    default=None,
    type=click.IntRange(1, 65535),
    help="The port `serve` will use. [default: 5000, or the next free one]",
)
@click.option(
    "--wait",
    default=120,
    show_default=True,
    type=click.IntRange(0, 3600),
    help="Seconds to wait for a phone to open the address; 0 only prints what the laptop can tell.",
)
def check_command(port: int | None, wait: int) -> None:
    """Before the session: say whether phones will reach this laptop, and what to do if not."""
    from .check import run_check

    sys.exit(0 if run_check(port, wait) else 1)


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=True, dir_okay=True))
@with_appcontext
def backup_command(target: str) -> None:
    """Copy the SQLite database consistently, even while the server runs (a folder or a file name)."""
    from .services import backup

    try:
        summary = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(target))
    except ServiceError as error:
        fail(error.message)
    click.echo(
        _(
            "Backed up %(events)s events and %(notes)s notes (%(size)s kB) to %(path)s",
            events=summary.events,
            notes=summary.notes,
            size=f"{summary.size / 1024:.0f}",
            path=summary.path,
        )
    )


@click.command("restore")
@click.argument("copy", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(copy: str, yes: bool) -> None:
    """Put a backup in place of the database (stop the server first); the old one is kept."""
    from . import database
    from .services import backup

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        summary = backup.inspect_copy(Path(copy))
    except ServiceError as error:
        fail(error.message)
    click.echo(
        _(
            "%(copy)s: a whole Facilitate database with %(events)s events and %(notes)s notes.",
            copy=copy,
            events=summary.events,
            notes=summary.notes,
        )
    )
    if not yes and not click.confirm(
        _("Stop the server first. Replace the current database with it?")
    ):
        fail(_("Nothing was changed."))
    try:
        summary, kept = backup.restore(url, Path(copy))
    except ServiceError as error:
        fail(error.message)
    if kept:
        click.echo(_("The database it replaced is kept as %(path)s", path=kept))
    database.upgrade(current_app._get_current_object())
    click.echo(_("Restored. Start the server again with: facilitate serve"))


def register_commands(app: Flask) -> None:
    from .bundles.cli import bundle_group

    for command in (
        bundle_group,
        serve,
        check_command,
        user_group,
        event_group,
        export,
        demo,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)
