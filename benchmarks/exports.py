"""Time every export format on a large event: 20 themes, 10,000 visible notes.

    python benchmarks/exports.py [--notes 10000] [--themes 20] [--runs 3] [--cli] [--json PATH]

Builds the event in a fresh SQLite database (or ``--database URL``) with bulk inserts, gives every
theme a prose write-up with citations (half of them published), then times ``export()`` — the
function behind the web download and ``facilitate export`` — for each format, and with ``--cli``
the command line end to end. Not a test: the figures go in docs/exports.md and, through
``benchmarks/run.py`` (which reads ``--json``), in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facilitate import create_app, database  # noqa: E402
from facilitate.exports.formats import export  # noqa: E402
from facilitate.exports.report import build_report  # noqa: E402
from facilitate.extensions import db  # noqa: E402
from facilitate.models import Event, Note, NoteKind, NoteStatus, Participant, Theme, Vote  # noqa: E402
from facilitate.services import accounts, clusters, events, themes, writeups  # noqa: E402

FORMATS = ["md", "html", "csv", "json", "docx", "pdf"]
WORDS = [
    "staff",
    "trust",
    "council",
    "residents",
    "social",
    "media",
    "reply",
    "honest",
    "training",
    "support",
    "human",
    "spin",
    "crisis",
    "rumour",
    "policy",
    "phone",
    "meeting",
    "answer",
    "question",
    "team",
    "manager",
    "service",
    "online",
    "post",
    "video",
    "evening",
    "campaign",
    "calendar",
    "voice",
    "plain",
    "words",
    "listen",
    "learn",
    "share",
    "budget",
    "time",
    "small",
    "clear",
]
KINDS = [NoteKind.IDEA] * 6 + [NoteKind.QUESTION] * 2 + [NoteKind.ACTION, NoteKind.QUOTE]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def build_event(notes: int, theme_count: int, seed: int = 7) -> Event:
    """The large event, made quickly: services for the few rows, bulk inserts for the many."""
    rng = random.Random(seed)
    organiser = accounts.create_user("olive@example.org", "Olive Organiser", "organiser", "x" * 12)
    event = events.create_event(organiser, "Benchmark launch", date(2026, 11, 23), "Council House")
    people = [
        {"event_id": event.id, "token_hash": uuid.uuid4().hex + uuid.uuid4().hex, "name": None}
        for _ in range(2000)
    ]
    for index, row in enumerate(people):
        row["name"] = f"Person {index}" if index % 3 == 0 else None
    db.session.execute(insert(Participant), people)
    db.session.commit()
    participant_ids = list(db.session.scalars(select(Participant.id)))
    per_theme = notes // theme_count
    for number in range(theme_count):
        facilitator = accounts.create_user(
            f"f{number}@example.org", f"Facilitator {number}", "facilitator", "x" * 12
        )
        theme = themes.create_theme(
            event, f"Theme {number + 1}", sentence(rng, 6, 12) + "?", [facilitator]
        )
        headings = [clusters.add_cluster(theme, sentence(rng, 2, 4)) for _ in range(5)]
        _bulk_notes(theme, headings, per_theme, participant_ids, rng)
        _write_up(theme, facilitator, rng, publish=number % 2 == 0)
    return event


def _bulk_notes(theme: Theme, headings, count: int, participant_ids, rng: random.Random) -> None:
    start = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    rows = []
    extra = count // 30  # hidden, pending and deleted notes, which no export may show
    for index in range(count + extra):
        status, deleted = NoteStatus.VISIBLE, None
        if index >= count:
            status = rng.choice([NoteStatus.HIDDEN, NoteStatus.PENDING, NoteStatus.VISIBLE])
            deleted = start if status is NoteStatus.VISIBLE else None
        moment = start + timedelta(seconds=index * 3)
        rows.append(
            {
                "theme_id": theme.id,
                "participant_id": rng.choice(participant_ids),
                "client_id": uuid.uuid4().hex,
                "text": sentence(rng, 3, 16),
                "kind": rng.choice(KINDS),
                "status": status,
                "pinned": index % 97 == 0,
                "cluster_id": rng.choice(headings).id if index % 5 else None,
                "people": 1 + (index % 23 == 0),
                "votes": rng.randint(0, 9),
                "deleted_at": deleted,
                "created_at": moment,
                "updated_at": moment,
                "seq": index + 1,
            }
        )
    db.session.execute(insert(Note), rows)
    theme.seq = len(rows)
    db.session.commit()
    note_ids = list(db.session.scalars(select(Note.id).where(Note.theme_id == theme.id).limit(200)))
    votes = {(rng.choice(note_ids), rng.choice(participant_ids)) for _ in range(600)}
    db.session.execute(
        insert(Vote),
        [{"note_id": n, "participant_id": p, "theme_id": theme.id} for n, p in votes],
    )
    db.session.commit()


def _write_up(theme: Theme, facilitator, rng: random.Random, publish: bool) -> None:
    """A facilitator's write-up: some 700 words of prose citing a dozen notes."""
    ids = list(db.session.scalars(select(Note.id).where(Note.theme_id == theme.id).limit(40)))
    parts = [f"# Benchmark launch: a discussion on {theme.title}", "", "*By the facilitator*", ""]
    for section in range(4):
        parts += [f"## {sentence(rng, 2, 4)}", ""]
        for _ in range(2):
            cited = " ".join(f"[#{rng.choice(ids)}]" for _ in range(2))
            parts += [" ".join(sentence(rng, 12, 20) + "." for _ in range(4)) + f" {cited}", ""]
        if section == 2:
            parts += [f"- {sentence(rng, 5, 9)}" for _ in range(5)] + [""]
    writeups.save_writeup(theme, "\n".join(parts), facilitator)
    if publish:
        writeups.publish_writeup(theme, facilitator)


