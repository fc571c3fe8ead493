"""Soak: 200 phones posting for ten minutes against one ``facilitate serve``, with the server's
memory read every few seconds, to show that nothing grows without bound.

    python benchmarks/soak.py [--minutes 10] [--phones 200] [--rate 10]

Prints the server's RSS at the start, every minute and at the end, and the delivery figures of the
whole run. Not part of ``benchmarks/run.py``: it takes as long as it says.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.phones import run_scenario  # noqa: E402
from benchmarks.servers import ServerProcess, arrange_themes  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument(
        "--rate", type=float, default=10.0, help="notes per second from all phones together"
    )
    parser.add_argument("--themes", type=int, default=1)
    arguments = parser.parse_args(argv)
    notes = int(arguments.minutes * 60 * arguments.rate)
    # Every phone posts well under the per-minute limit: 200 phones at 10 notes/s is 3 each a minute.
    per_phone = arguments.rate * 60 / arguments.phones
    print(
        f"{arguments.phones} phones, {notes:,} notes at {arguments.rate:g}/s "
        f"({per_phone:.1f} a phone a minute) for {arguments.minutes:g} min; "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with ServerProcess("app") as server:
        codes = arrange_themes(server, arguments.themes)
        themes = [{"code": code, "phones": arguments.phones // len(codes)} for code in codes]
        config = {
            "scenario": "broadcast",
            "url": server.url,
            "themes": themes,
            "notes": notes,
            "rate": arguments.rate,
            "compress": False,
            "progress_every": int(arguments.rate * 60),
        }
        run = run_scenario(
            config,
            [server],
            sample_every=5.0,
            timeout=arguments.minutes * 60 + 300,
            echo_progress=True,
        )
    start = run.marks["posting"][0]
    print(f"\nRSS at the start of posting: {start.rss_mb:.0f} MB")
    next_minute = 60.0
    for seconds, (usage,) in run.samples:
        if seconds >= next_minute:
            print(f"  after {seconds / 60:4.1f} min: RSS {usage.rss_mb:.0f} MB")
            next_minute += 60.0
    end = run.marks["end"][0]
    print(f"RSS at the end: {end.rss_mb:.0f} MB (peak {end.peak_rss_mb:.0f} MB)")
    result = run.result
    delivery = result["delivery_ms"]
    print(
        f"acked {result['acked']:,}, expected {result['expected']:,}, received "
        f"{result['received']:,}, lost {result['lost']:,}, refused {result['refused'] or 0}; "
        f"delivery p50 {delivery['p50']} ms, p99 {delivery['p99']} ms, max {delivery['max']} ms"
    )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
