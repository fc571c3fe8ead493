"""Two ``facilitate serve`` processes on one PostgreSQL database and one Redis, as on a shared server."""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests
import socketio
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note, Role, Theme
from tests.conftest import csrf_from
from tests.support import environment
from tests.support.factories import make_theme, make_user
from tests.support.nginx import Nginx
from tests.support.phones import LiveClient
from tests.support.redis_server import RedisServer
from tests.support.servers import LiveServer, cookie_header, signed_in

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def postgres_database():
    if not environment.postgres_available():
        environment.missing("PostgreSQL is not reachable")
    url = environment.create_postgres_database()
    yield url
    environment.drop_postgres_database(url)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def pair(tmp_path, postgres_database, redis_server):
    """Processes A and B, started at the same moment on an empty database (both try to migrate)."""
    servers = [
        LiveServer(tmp_path / name, postgres_database, message_queue=redis_server.url)
        for name in ("a", "b")
    ]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda server: server.start(), servers))
    yield servers
    for server in servers:
        server.close()


@pytest.fixture
def theme(pair):
    with pair[0].app_context():
        lead = make_user(Role.FACILITATOR, email="lead@example.org")
        theme = make_theme(facilitators=[lead])
        return {"id": theme.id, "code": theme.join_code, "wall": theme.wall_token}


def signed_in_cookie(server: LiveServer, email: str) -> str:
    return cookie_header(signed_in(server, email))


def notes_in(server: LiveServer, theme_id: int) -> list[Note]:
    with server.app_context():
        return list(
            db.session.scalars(select(Note).where(Note.theme_id == theme_id).order_by(Note.seq))
        )


def test_both_processes_started_together_on_one_schema(pair):
    for server in pair:
        assert requests.get(server.url + "/healthz", timeout=5).json()["ok"] is True
    with pair[1].app_context():
        version = (
            db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalars().all()
        )
    assert len(version) == 1


def test_a_note_posted_on_a_reaches_phones_and_walls_on_b(pair, theme):
    a, b = pair
    author = LiveClient(a.url, {"code": theme["code"]}).connect()
    reader = LiveClient(b.url, {"code": theme["code"]}).connect()
    wall = LiveClient(b.url, {"wall": theme["wall"]}).connect()
    ack = author.post("Posted on A")
    assert ack["ok"]
    for client in (reader, wall):
        [added] = client.wait_for("note:added", 1, timeout=5)
        assert added["note"]["id"] == ack["note"]["id"]
    for client in (author, reader, wall):
        client.disconnect()


def test_a_facilitator_on_b_moderates_a_theme_joined_on_a(pair, theme):
    a, b = pair
    phone = LiveClient(a.url, {"code": theme["code"]}).connect()
    console = LiveClient(
        b.url,
        {"theme_id": theme["id"]},
        headers={"Cookie": signed_in_cookie(b, "lead@example.org")},
    ).connect()
    note = phone.post("Slightly off topic")["note"]
    console.wait_for("note:added", 1)
    assert console.call("note:moderate", {"note_id": note["id"], "action": "hide"})["ok"]
    [removed] = phone.wait_for("note:removed", 1, timeout=5)
    assert removed["note"]["id"] == note["id"]
    phone.disconnect()
    console.disconnect()


def test_fifty_clients_over_both_processes_store_every_note_once_in_gap_free_order(pair, theme):
    clients = [LiveClient(pair[i % 2].url, {"code": theme["code"]}) for i in range(50)]
    with ThreadPoolExecutor(25) as pool:
        list(pool.map(lambda c: c.connect(), clients))

    def post_four(client: LiveClient) -> list[str]:
        ids = []
        for number in range(4):
            client_id = str(uuid.uuid4())
            assert client.post(f"note {number}", client_id)["ok"]
            ids.append(client_id)
        return ids

    with ThreadPoolExecutor(25) as pool:
        sent = [cid for ids in pool.map(post_four, clients) for cid in ids]
    stored = notes_in(pair[0], theme["id"])
    assert sorted(n.client_id for n in stored) == sorted(sent)
    assert [n.seq for n in stored] == list(range(1, 201))
    for client in clients:
        assert len({e["note"]["id"] for e in client.wait_for("note:added", 200, timeout=20)}) == 200
        client.disconnect()


