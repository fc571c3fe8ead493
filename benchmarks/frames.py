"""Frame times of the wall and the console at a full break-out (150 notes), in Chromium.

    python benchmarks/frames.py              # 150 notes, wall 1920x1080, console 1440x900
    python benchmarks/frames.py --notes 300

For each page it records every animation frame (requestAnimationFrame deltas) while a burst of
notes arrives from phones, and, on the console, while a note is dragged from Unsorted to a heading.
A frame over 50 ms is one a person notices; the figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pageweight import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from benchmarks.servers import ServerProcess  # noqa: E402

PASSWORD = "bench-password-123"

RECORD = """() => { window.frames_ = []; let last = performance.now();
  const tick = (now) => { window.frames_.push(now - last); last = now;
    if (window.framesOn_) requestAnimationFrame(tick); };
  window.framesOn_ = true; requestAnimationFrame(tick); }"""
STOP = "() => { window.framesOn_ = false; return window.frames_.slice(1); }"


def arrange(server: ServerProcess, notes: int) -> dict:
    from facilitate import create_app
    from facilitate.extensions import db
    from facilitate.models import Phase, Theme
    from facilitate.services import accounts, clusters, events, participants, phases, themes
    from facilitate.services import notes as note_service

    app = create_app(
        {
            "INSTANCE_PATH": str(server.folder),
            "SQLALCHEMY_DATABASE_URI": server.database_url,
            "MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        lead = accounts.create_user("lead@example.org", "Lee Lead", "facilitator", PASSWORD)
        organiser = accounts.create_user("org@example.org", "Olive", "organiser", PASSWORD)
        event = events.create_event(organiser, "Frames")
        theme = themes.create_theme(event, "Trust", "How do we build trust?", [lead])
        phases.set_phase(theme, Phase.OPEN)
        headings = [clusters.add_cluster(theme, f"Heading {n + 1}").id for n in range(4)]
        people = [participants.join(event, None, f"P{n}")[0] for n in range(30)]
        for n in range(notes):
            theme = db.session.get(Theme, theme.id)
            note, _ = note_service.post_note(
                theme, people[n % 30], str(uuid.uuid4()), f"Note {n}: a point worth making", "idea"
            )
            if n < notes // 2:
                clusters.move_note(note.id, db.session.get(Theme, theme.id), headings[n % 4])
        result = {"id": theme.id, "code": theme.join_code, "wall": theme.wall_token}
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return result


def summary(frames: list[float]) -> str:
    if not frames:
        return "no frames"
    ordered = sorted(frames)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    slow = sum(1 for f in frames if f > 50)
    return (
        f"{len(frames)} frames, median {statistics.median(frames):.1f} ms, "
        f"p95 {p95:.1f} ms, longest {ordered[-1]:.1f} ms, {slow} over 50 ms"
    )


def burst(url: str, code: str, count: int) -> None:
    import socketio

    client = socketio.Client()
    client.connect(url, namespaces=["/live"], transports=["websocket"], auth={"code": code})
    time.sleep(0.3)
    for n in range(count):
        client.call(
            "note:add",
            {"client_id": str(uuid.uuid4()), "text": f"Arriving {n}: one more"},
            namespace="/live",
        )
    client.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=150)
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with ServerProcess("app") as server:
        theme = arrange(server, args.notes)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=LAUNCH_ARGS)
            wall = browser.new_page(viewport={"width": 1920, "height": 1080})
            wall.goto(f"{server.url}/wall/{theme['wall']}")
            wall.wait_for_selector(".wall-note")
            console = browser.new_page(viewport={"width": 1440, "height": 900})
            console.goto(f"{server.url}/login")
            console.fill("#email", "lead@example.org")
            console.fill("#password", PASSWORD)
            console.click("button[type=submit]")
            console.goto(f"{server.url}/themes/{theme['id']}/console")
            console.wait_for_selector(".column__notes [data-note]")
            for page in (wall, console):
                page.evaluate(RECORD)
            burst(server.url, theme["code"], 20)
            time.sleep(2)
            print(f"{args.notes} notes, 20 arriving in a burst:")
            print(f"  wall 1920x1080:    {summary(wall.evaluate(STOP))}")
            print(f"  console 1440x900:  {summary(console.evaluate(STOP))}")

            console.evaluate(RECORD)
            source = console.locator(".column[data-cluster='none'] [data-note]").first
            target = console.locator(".column__notes:not([data-cluster='none'])").first
            box, goal = source.bounding_box(), target.bounding_box()
            console.mouse.move(box["x"] + 20, box["y"] + 20)
            console.mouse.down()
            for step in range(1, 31):
                console.mouse.move(
                    box["x"] + 20 + (goal["x"] - box["x"]) * step / 30,
                    box["y"] + 20 + (goal["y"] + 40 - box["y"]) * step / 30,
                )
                time.sleep(0.016)
            console.mouse.up()
            time.sleep(1)
            print(f"  console, a drag:   {summary(console.evaluate(STOP))}")
            browser.close()


if __name__ == "__main__":
    main()
