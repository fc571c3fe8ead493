"""Settings in layers: defaults, then ``instance/config.py``, then ``FACILITATE_*`` environment, then
the overrides a caller (a test, the CLI) passes to ``create_app``."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from . import private

#: Environment variables of the public contract, and the setting each one fills.
ENVIRONMENT = {
    "FACILITATE_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "FACILITATE_MESSAGE_QUEUE": "MESSAGE_QUEUE",
    "FACILITATE_SECRET_KEY": "SECRET_KEY",
    "FACILITATE_BASE_URL": "BASE_URL",
    # Not in the contract: how many proxies in front set X-Forwarded-* (docs/deploy.md).
    "FACILITATE_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    # Not in the contract: when a late event loop is worth a warning (docs/performance.md).
    "FACILITATE_LOOP_LAG_WARN_MS": "LOOP_LAG_WARN_MS",
}


class Defaults:
    """What a laptop running one break-out needs, with no configuration at all."""

    #: Filled from the instance folder when left empty: ``sqlite:///<instance>/facilitate.db``.
    SQLALCHEMY_DATABASE_URI: str | None = None
    #: A Redis URL when several processes share the Socket.IO fan-out; ``None`` on a laptop.
    MESSAGE_QUEUE: str | None = None
    #: The Redis channel of this site's processes: two sites sharing one Redis need two names.
    MESSAGE_QUEUE_CHANNEL = "facilitate"
    #: The public address (``https://facilitate.example.org``) when links must be absolute.
    BASE_URL: str | None = None
    #: Generated into the instance folder on first run when not given.
    SECRET_KEY: str | None = None
    #: ``gevent`` under ``facilitate serve``; ``threading`` for in-process tests and tools.
    ASYNC_MODE = "threading"
    #: Set on the app of ``facilitate demo`` and ``serve --demo``, whose folder is ``<instance>-demo``.
    DEMO = False
    #: How many proxies (nginx) stand in front and set X-Forwarded-For/-Proto/-Host; 0 on a laptop.
    #: Rate limits then count the phone's own address, not the proxy's.
    TRUSTED_PROXIES = 0
    #: ``facilitate serve`` logs a line when its event loop wakes this much later than asked.
    LOOP_LAG_WARN_MS = 200

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "facilitate_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    #: A facilitator may leave a form open through a whole break-out.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    #: How passwords are hashed (werkzeug's method string); scrypt is current and memory-hard.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a method name, not a password)
    #: Sign-in: failures per account before each further try must wait, and the longest wait.
    LOGIN_FAILURES_BEFORE_DELAY = 5
    LOGIN_MAX_DELAY_SECONDS = 300
    #: A browser that signed in remembers it this long, and is spared the wait after failures.
    KNOWN_DEVICE_LIFETIME = timedelta(days=180)
    #: Flask-Limiter: per-address budgets (many phones share one venue address, so be generous).
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    #: Failed sign-ins per address (or per known browser) before a 429 until the minute is over.
    LOGIN_RATE_LIMIT = "30 per minute"
    JOIN_MISS_RATE_LIMIT = "60 per minute"
    #: Every join attempt from one address, right or wrong: far above a venue's, far below guessing.
    JOIN_ATTEMPT_RATE_LIMIT = "600 per minute"

    #: Theme defaults: names optional, no approval, 5 votes, 500 characters (a theme's
    #: ``settings``, docs/realtime.md).
    THEME_DEFAULT_VOTES = 5
    THEME_DEFAULT_NOTE_LENGTH = 500
    NOTE_LENGTH_CEILING = 2000
    NAME_MAX_LENGTH = 60
    #: Socket.IO connections one address may hold in one process (a whole venue may share one).
    CONNECTIONS_PER_ADDRESS = 1000
    #: Notes one participant may post per minute before ``rate_limited``.
    NOTES_PER_MINUTE = 30
    #: After the timer closes a theme, notes still on their way are stored for this long.
    TIMER_CLOSE_GRACE_SECONDS = 30
    #: Report downloads built at once in worker processes under ``serve``; more wait their turn.
    EXPORT_WORKERS = 2
    #: A download still being made after this long is stopped and refused with a message.
    EXPORT_TIMEOUT_SECONDS = 180
    #: Write-ups rendered at once in worker processes under ``serve``, and how long one may take.
    WRITEUP_RENDER_WORKERS = 2
    WRITEUP_RENDER_TIMEOUT_SECONDS = 10
    #: Rendered write-ups kept in memory per process (characters of HTML in all).
    WRITEUP_RENDER_CACHE_CHARS = 32_000_000
    #: A closed theme's join code stops working after this long.
    JOIN_CODE_EXPIRES_AFTER = timedelta(days=30)

    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/markdown",
        "text/csv",
        "application/javascript",
        "text/javascript",
        "application/json",
        "image/svg+xml",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 500
    #: Static addresses carry the file's version (?v=…), so browsers may keep them long.
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(days=30)


def instance_path_from_environment() -> Path:
    """The instance folder: ``FACILITATE_INSTANCE_PATH``, else ``instance/`` in the working directory."""
    return Path(os.environ.get("FACILITATE_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def load(app, overrides: dict | None) -> None:
    """Fill ``app.config`` layer by layer and derive what was left empty."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for variable, key in ENVIRONMENT.items():
        if os.environ.get(variable):
            app.config[key] = os.environ[variable]
    app.config.update(overrides or {})

    instance = private.folder(Path(app.instance_path))
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'facilitate.db'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if app.config["BASE_URL"]:
        app.config["BASE_URL"] = app.config["BASE_URL"].rstrip("/")
    app.config["TRUSTED_PROXIES"] = int(app.config["TRUSTED_PROXIES"] or 0)
    app.config["LOOP_LAG_WARN_MS"] = float(app.config["LOOP_LAG_WARN_MS"])
    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["MESSAGE_QUEUE"] or "memory://"


def _instance_secret(path: Path) -> str:
    """Read the secret key kept in the instance folder, creating it (owner-only) on first run."""
    if path.exists():
        private.narrow(path)
    else:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process started at the same moment and wrote it
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
    for _ in range(50):  # the other process may still be writing it
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"The secret key file {path} is empty; delete it and start again.")