def cpu_seconds() -> float:
    """CPU time of this process and of the worker processes it waited for."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def time_formats(
    event: Event, runs: int, sizes: dict[str, int] | None = None
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Wall-clock seconds of each run per format, and the CPU seconds of the last run; the size of
    each format's file goes into ``sizes`` when given."""
    timings: dict[str, list[float]] = {"report": []}
    cpu: dict[str, float] = {}
    for _ in range(runs):
        db.session.expire_all()
        started, used = time.perf_counter(), cpu_seconds()
        build_report(event)
        timings["report"].append(time.perf_counter() - started)
        cpu["report"] = cpu_seconds() - used
    for fmt in FORMATS:
        timings[fmt] = []
        for _ in range(runs):
            db.session.expire_all()
            started, used = time.perf_counter(), cpu_seconds()
            result = export(event, fmt)
            timings[fmt].append(time.perf_counter() - started)
            cpu[fmt] = cpu_seconds() - used
        print(f"  {fmt:<5} {len(result.data):>12,} bytes", flush=True)
        if sizes is not None:
            sizes[fmt] = len(result.data)
    return timings, cpu


def time_cli(instance: Path, url: str, slug: str) -> dict[str, float]:
    environment = {
        **os.environ,
        "FACILITATE_INSTANCE_PATH": str(instance),
        "FACILITATE_DATABASE_URL": url,
    }
    results = {}
    for fmt in FORMATS:
        output = instance / f"report.{fmt}"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "facilitate",
                "export",
                slug,
                "--format",
                fmt,
                "--output",
                str(output),
            ],
            env=environment,
            check=True,
            capture_output=True,
        )
        results[fmt] = time.perf_counter() - started
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--themes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", help="a database URL; a fresh SQLite file by default")
    parser.add_argument(
        "--cli", action="store_true", help="also time `facilitate export` end to end"
    )
    parser.add_argument("--json", type=Path, help="also write the timings to this file as JSON")
    arguments = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="facilitate-benchmark-"))
    url = arguments.database or f"sqlite:///{instance / 'benchmark.db'}"
    app = create_app({"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url})
    database.upgrade(app)
    with app.app_context():
        started = time.perf_counter()
        event = build_event(arguments.notes, arguments.themes)
        report = build_report(event)
        built = time.perf_counter() - started
        print(
            f"Built {len(report.themes)} themes, {report.note_count:,} exported notes "
            f"in {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs",
            flush=True,
        )
        sizes: dict[str, int] = {}
        timings, cpu = time_formats(event, arguments.runs, sizes)
        slug = event.slug
        note_count = report.note_count
    print(f"\nload average before: {os.getloadavg()[0]:.2f} (other work on the machine slows runs)")
    print(
        f"{'format':<8}{'best':>8}{'median':>9}{'cpu':>8}  (seconds, {arguments.runs} runs, in process)"
    )
    for fmt, values in timings.items():
        print(f"{fmt:<8}{min(values):>8.2f}{statistics.median(values):>9.2f}{cpu[fmt]:>8.2f}")
    cli = {}
    if arguments.cli:
        print("\nformat  facilitate export, end to end (seconds)")
        cli = time_cli(instance, url, slug)
        for fmt, seconds in cli.items():
            print(f"{fmt:<8}{seconds:>8.2f}")
    if arguments.json:
        summary = {
            "notes": note_count,
            "themes": arguments.themes,
            "build_seconds": built,
            "formats": {
                fmt: {
                    "best": min(values),
                    "median": statistics.median(values),
                    "cpu": cpu[fmt],
                    "bytes": sizes.get(fmt),
                    "cli": cli.get(fmt),
                }
                for fmt, values in timings.items()
            },
        }
        arguments.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
