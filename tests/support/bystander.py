"""A phone that keeps asking the server for news while someone else does heavy work: how long it
waited for each answer is what every other person in the room would notice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tests.support.phones import LiveClient


def longest_wait(work_seconds: float) -> float:
    """The longest a bystander may wait, in seconds, while work that took ``work_seconds`` ran.

    Work done on the event loop holds every phone for as long as it runs, so the longest wait is
    about the work's own time (a 2,000-note DOCX held them 1.0-2.2 s, the largest write-up's
    preview 1.3-1.9 s). Work in a worker process holds them not at all, however long it takes;
    only a busy shared machine slows the answers then (up to half a second seen). So the line is
    half the work's own time, and never under half a second. The room's real target (the loop no
    more than 50 ms late) is measured in a quiet spell by ``benchmarks/heavy.py``.
    """
    return max(0.5, work_seconds / 2)


def assert_never_held(waits: dict[str, tuple[list[float], float]]) -> None:
    """Each step's ``(answers' times, the step's own time)``: no answer waited past the line."""
    for step, (samples, seconds) in waits.items():
        assert max(samples) <= longest_wait(seconds), (
            f"{step}: a phone waited {max(samples) * 1000:.0f} ms "
            f"while the step took {seconds * 1000:.0f} ms"
        )


def waits_during(
    bystander: LiveClient, work: Callable[[], object]
) -> tuple[object, list[float], float]:
    """Run ``work`` in a thread; meanwhile time the bystander's ``sync`` answers. Gives back the
    work's result, the answers' times and the work's own time, both in seconds."""
    seen = bystander.welcome["seq"]
    done = threading.Event()
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # handed back to the test
            outcome["error"] = error
        finally:
            outcome["seconds"] = time.monotonic() - began
            done.set()

    thread = threading.Thread(target=run)
    began = time.monotonic()
    thread.start()
    samples = []
    while not done.is_set() or not samples:
        started = time.monotonic()
        answer = bystander.call("sync", {"since": seen})
        samples.append(time.monotonic() - started)
        assert answer["ok"], answer
        time.sleep(0.12)  # under the connection's steady rate of events
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"], samples, outcome["seconds"]
