"""The wheel installs in a fresh virtual environment (not editable) and serves pages and static files."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests

from tests.support.servers import LiveServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_serves(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("facilitate-*.whl"))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )

    # Run from a folder far from the checkout, so nothing can come from it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = subprocess.run(
        [str(python), "-c", "import facilitate; print(facilitate.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(environment) in check.stdout

    server = LiveServer(
        tmp_path / "instance", f"sqlite:///{tmp_path / 'instance' / 'facilitate.db'}"
    )
    server.command = [
        str(environment / "bin" / "facilitate"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(server.port),
    ]
    server.cwd = elsewhere
    server.start()
    try:
        page = requests.get(server.url + "/", timeout=10)
        assert page.status_code == 200
        assert "Join a discussion" in page.text
        css = requests.get(server.url + "/static/css/app.css", timeout=10)
        assert css.status_code == 200
        assert "--accent" in css.text
        script = requests.get(server.url + "/static/vendor/socket.io.min.js", timeout=10)
        assert script.status_code == 200
        assert "Socket.IO v4" in script.text
        assert "/setup?token=" in server.log()
    finally:
        server.stop()


def _code_blocks(language: str) -> list[str]:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(rf"```{language}\n(.*?)```", readme, re.S)]


def test_readme_gives_one_run_and_one_test_command_and_ci_runs_the_test_one():
    run, test = _code_blocks("sh")
    assert run.endswith("pip install . && facilitate serve")
    assert test.endswith("pip install -e '.[test]' && pytest")
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_gives_windows_the_same_steps_without_activating_a_script():
    (windows,) = _code_blocks("powershell")
    steps = [step.strip() for step in windows.split(";")]
    # PowerShell refuses `. .venv/bin/activate`, and often Activate.ps1 on locked-down laptops.
    assert "activate" not in windows.lower()
    assert steps == [
        "py -m venv .venv",
        r".venv\Scripts\pip install .",
        r".venv\Scripts\facilitate serve",
    ]
