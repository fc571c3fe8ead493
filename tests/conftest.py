"""Fixtures: an app on a fresh real database per test, its client and CLI runner, a signed-in
client, Socket.IO test clients, real server processes and a real Chromium."""

from __future__ import annotations

import contextvars

import pytest
from flask import has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import stamp
from jinja2 import BytecodeCache
from sqlalchemy import text

from facilitate import create_app
from facilitate.extensions import db, socketio
from facilitate.models import Role
from tests.support import environment
from tests.support.factories import PASSWORD, make_user
from tests.support.servers import LiveServer

pytest_plugins = ["tests.support.browsers", "tests.support.laptops"]


def pytest_report_header(config):
    database = "PostgreSQL" if environment.use_postgres() else "SQLite"
    return [f"facilitate tests on {database}; CI={environment.ON_CI}"]


@pytest.fixture(scope="session")
def postgres_url():
    """One PostgreSQL database for the run (the schema is emptied between tests)."""
    if not environment.postgres_available():
        environment.missing("PostgreSQL is not reachable at " + environment.POSTGRES_ADMIN_URL)
    url = environment.create_postgres_database()
    yield url
    environment.drop_postgres_database(url)


@pytest.fixture
def database_url(request, tmp_path):
    if environment.use_postgres():
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'facilitate.db'}"


def isolated(call):
    """Run ``call`` outside the test's app context, as a real request or command would run: with its
    own ``g``, its own database session and its own signed-in user."""

    def run(*args, **kwargs):
        try:
            return contextvars.Context().run(call, *args, **kwargs)
        finally:
            # The test's own session then sees what the request committed (a redirect followed
            # inside a request has no app context of its own to refresh).
            if has_app_context():
                db.session.commit()
                db.session.expire_all()

    return run


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        return isolated(super().open)(*args, **kwargs)


class IsolatedRunner(FlaskCliRunner):
    def invoke(self, *args, **kwargs):
        return isolated(super().invoke)(*args, **kwargs)


class IsolatedSocketClient:
    """Flask-SocketIO's test client, each call in a context of its own."""

    def __init__(self, make):
        self._inner = isolated(make)()

    def __getattr__(self, name):
        value = getattr(self._inner, name)
        return isolated(value) if callable(value) else value


class SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every test's app (keyed by the template's source), so a test
    does not spend its time compiling the same pages again."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


@pytest.fixture
def app(database_url, tmp_path):
    instance = tmp_path / "instance"
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MESSAGE_QUEUE": None,
            # A fast hash: tests make hundreds of accounts (the default is checked on its own).
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    app.test_client_class = IsolatedClient
    app.test_cli_runner_class = IsolatedRunner
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.create_all()
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        else:
            db.create_all()
        stamp()  # the schema is the models' own: commands that migrate find nothing to do
        db.session.remove()
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    for engine in db.engines.values():
        engine.dispose()
    ctx.pop()
    from facilitate.realtime import connections, presence

    connections._connections.clear()
    connections._phones.clear()
    connections._per_address.clear()
    presence._dirty.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Signs a test client in and out through the real form."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = PASSWORD):
        page = self.client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/login", data={"email": user.email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = csrf_from(self.client.get("/account").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})


def csrf_from(html: str) -> str:
    import re

    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def organiser(app):
    return make_user(Role.ORGANISER, email="olive@example.org", name="Olive Organiser")


@pytest.fixture
def facilitator(app):
    return make_user(Role.FACILITATOR, email="andy@example.org", name="Andy Facilitator")


@pytest.fixture
def organiser_client(client, auth, organiser):
    response = auth.login(organiser)
    assert response.status_code == 302
    return client


@pytest.fixture
def live_socket(app):
    """``live_socket(auth=…, client=…)`` connects a Socket.IO test client to ``/live``."""
    made = []

    def connect(auth=None, client=None):
        sio = IsolatedSocketClient(
            lambda: socketio.test_client(
                app, namespace="/live", auth=auth, flask_test_client=client
            )
        )
        made.append(sio)
        return sio

    yield connect
    for sio in made:
        if sio.is_connected("/live"):
            sio.disconnect("/live")


@pytest.fixture
def live_server(tmp_path, request):
    """A started ``facilitate serve`` on its own database; stopped after the test."""
    if environment.use_postgres():
        if not environment.postgres_available():
            environment.missing("PostgreSQL is not reachable")
        url = environment.create_postgres_database()
    else:
        url = f"sqlite:///{tmp_path / 'server' / 'facilitate.db'}"
    server = LiveServer(tmp_path / "server", url)
    server.start()
    yield server
    server.close()
    if url.startswith("postgresql"):
        environment.drop_postgres_database(url)
