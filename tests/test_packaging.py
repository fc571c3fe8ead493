"""The README's run command installs the wheel in a fresh virtual environment (not editable), which
serves pages and static files; the running guide gives the README's commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import requests

from tests.support.servers import LiveServer

ROOT = Path(__file__).resolve().parent.parent


def _readme_install_then_serve(wheel: Path) -> tuple[str, list[str]]:
    """The README's run line split at its last step: the install steps, with ``pip install .``
    given the built wheel (what pip builds from the checkout, then installs), and the serve step."""
    run = _code_blocks("sh")[0]
    *install, serve = run.split(" && ")
    installs = [step for step in install if shlex.split(step)[:2] == ["pip", "install"]]
    assert len(installs) == 1, f"one `pip install` step in the README's run line: {run}"
    assert shlex.split(installs[0])[2:] == ["."], f"the README installs the checkout: {run}"
    install[install.index(installs[0])] = f"pip install {shlex.quote(str(wheel))}"
    return " && ".join(install), shlex.split(serve)


@pytest.mark.slow
def test_the_readme_run_command_installs_the_wheel_and_serves(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("facilitate-*.whl"))
    with zipfile.ZipFile(wheel) as archive:  # the build compiles the catalogues into the wheel
        names = set(archive.namelist())
    for domain in ("messages", "js"):
        assert f"facilitate/translations/cy/LC_MESSAGES/{domain}.mo" in names
    install, serve = _readme_install_then_serve(wheel)
    assert serve[:2] == ["facilitate", "serve"]

    # The README's own steps, in a POSIX shell, in a folder far from the checkout so that nothing
    # can come from it; `python3` is the Python running the tests.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path}
    env.pop("VIRTUAL_ENV", None)
    installed = subprocess.run(
        ["sh", "-c", install],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, f"{install}\n{installed.stdout}\n{installed.stderr}"

    environment = elsewhere / ".venv"
    check = subprocess.run(
        [
            str(environment / "bin" / "python"),
            "-c",
            "import facilitate; print(facilitate.__file__)",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(environment) in check.stdout

    server = LiveServer(
        tmp_path / "instance", f"sqlite:///{tmp_path / 'instance' / 'facilitate.db'}"
    )
    # The README's serve step, as the activated environment runs it, on a port of the test's own.
    server.command = [
        str(environment / "bin" / serve[0]),
        *serve[1:],
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
        welsh = requests.get(server.url + "/?lang=cy", timeout=10)
        assert '<html lang="cy">' in welsh.text
        assert "Join a discussion" not in welsh.text
        css = requests.get(server.url + "/static/css/app.css", timeout=10)
        assert css.status_code == 200
        assert "--accent" in css.text
        script = requests.get(server.url + "/static/vendor/socket.io.min.js", timeout=10)
        assert script.status_code == 200
        assert "Socket.IO v4" in script.text
        assert "/setup?token=" in server.log()
    finally:
        server.stop()


def _code_blocks(language: str, document: str = "README.md") -> list[str]:
    """The ``language`` code blocks of a Markdown file, also those indented under a list item."""
    text = (ROOT / document).read_text(encoding="utf-8")
    found = re.findall(rf"^([ \t]*)```{language}\n(.*?)^\1```", text, re.S | re.M)
    return [textwrap.dedent(block).strip() for _indent, block in found]


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


def test_the_running_guide_gives_the_readme_s_commands_and_no_activate_script_on_windows():
    guide = (ROOT / "docs" / "running.md").read_text(encoding="utf-8")
    run, _test = _code_blocks("sh")
    (windows,) = _code_blocks("powershell")
    assert run in _code_blocks("sh", "docs/running.md")
    assert _code_blocks("powershell", "docs/running.md") == [windows]
    # Neither `.venv\Scripts\activate` nor Activate.ps1: locked-down laptops refuse to run them.
    assert not re.search(r"scripts[\\/]activate|activate\.ps1", guide, re.I)
    for command in ("facilitate demo", "facilitate serve --demo", "facilitate demo --remove"):
        assert f"`{command}`" in guide
