"""The benchmark suite keeps working: a tiny broadcast against the floor and a real ``facilitate
serve``, driven by the Node load generator. Timings are the benchmark's business, not this test's:
it checks that nothing is lost and that the table prints."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.support import environment

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture
def runner():
    if shutil.which("node") is None or shutil.which("npm") is None:
        environment.missing(
            "Node.js and npm are not installed (the load generator is a Node script)"
        )
    from benchmarks import run

    return run


def test_a_tiny_broadcast_loses_nothing_on_the_floor_or_the_app(runner, tmp_path, capsys):
    results = tmp_path / "rows.json"
    assert runner.main(["--smoke", "--only", "broadcast", "--json", str(results)]) == 0
    printed = capsys.readouterr().out
    assert "### broadcast" in printed
    assert "| floor #1 |" in printed
    assert "| app #1 |" in printed
    assert "### targets" in printed
    rows = {row["name"]: row["values"] for row in json.loads(results.read_text())}
    for name in ("floor #1", "app #1"):
        assert rows[name]["acked"] == 5
        assert rows[name]["expected"] == 25  # 5 notes to each of 5 phones
        assert rows[name]["received"] == rows[name]["expected"]
        assert rows[name]["lost"] == 0
        assert rows[name]["dup"] == 0
