"""The first minutes on a facilitator's own laptop: a taken port, the demo kept apart, a sign-in
address that works from another laptop, and a check that says whether phones will get through."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import closing, contextmanager

import requests


def _serve(tmp_path, *arguments):
    env = {
        **os.environ,
        "FACILITATE_INSTANCE_PATH": str(tmp_path / "instance"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("FACILITATE_DATABASE_URL", None)
    env.pop("FACILITATE_MESSAGE_QUEUE", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitate", "serve", *arguments],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return process, log


def _wait_for_line(process, log, pattern, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(errors="replace"))
        if found:
            return found
        assert process.poll() is None, log.read_text(errors="replace")
        time.sleep(0.1)
    raise AssertionError(f"no {pattern!r} in:\n{log.read_text(errors='replace')}")


def _get(url, process, log, timeout=20):
    """``url`` once the server listens (it prints its banner just before)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def _default_port_held():
    """Another program listening on the default port, as macOS's AirPlay receiver does on 5000."""
    from facilitate.server import DEFAULT_PORT

    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("0.0.0.0", DEFAULT_PORT))
        holder.listen()
    except OSError:
        holder.close()  # Already taken by another program, which serves the test as well.
    with closing(holder):
        yield DEFAULT_PORT


MOVED = r"Port {} is taken .*, so Facilitate serves on port (\d+) instead\."


def test_a_taken_default_port_moves_to_the_next_free_one_and_says_so(tmp_path):
    with _default_port_held() as default:
        process, log = _serve(tmp_path, "--host", "127.0.0.1")
        try:
            port = int(_wait_for_line(process, log, MOVED.format(default)).group(1))
            assert port != default
            _wait_for_line(process, log, rf"On this laptop:   http://127\.0\.0\.1:{port}\n")
            assert _get(f"http://127.0.0.1:{port}/healthz", process, log).status_code == 200
        finally:
            _stop(process)


def test_a_room_server_on_a_moved_port_prints_that_port_for_phones_and_in_its_qr_code(tmp_path):
    from facilitate.links import lan_address, qr_terminal

    address = lan_address()
    assert address, "this laptop needs a network address for phones"
    with _default_port_held() as default:
        process, log = _serve(tmp_path, "--host", "0.0.0.0")
        try:
            port = int(_wait_for_line(process, log, MOVED.format(default)).group(1))
            assert port != default
            _wait_for_line(process, log, r"Press Ctrl\+C to stop")
            output = log.read_text(encoding="utf-8")
            join = f"http://{address}:{port}/join"
            assert f"On this laptop:   http://127.0.0.1:{port}\n" in output
            assert f"Phones (same Wi-Fi): {join}\n" in output
            # The QR code a phone scans holds the address on the port really served.
            assert qr_terminal(join) in output
            assert f"http://127.0.0.1:{port}/setup?token=" in output
            assert f":{default}" not in output
            # And a phone on the Wi-Fi opens it there.
            assert _get(join, process, log).status_code == 200
        finally:
            _stop(process)


def test_a_taken_port_given_on_the_command_line_is_refused_plainly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process, log = _serve(tmp_path, "--host", "127.0.0.1", "--port", str(port))
        assert process.wait(timeout=60) == 1
    output = log.read_text()
    assert f"Port {port} is already in use" in output
    assert f"facilitate serve --port {port + 1}" in output
    assert "Traceback" not in output


def _create_account(client) -> str:
    from tests.conftest import csrf_from

    page = client.get("/people")
    response = client.post(
        "/people",
        data={
            "csrf_token": csrf_from(page.text),
            "name": "Andy Facilitator",
            "email": "andy@example.org",
            "role": "facilitator",
        },
    )
    assert response.status_code == 200, response.text
    return response.text


def test_the_sign_in_address_for_a_new_account_is_the_public_one_when_set(app, organiser_client):
    app.config["BASE_URL"] = "https://facilitate.example.org"
    page = _create_account(organiser_client)
    assert 'id="new-sign-in">https://facilitate.example.org/login<' in page
    assert "127.0.0.1" not in page
    assert "localhost/login" not in page


