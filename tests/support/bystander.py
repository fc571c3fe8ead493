"""A phone that keeps asking the server for news while someone else does heavy work: how long it
waited for each answer is what every other person in the room would notice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tests.support.phones import LiveClient


def waits_during(bystander: LiveClient, work: Callable[[], object]) -> tuple[object, list[float]]:
    """Run ``work`` in a thread; meanwhile time the bystander's ``sync`` answers, in seconds."""
    seen = bystander.welcome["seq"]
    done = threading.Event()
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # handed back to the test
            outcome["error"] = error
        finally:
            done.set()

    thread = threading.Thread(target=run)
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
    return outcome["result"], samples