def test_exports_from_either_process_hold_every_note(pair, theme):
    a, b = pair
    phones = [LiveClient(server.url, {"code": theme["code"]}).connect() for server in pair]
    texts = [f"Posted on {'AB'[n % 2]}, number {n}" for n in range(10)]
    for n, text in enumerate(texts):
        assert phones[n % 2].post(text)["ok"]
    downloads = {}
    for name, server in (("a", a), ("b", b)):
        answer = requests.get(
            f"{server.url}/themes/{theme['id']}/report.json",
            headers={"Cookie": signed_in_cookie(server, "lead@example.org")},
            timeout=30,
        )
        assert answer.status_code == 200
        downloads[name] = answer.content
    assert downloads["a"] == downloads["b"]
    [exported] = json.loads(downloads["a"])["themes"]  # its "notes" lists every exported note
    assert sorted(note["text"] for note in exported["notes"]) == sorted(texts)
    for phone in phones:
        phone.disconnect()


def test_wrong_codes_are_counted_across_both_processes(tmp_path, postgres_database, redis_server):
    """With a message queue the rate limits live in Redis, so a guesser cannot double its budget by
    spreading over the processes behind the proxy."""
    servers = [
        LiveServer(tmp_path / name, postgres_database, message_queue=redis_server.url)
        for name in ("a", "b")
    ]
    for server in servers:
        (server.instance / "config.py").write_text('JOIN_MISS_RATE_LIMIT = "4 per minute"\n')
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda server: server.start(), servers))
    try:
        a, b = servers
        statuses = [
            requests.get(f"{server.url}/join", params={"code": f"NOPE9{n}"}, timeout=10).status_code
            for n, server in enumerate((a, b, a, b, a, b))
        ]
        assert statuses[:4] == [404] * 4
        assert statuses[4:] == [429, 429]
        guesser = LiveClient(b.url, {"code": "NOPE99"})
        with pytest.raises(socketio.exceptions.ConnectionError):
            guesser.connect(timeout=10)
        assert guesser.refusal["data"]["code"] == "rate_limited"
    finally:
        for server in servers:
            server.close()


def test_after_redis_restarts_phones_catch_up(pair, theme, redis_server):
    a, b = pair
    author = LiveClient(a.url, {"code": theme["code"]}).connect()
    reader = LiveClient(b.url, {"code": theme["code"]}).connect()
    seen = reader.welcome["seq"]
    redis_server.stop()
    during = [author.post(f"While Redis was down {n}") for n in range(3)]
    assert all(ack["ok"] for ack in during), "notes are stored and acknowledged without Redis"
    redis_server.start()
    reader.wait_for("resync", 1, timeout=20)  # the process tells its pages to catch up
    caught_up = reader.call("sync", {"since": seen})
    assert {n["id"] for n in caught_up["notes"]} >= {ack["note"]["id"] for ack in during}
    token = reader.auth["token"]
    reader.disconnect()
    again = LiveClient(b.url, {"code": theme["code"], "token": token}).connect()
    assert {n["id"] for n in again.welcome["notes"]} >= {ack["note"]["id"] for ack in during}
    after = author.post("After Redis came back")
    [live] = again.wait_for("note:added", 1, timeout=10)
    assert live["note"]["id"] == after["note"]["id"]
    author.disconnect()
    again.disconnect()


def _wait_until_a_query_waits_on_a_lock(url: str, timeout: float = 15) -> None:
    """Until some session of the server waits for a row lock (``pg_locks``), not for a guessed time."""
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as watch:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            waiting = watch.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("no query came to wait on the locked row")


def test_a_slow_query_on_one_connection_does_not_stall_delivery_on_others(
    pair, theme, postgres_database
):
    a = pair[0]
    with a.app_context():
        other = make_theme(title="Training")
        other_code, other_id = other.join_code, other.id
    stuck_phone = LiveClient(a.url, {"code": theme["code"]}).connect()
    talkers = [LiveClient(a.url, {"code": other_code}).connect() for _ in range(3)]
    locker = psycopg.connect(postgres_database.replace("postgresql+psycopg", "postgresql"))
    locker.execute(
        "SELECT id FROM themes WHERE id = %s FOR UPDATE", (theme["id"],)
    )  # held until rollback
    stuck_result = {}
    stuck = threading.Thread(
        target=lambda: stuck_result.update(stuck_phone.post("Waits on the lock", timeout=30))
    )
    stuck.start()
    _wait_until_a_query_waits_on_a_lock(postgres_database)
    started = time.monotonic()
    for talker in talkers:
        assert talker.post("Delivered meanwhile")["ok"]
    for talker in talkers:
        talker.wait_for("note:added", 3, timeout=5)
    elapsed = time.monotonic() - started
    assert stuck.is_alive(), "the locked post is still waiting"
    assert elapsed < 2, f"other themes stalled for {elapsed:.1f} s behind one slow query"
    locker.rollback()
    locker.close()
    stuck.join(timeout=20)
    assert stuck_result.get("ok") is True
    assert len(notes_in(a, other_id)) == 3
    for client in (stuck_phone, *talkers):
        client.disconnect()


