"""The code stays clean: ``ruff check`` and ``ruff format --check`` (set up in pyproject.toml) pass."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    executable = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(executable).exists():
        pytest.fail("ruff is not installed; it comes with pip install -e '.[test]'")
    return subprocess.run(
        [executable, *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_check_is_clean():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
