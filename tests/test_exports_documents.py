"""What a reader of each document notices: a CSV that Excel opens with its curly quotes intact, one
correct Content-Type per download, a Word file that screen readers and Word's navigation pane
understand, empty themes folded into a line, and a JSON export that its published schema accepts."""

from __future__ import annotations

import pytest

from tests.test_exports_corpus import FORMATS, build_launch, say

BOM = b"\xef\xbb\xbf"
CURLY = "We\u2019re \u201ctrusted\u201d already"  # what phones type for We're "trusted"


@pytest.fixture
def launch(app):
    launch = build_launch()
    say(launch.trust, CURLY, name="Zoë")
    return launch


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_curly_quotes(
    launch, client, auth, runner, tmp_path
):
    auth.login(launch.organiser)
    web = client.get(f"/events/{launch.event.slug}/report.csv").data
    assert web.startswith(BOM)
    assert not web[len(BOM) :].startswith(BOM)
    assert CURLY in web.decode("utf-8-sig")
    assert web.decode("utf-8-sig").startswith('"event","theme"')
    target = tmp_path / "report.csv"
    result = runner.invoke(
        args=["export", launch.event.slug, "--format", "csv", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == web
    printed = runner.invoke(args=["export", launch.event.slug, "--format", "csv"])
    assert printed.stdout_bytes.startswith(BOM)


CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_download_sends_one_correct_content_type(launch, client, auth, fmt):
    auth.login(launch.organiser)
    for address in (
        f"/events/{launch.event.slug}/report.{fmt}",
        f"/themes/{launch.trust.id}/report.{fmt}",
    ):
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers.getlist("Content-Type") == [CONTENT_TYPES[fmt]]
        assert response.headers["Content-Type"].count("charset") <= 1
