"""Two laptops for real: two ``facilitate serve`` processes, each with its own instance folder and
database, phones and a facilitator on each over Socket.IO, and the bundle commands run as their
owners run them, both ways, twice, the two laptops at the same time. Every note ends up stored
once on both, and both print the same report."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from facilitate.bundles.service import export_bundle, import_bundle
from facilitate.extensions import db
from facilitate.models import Note, Phase, Role, Theme, User
from facilitate.services import events
from tests.support import environment
from tests.support.factories import make_theme, make_user
from tests.support.phones import LiveClient
from tests.support.servers import LiveServer, cookie_header, signed_in

pytestmark = [pytest.mark.server, pytest.mark.slow]

SLUG = "best-by-west-midlands-launch"
#: Which laptop runs which break-out: Trust runs on both, with phones on each.
RUNS = {"a": ["Tactics", "Trust"], "b": ["Training", "Trust"]}
PHONES, NOTES_EACH = 3, 2
TITLES = ("Tactics", "Training", "Trust")


@pytest.fixture
def two_laptops(tmp_path):
    """Laptops A and B, each ``facilitate serve`` on its own folder and database, with the same two
    accounts (each its own password hash, as on separate machines)."""
    urls = {}
    for name in "ab":
        if environment.use_postgres():
            if not environment.postgres_available():
                environment.missing("PostgreSQL is not reachable")
            urls[name] = environment.create_postgres_database()
        else:
            urls[name] = f"sqlite:///{tmp_path / name / 'facilitate.db'}"
    servers = {name: LiveServer(tmp_path / name, url) for name, url in urls.items()}
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(LiveServer.start, servers.values()))
        for server in servers.values():
            with server.app_context():
                make_user(Role.ORGANISER, "olu@example.org", "Olu")
                make_user(Role.FACILITATOR, "sam@example.org", "Sam")
        yield servers["a"], servers["b"]
    finally:
        for name, server in servers.items():
            server.close()
            if urls[name].startswith("postgresql"):
                environment.drop_postgres_database(urls[name])


def facilitate(server: LiveServer, *args) -> str:
    """``facilitate ARGS`` in its own process, with the laptop's environment; what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "facilitate", *map(str, args)],
        env=server.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def at_once(*calls):
    """Run the calls side by side (one per laptop); their results, in order."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def export(server: LiveServer, path) -> None:
    facilitate(server, "bundle", "export", SLUG, "--output", path)


def bring_in(server: LiveServer, path) -> dict:
    printed = json.loads(facilitate(server, "bundle", "import", path))
    return {
        theme["title"]: (theme["notes_added"], theme["notes_present"], theme["changed_on_both"])
        for theme in printed["themes"]
    }


def themes_of(server: LiveServer) -> dict[str, tuple[int, str]]:
    with server.app_context():
        return {t.title: (t.id, t.join_code) for t in events.find_by_slug(SLUG).themes}


def heading_of(title: str, laptop: str) -> str:
    return f"{title}, first on {laptop.upper()}"


def run_break_out(server: LiveServer, laptop: str, title: str, console_cookie: str) -> list[str]:
    """The facilitator opens the theme and adds a heading; phones post, one resending a note as a
    phone does after a dropped connection; a vote; one note goes under the heading."""
    theme_id, code = themes_of(server)[title]
    console = LiveClient(server.url, {"theme_id": theme_id}, headers={"Cookie": console_cookie})
    console.connect()
    assert console.call("theme:phase", {"phase": "open"})["ok"]
    heading = console.call("cluster:add", {"title": heading_of(title, laptop)})["cluster"]
    phones = [
        LiveClient(server.url, {"code": code, "name": f"{title} {laptop}{n}"}).connect()
        for n in range(PHONES)
    ]
    texts, acks = [], []
    for n, phone in enumerate(phones):
        for m in range(NOTES_EACH):
            texts.append(f"{title}, laptop {laptop.upper()}, phone {n}, point {m}")
            acks.append(phone.post(texts[-1], client_id=f"{title}-{laptop}-{n}-{m}"))
    again = phones[0].post("sent twice", client_id=f"{title}-{laptop}-0-0")
    assert again["note"]["id"] == acks[0]["note"]["id"], "a resent note is the same note"
    assert all(ack["ok"] for ack in acks)
    assert phones[1].call("vote:toggle", {"note_id": acks[0]["note"]["id"]})["ok"]
    moved = {"note_id": acks[1]["note"]["id"], "cluster_id": heading["id"]}
    assert console.call("note:move", moved)["ok"]
    for client in [console, *phones]:
        client.disconnect()
    return texts


def stored(server: LiveServer) -> dict[str, list[tuple[str, int]]]:
    """Per theme, every stored note's text and sequence number."""
    with server.app_context():
        rows = db.session.execute(
            select(Theme.title, Note.text, Note.seq)
            .join(Note, Note.theme_id == Theme.id)
            .order_by(Note.seq)
        )
        found: dict[str, list[tuple[str, int]]] = {}
        for title, text, seq in rows:
            found.setdefault(title, []).append((text, seq))
        return found


