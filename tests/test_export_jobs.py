"""A report asked for on the web is made while the organiser waits or goes elsewhere: the page
shows how far it has got, and the event page keeps the finished file for a day."""

from __future__ import annotations

import re
import time

import pytest
import requests

from benchmarks.exports import build_event
from facilitate.exports.formats import export
from facilitate.models import ExportJob, Role
from facilitate.services import export_jobs
from tests.conftest import csrf_from
from tests.support.factories import make_event, make_theme, make_user, post
from tests.support.servers import signed_in, started_with_settings


def _ask(client, slug: str, fmt: str):
    token = csrf_from(client.get(f"/events/{slug}").get_data(as_text=True))
    return client.post(f"/events/{slug}/exports", data={"format": fmt, "csrf_token": token})


def test_the_finished_report_is_the_same_file_as_the_command_line_makes(
    organiser, organiser_client
):
    event = make_event(organiser)
    theme = make_theme(event, "Trust")
    post(theme, text="Say who answers questions at night")
    asked = _ask(organiser_client, event.slug, "md")
    assert asked.status_code == 303
    page = organiser_client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "The Markdown report is ready." in page
    link = re.search(r'href="(/events/[^"]+/file)"', page).group(1)
    got = organiser_client.get(link)
    assert got.status_code == 200
    assert got.data == export(event, "md").data
    assert (
        'filename="best-by-west-midlands-launch-feedback.md"' in got.headers["Content-Disposition"]
    )
    later = organiser_client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Recent reports" in later
    assert link in later  # come back to the event page: the file is still there


def test_a_report_asked_for_in_an_unknown_format_is_refused_and_nothing_is_queued(
    organiser, organiser_client
):
    event = make_event(organiser)
    assert _ask(organiser_client, event.slug, "exe").status_code == 400
    assert export_jobs.recent_jobs(event) == []


def test_another_events_organiser_cannot_reach_the_report(app, organiser, client, auth):
    event = make_event(organiser)
    job = export_jobs.request_export(event, organiser, "csv")
    other = make_user(Role.ORGANISER, email="oscar@example.org")
    auth.login(other)
    assert client.get(f"/events/{event.slug}/exports/{job.token}").status_code == 403


def test_reports_older_than_a_day_are_forgotten_with_their_files(app, organiser):
    event = make_event(organiser)
    old = export_jobs.request_export(event, organiser, "json")
    export_jobs.finish(old, b"{}", "old.json", "application/json")
    path = export_jobs.file_of(old)
    assert path.exists()
    from facilitate.database import write_transaction
    from facilitate.extensions import db

    with write_transaction():
        db.session.get(ExportJob, old.id).created_at -= export_jobs.KEPT_FOR * 2
    export_jobs.request_export(event, organiser, "json")
    assert not path.exists()
    assert [job.format for job in export_jobs.recent_jobs(event)] == ["json"]


@pytest.mark.server
def test_a_large_pdf_shows_its_progress_and_waits_for_the_organiser(live_server):
    with live_server.app_context():
        event = build_event(2000, 4)
        slug = event.slug
    organiser = signed_in(live_server, "olive@example.org", "x" * 12)
    status_url = _ask_on(live_server, organiser, slug, "pdf")
    seen = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = organiser.get(status_url, timeout=30).json()
        seen.append((status["status"], status["done"], status["total"]))
        if status["status"] in ("ready", "failed"):
            break
        time.sleep(0.2)
    assert status["status"] == "ready", status
    assert any(state == "making" and 0 < done < total for state, done, total in seen), seen
    made = organiser.get(live_server.url + status["file"], timeout=60)
    assert made.headers["Content-Type"] == "application/pdf"
    assert made.content.startswith(b"%PDF")


@pytest.mark.server
def test_reports_queue_behind_the_workers_and_one_that_takes_too_long_is_stopped(tmp_path):
    settings = "EXPORT_WORKERS = 1\nEXPORT_TIMEOUT_SECONDS = 1\n"
    server = started_with_settings(tmp_path / "server", settings)
    try:
        with server.app_context():
            slug = build_event(2000, 4).slug
        organiser = signed_in(server, "olive@example.org", "x" * 12)
        first, second = (_ask_on(server, organiser, slug, "pdf") for _ in range(2))
        seen = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = tuple(organiser.get(url, timeout=30).json() for url in (first, second))
            seen.add((states[0]["status"], states[1]["status"]))
            if all(state["status"] in ("ready", "failed") for state in states):
                break
            time.sleep(0.1)
        assert ("making", "queued") in seen, seen  # one worker: the second waits its turn
        for state in states:
            assert state["status"] == "failed"
            assert "took longer than 1 second to make and was stopped" in state["message"]
        page = organiser.get(f"{server.url}/events/{slug}", timeout=30).text
        assert page.count("not made. The report took longer") == 2
    finally:
        server.close()


def _ask_on(server, organiser: requests.Session, slug: str, fmt: str) -> str:
    """Ask for a report; the address of its status."""
    token = csrf_from(organiser.get(f"{server.url}/events/{slug}", timeout=30).text)
    asked = organiser.post(
        f"{server.url}/events/{slug}/exports",
        data={"format": fmt, "csrf_token": token},
        timeout=30,
        allow_redirects=False,
    )
    assert asked.status_code == 303
    return server.url + asked.headers["Location"] + ".json"