@pytest.fixture
def behind_nginx(tmp_path, postgres_database, redis_server):
    """Two processes behind nginx configured as docs/deploy.md says."""
    servers = [
        LiveServer(
            tmp_path / name,
            postgres_database,
            message_queue=redis_server.url,
            environment={"FACILITATE_TRUSTED_PROXIES": "1"},
        )
        for name in ("a", "b")
    ]
    for server in servers:
        server.start()
    proxy = Nginx(tmp_path / "nginx", [server.port for server in servers]).start()
    yield proxy, servers
    proxy.stop()
    for server in servers:
        server.close()


def test_the_documented_nginx_configuration_carries_pages_websockets_and_long_polling(behind_nginx):
    proxy, servers = behind_nginx
    with servers[0].app_context():
        theme = make_theme()
        code, wall_token = theme.join_code, theme.wall_token
    page = requests.get(f"{proxy.url}/j/{code}", timeout=10)
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers
    socket_phone = LiveClient(proxy.url, {"code": code}, transports=["websocket"]).connect()
    polling_phone = LiveClient(proxy.url, {"code": code}, transports=["polling"]).connect()
    wall = LiveClient(
        proxy.url, {"wall": wall_token}
    ).connect()  # the client sends the proxy's origin
    assert socket_phone.sio.transport() == "websocket"
    assert polling_phone.sio.transport() == "polling"
    first = socket_phone.post("Through nginx over a websocket")
    second = polling_phone.post("Through nginx by long-polling")
    assert first["ok"]
    assert second["ok"]
    for client in (socket_phone, polling_phone, wall):
        ids = {event["note"]["id"] for event in client.wait_for("note:added", 2, timeout=10)}
        assert ids == {first["note"]["id"], second["note"]["id"]}
    # A page on another site cannot open a socket through the proxy.
    stranger = LiveClient(
        proxy.url,
        {"wall": wall_token},
        headers={"Origin": "https://evil.example"},
        transports=["polling"],
    )
    with pytest.raises(Exception):  # noqa: B017, PT011  (refused at the handshake)
        stranger.connect(timeout=3)
    for client in (socket_phone, polling_phone, wall):
        client.disconnect()
    # nginx logs a websocket when it closes: wait for the line, not for a guessed time.
    deadline = time.monotonic() + 10
    while '"GET /socket.io/?transport=websocket&EIO=4' not in proxy.access_log():
        assert time.monotonic() < deadline, "the websocket upgrade never went through nginx"
        time.sleep(0.05)


def test_a_new_wall_address_closes_the_walls_on_both_processes(pair, theme):
    a, b = pair
    walls = [LiveClient(server.url, {"wall": theme["wall"]}).connect() for server in (a, b, b)]
    phone = LiveClient(b.url, {"code": theme["code"]}).connect()
    lead = signed_in(a, "lead@example.org")
    console = lead.get(f"{a.url}/themes/{theme['id']}/console", timeout=10)
    lead.post(
        f"{a.url}/themes/{theme['id']}/wall-token",
        data={"csrf_token": csrf_from(console.text)},
        timeout=10,
    )
    assert [wall.wait_closed() for wall in walls] == [True, True, True]
    assert phone.sio.connected  # phones stay
    for wall in walls:
        wall.disconnect()
    for server in (a, b):
        again = LiveClient(server.url, {"wall": theme["wall"]})
        with pytest.raises(socketio.exceptions.ConnectionError):
            again.connect(timeout=3)
        assert again.refusal["data"]["code"] == "not_found"
    with a.app_context():
        new = db.session.get(Theme, theme["id"]).wall_token
    wall = LiveClient(b.url, {"wall": new}).connect()
    assert wall.welcome["theme"]["id"] == theme["id"]
    wall.disconnect()
    phone.disconnect()
