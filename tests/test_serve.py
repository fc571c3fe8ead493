"""``facilitate serve`` as a facilitator starts it: a fresh instance folder, the addresses, a QR code,
a one-time setup link, gevent with websockets."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time

import pytest
import requests
import socketio

from tests.support.servers import LiveServer, sign_up_first_organiser


@pytest.fixture
def fresh_server(tmp_path):
    # Listening on every interface, as in a room, so that the phones' address is printed.
    server = LiveServer(
        tmp_path / "instance",
        f"sqlite:///{tmp_path / 'instance' / 'facilitate.db'}",
        host="0.0.0.0",
    )
    yield server
    server.close()


def test_first_start_creates_the_instance_and_prints_what_a_facilitator_needs(fresh_server):
    fresh_server.start()
    banner = fresh_server.log()
    assert "Facilitate is running." in banner
    assert f"On this laptop:   http://127.0.0.1:{fresh_server.port}" in banner
    phones = re.search(r"Phones \(same Wi-Fi\): (http://[\d.]+:\d+/join)", banner)
    assert phones, banner
    assert requests.get(phones.group(1), timeout=10).status_code == 200  # that address answers
    assert "█" in banner  # the QR code of it, drawn in the terminal
    assert f"Data folder:      {fresh_server.instance}" in banner
    secret = fresh_server.instance / "secret_key"
    assert secret.exists()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert (fresh_server.instance / "facilitate.db").exists()

    link = re.search(r"(/setup\?token=[\w-]+)", banner).group(1)
    browser, created = sign_up_first_organiser(fresh_server)
    assert (
        "Create an event"
        in browser.get(fresh_server.url + created.headers["Location"], timeout=10).text
    )
    assert requests.get(fresh_server.url + link, timeout=10).status_code == 404  # used up

    fresh_server.restart()
    assert (
        fresh_server.log().count("/setup?token=") == 1
    )  # not offered again once an account exists
    assert secret.read_text() == secret.read_text()  # kept, not regenerated


def test_server_runs_gevent_with_websockets(fresh_server):
    fresh_server.start()
    handshake = requests.get(fresh_server.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200
    assert '"upgrades":["websocket"]' in handshake.text
    client = socketio.Client(reconnection=False)
    with fresh_server.app_context():
        from tests.support.factories import make_theme

        code = make_theme().join_code
    welcomed = []
    client.on("welcome", lambda data: welcomed.append(data), namespace="/live")
    client.connect(
        fresh_server.url,
        namespaces=["/live"],
        transports=["websocket"],
        auth={"code": code},
        wait_timeout=10,
    )
    try:
        assert client.transport() == "websocket"
        deadline = time.monotonic() + 10
        while not welcomed and time.monotonic() < deadline:
            client.sleep(0.02)
        assert welcomed[0]["theme"]["code"] == code
    finally:
        client.disconnect()


def test_busy_port_gives_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "FACILITATE_INSTANCE_PATH": str(tmp_path / "instance")}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "facilitate",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode != 0
    assert f"Port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_flask_serve_restarts_itself_under_gevent(tmp_path):
    server = LiveServer(
        tmp_path / "instance", f"sqlite:///{tmp_path / 'instance' / 'facilitate.db'}"
    )
    server.command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "facilitate",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(server.port),
    ]
    server.start()
    try:
        handshake = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
        assert '"upgrades":["websocket"]' in handshake.text
    finally:
        server.close()
