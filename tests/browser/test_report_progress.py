"""The organiser asks for the PDF of a large event, watches it being made, leaves, and finds the
finished file on the event page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.exports import build_event
from tests.support.browsers import axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "projector"])
def test_a_long_report_shows_progress_and_is_there_to_come_back_to(
    live_server, new_page, size, tmp_path
):
    with live_server.app_context():
        slug = build_event(2000, 6).slug
    page = new_page(size)
    sign_in(page, live_server.url, "olive@example.org", "x" * 12)
    page.goto(f"{live_server.url}/events/{slug}")
    page.get_by_role("button", name="PDF", exact=True).click()
    expect(page.get_by_role("heading", name="Report of Benchmark launch")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_contain_text("PDF report")
    expect(page.get_by_text("You can leave this page")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"export-making-{size}.png"), full_page=True)
    download = page.get_by_role("link", name="Download")
    expect(download).to_be_visible(timeout=120_000)
    expect(status).to_contain_text("The PDF report is ready.")
    expect(page.get_by_text("You can leave this page")).to_be_hidden()
    expect(page.get_by_label("How far the report has got")).to_be_hidden()
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"export-ready-{size}.png"), full_page=True)
    with page.expect_download() as saved:
        download.click()
    assert saved.value.suggested_filename == "benchmark-launch-feedback.pdf"

    page.get_by_role("link", name="Back to Benchmark launch").click()
    recent = page.get_by_role("list", name="Recent reports")
    expect(recent).to_contain_text("PDF, asked for")
    expect(recent.get_by_role("link", name="Download")).to_have_count(1)
    assert axe_violations(page) == []