def theme_seqs(server: LiveServer) -> dict[str, int]:
    with server.app_context():
        return dict(db.session.execute(select(Theme.title, Theme.seq)).all())


def plain_report(server: LiveServer) -> dict:
    """``facilitate export SLUG --format json`` without what is the machine's own (ids, numbers)."""
    report = json.loads(facilitate(server, "export", SLUG, "--format", "json"))

    def note(n):
        return (n["text"], n["author"], n["votes"], n["people"])

    return {
        theme["title"]: {
            # each laptop lists its own headings first: the set of them is what both share
            "clusters": sorted(
                (c["title"], sorted(map(note, c["notes"]))) for c in theme["clusters"]
            ),
            "notes": sorted(map(note, theme["notes"])),
        }
        for theme in report["themes"]
    }


def test_two_running_laptops_exchange_bundles_and_agree_on_every_note(two_laptops, tmp_path):
    a, b = two_laptops
    with a.app_context():
        olu, sam = (
            db.session.scalar(select(User).where(User.email == email))
            for email in ("olu@example.org", "sam@example.org")
        )
        event = events.create_event(olu, "Best by West Midlands launch")
        for title in TITLES:
            make_theme(event, title, [sam], Phase.DRAFT)
        _, plan = export_bundle(SLUG)
    with b.app_context():  # B starts with the same themes, join codes and wall addresses
        import_bundle(plan)

    written: dict[str, list[str]] = {}
    for laptop, server in (("a", a), ("b", b)):
        cookie = cookie_header(signed_in(server, "sam@example.org"))
        for title in RUNS[laptop]:
            written.setdefault(title, []).extend(run_break_out(server, laptop, title, cookie))
    _, trust_code = themes_of(a)["Trust"]
    phone_on_a = LiveClient(a.url, {"code": trust_code}).connect()
    seen_on_a = phone_on_a.welcome["seq"]

    # Each laptop's bundle into the other, twice; the two laptops work at the same time.
    a1, b1, a2, b2 = (tmp_path / f"{name}.bundle" for name in ("a1", "b1", "a2", "b2"))
    at_once(lambda: export(a, a1), lambda: export(b, b1))
    each = PHONES * NOTES_EACH
    expected = [
        {"Tactics": (0, 0, False), "Training": (each, 0, False), "Trust": (each, 0, False)},
        {"Tactics": (each, 0, False), "Training": (0, 0, False), "Trust": (each, 0, False)},
    ]
    assert at_once(lambda: bring_in(a, b1), lambda: bring_in(b, a1)) == expected
    # the second time, what came in is present
    again = [{t: (0, added, False) for t, (added, _, _) in e.items()} for e in expected]
    assert at_once(lambda: bring_in(a, b1), lambda: bring_in(b, a1)) == again

    # Round two, from the merged laptops: they agree, so nothing more comes in either way.
    at_once(lambda: export(a, a2), lambda: export(b, b2))
    for outcome in at_once(lambda: bring_in(b, a2), lambda: bring_in(a, b2)):
        settled = {title: (added, both) for title, (added, _, both) in outcome.items()}
        assert settled == dict.fromkeys(TITLES, (0, False))

    # Each note is stored once on both, every change with a number of its own.
    for server in (a, b):
        notes = stored(server)
        seqs = theme_seqs(server)
        for title, texts in written.items():
            assert Counter(text for text, _ in notes[title]) == Counter(texts), title
            numbers = [seq for _, seq in notes[title]]
            assert len(set(numbers)) == len(numbers)
            assert max(numbers) == seqs[title]
    assert len(written["Trust"]) == 2 * each

    # The phone that stayed on A's Trust catches up with B's notes, as after any change.
    caught_up = phone_on_a.call("sync", {"since": seen_on_a})
    phone_on_a.disconnect()
    assert caught_up["ok"]
    from_b = {text for text in written["Trust"] if "laptop B" in text}
    assert {n["text"] for n in caught_up["notes"]} >= from_b

    # Both laptops print the same report, with every note once.
    report, report_b = at_once(lambda: plain_report(a), lambda: plain_report(b))
    assert report_b == report
    for title, texts in written.items():
        assert sorted(n[0] for n in report[title]["notes"]) == sorted(texts)
        ran_on = [laptop for laptop, titles in RUNS.items() if title in titles]
        headings = dict(report[title]["clusters"])
        assert sorted(headings) == sorted(heading_of(title, laptop) for laptop in ran_on)
        assert all(len(notes) == 1 for notes in headings.values())  # the note moved there