def test_serve_demo_serves_the_demo_folder_and_leaves_the_real_one_alone(tmp_path):
    from tests.support.servers import free_port

    port = free_port()
    process, log = _serve(tmp_path, "--demo", "--host", "127.0.0.1", "--port", str(port))
    try:
        _wait_for_line(process, log, r"This is the demo, in its own folder")
        code = _wait_for_line(process, log, r"Training +open +join code (\w+)").group(1)
        _wait_for_line(process, log, r"Press Ctrl\+C to stop")
        page = _get(f"http://127.0.0.1:{port}/j/{code}", process, log)
        assert page.status_code == 200
        assert "How do we help staff feel confident on social media?" in page.text
    finally:
        _stop(process)
    assert (tmp_path / "instance-demo" / "facilitate.db").is_file()
    real = tmp_path / "instance" / "facilitate.db"
    assert not real.exists() or real.stat().st_size == 0, "nothing of the demo in the real folder"


def test_check_says_where_phones_go_and_waits_for_one(tmp_path):
    from facilitate.links import lan_address
    from tests.support.servers import free_port

    port = free_port()
    env = {**os.environ, "FACILITATE_INSTANCE_PATH": str(tmp_path / "instance")}
    log = tmp_path / "check.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitate", "check", "--port", str(port), "--wait", "6"],
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    address = lan_address()
    _wait_for_line(process, log, rf"Open http://{re.escape(address)}:{port}/ on a phone")
    page = _get(f"http://{address}:{port}/", process, log)
    assert "This phone reaches the laptop" in page.text
    assert process.wait(timeout=30) == 1
    output = log.read_text()
    assert f"Phones will open: http://{address}:{port}/join" in output
    # The laptop's own visit proves the port is open, not that the Wi-Fi lets phones through.
    assert f"This laptop opened the address itself ({address})" in output
    assert "No phone reached this laptop." in output
    assert "Start a hotspot" in output


def test_check_reports_the_first_device_that_is_not_the_laptop(tmp_path):
    import threading

    from facilitate.check import wait_for_phone
    from facilitate.links import lan_address
    from tests.support.servers import free_port

    port = free_port()
    address = lan_address()
    result = []
    waiting = threading.Thread(target=lambda: result.append(wait_for_phone(port, 15, own=set())))
    waiting.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            requests.get(f"http://{address}:{port}/", timeout=2)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    waiting.join(timeout=10)
    # Seen from the listener, a visit on the network address comes from that address.
    assert result == [address]


def test_a_server_on_the_lan_gives_its_lan_sign_in_address_to_the_laptop_s_own_browser(tmp_path):
    from facilitate.links import lan_address
    from facilitate.models import Role
    from tests.conftest import csrf_from
    from tests.support.factories import PASSWORD, make_user
    from tests.support.servers import LiveServer

    address = lan_address()
    # Listening on every interface, as in a room; the organiser uses the laptop's own browser.
    server = LiveServer(
        tmp_path / "lan", f"sqlite:///{tmp_path / 'lan' / 'facilitate.db'}", host="0.0.0.0"
    )
    server.start()
    try:
        with server.app_context():
            make_user(Role.ORGANISER, email="olive@example.org")
        browser = requests.Session()
        token = csrf_from(browser.get(server.url + "/login", timeout=10).text)
        browser.post(
            server.url + "/login",
            data={"email": "olive@example.org", "password": PASSWORD, "csrf_token": token},
            timeout=10,
        )
        page = browser.get(server.url + "/people", timeout=10).text
        created = browser.post(
            server.url + "/people",
            data={
                "csrf_token": csrf_from(page),
                "name": "Andy Facilitator",
                "email": "andy@example.org",
                "role": "facilitator",
            },
            timeout=10,
        ).text
        assert f'id="new-sign-in">http://{address}:{server.port}/login<' in created
    finally:
        server.close()
