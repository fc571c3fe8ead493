"""Facilitate's performance benchmarks, all in one run, printed as a table with each target met or
missed.

    python benchmarks/run.py                 # everything but the soak, about 6-9 minutes
    python benchmarks/run.py --quick         # smaller sizes, about 3 minutes
    python benchmarks/run.py --only broadcast,storms --rounds 3

Every server is started fresh for its run (``facilitate serve`` or the floor, benchmarks/floor.py)
and driven by the Node load generator in benchmarks/loadgen/ on the real socket.io-client. The
machine may be shared: the floor and the app alternate (A B A B) so that drift hits both, and the
load average is printed before each section. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pageweight, scenarios  # noqa: E402
from benchmarks.phones import ensure_loadgen  # noqa: E402
from benchmarks.scenarios import Row, Sizes  # noqa: E402

SECTIONS = [
    "broadcast",
    "many",
    "storms",
    "exports",
    "pageweight",
    "processes",
    "flood",
    "suggestions",
]
PACKAGES = [
    "flask",
    "flask-socketio",
    "python-socketio",
    "python-engineio",
    "simple-websocket",
    "gevent",
    "sqlalchemy",
    "weasyprint",
]
PAGE_BUDGET = 60_000
EXPORT_LIMITS = {"pdf": 10.0}
EXPORT_LIMIT = 3.0


def machine() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return [
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, Node {node}",
        ", ".join(versions),
    ]


def exports(notes: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="facilitate-bench-exports-") as folder:
        out = Path(folder) / "exports.json"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "exports.py"),
                "--notes",
                str(notes),
                "--runs",
                "1",
                "--json",
                str(out),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=folder,
            # exports.py makes its database in a folder of its own: inside this one, removed after.
            env={**os.environ, "TMPDIR": folder},
        )
        summary = json.loads(out.read_text())
    rows = []
    for fmt, figures in summary["formats"].items():
        limit = EXPORT_LIMITS.get(fmt, EXPORT_LIMIT)
        row = Row(
            "exports",
            f"{fmt}, {summary['notes']:,} notes",
            {"seconds": round(figures["best"], 2), "cpu_s": round(figures["cpu"], 2)},
        )
        if figures.get("bytes"):
            row.values["bytes"] = figures["bytes"]
        if fmt != "report":
            row.verdicts.append((f"<= {limit:g} s", figures["best"] <= limit))
        rows.append(row)
    return rows


def page_weight() -> list[Row]:
    figures = pageweight.page_weight()
    row = Row(
        "page weight",
        "open /j/CODE and post a note",
        {
            "total_bytes": figures["total_bytes"],
            "http_bytes": figures["http_bytes"],
            "websocket_bytes": figures["websocket_bytes"],
            "requests": figures["requests"],
            "largest": "; ".join(
                f"{name} {size:,} {enc or 'plain'}" for size, name, enc in figures["largest"][:3]
            ),
        },
    )
    row.verdicts += [
        ("<= 60 kB", figures["total_bytes"] <= PAGE_BUDGET),
        ("text compressed", not figures["uncompressed_text"]),
    ]
    return [row]


def run_section(name: str, sizes: Sizes, export_notes: int) -> list[Row]:
    if name == "broadcast":
        return scenarios.broadcast_side_by_side(sizes)
    if name == "many":
        return scenarios.many_themes(sizes)
    if name == "storms":
        return scenarios.storms(sizes)
    if name == "exports":
        return exports(export_notes)
    if name == "pageweight":
        return page_weight()
    if name == "processes":
        return scenarios.two_processes(sizes)
    if name == "flood":
        return scenarios.flood(sizes)
    if name == "suggestions":
        from benchmarks import suggestions

        return suggestions.rows()
    raise ValueError(name)


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return " ".join(f"{k}:{v}" for k, v in value.items())
    return "" if value is None else str(value)


def table(rows: list[Row]) -> str:
    """Markdown tables, one per section, then the targets met and missed."""
    lines = []
    sections = list(dict.fromkeys(row.section for row in rows))
    for section in sections:
        members = [row for row in rows if row.section == section]
        columns = list(dict.fromkeys(key for row in members for key in row.values))
        lines += ["", f"### {section}", ""]
        lines.append("| run | " + " | ".join(columns) + " |")
        lines.append("|---|" + "---:|" * len(columns))
        for row in members:
            cells = [format_value(row.values.get(column)) for column in columns]
            lines.append(f"| {row.name} | " + " | ".join(cells) + " |")
    lines += ["", "### targets", ""]
    for row in rows:
        for label, met in row.verdicts:
            lines.append(f"- {'met   ' if met else 'MISSED'} {row.section} / {row.name}: {label}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 3 minutes)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--only", help=f"comma-separated sections of {','.join(SECTIONS)}")
    parser.add_argument("--rounds", type=int, help="floor/app rounds in the broadcast (A B A B)")
    parser.add_argument("--phones", type=int, help="phones in the broadcast")
    parser.add_argument("--notes", type=int, help="notes in the broadcast")
    parser.add_argument("--rate", type=float, help="notes per second in the broadcast")
    parser.add_argument("--export-notes", type=int, help="notes in the exported event")
    parser.add_argument(
        "--offer-compression",
        action="store_true",
        help="phones offer per-message deflate, as browsers do (the generator then inflates for all)",
    )
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    arguments = parser.parse_args(argv)
    sizes = Sizes.smoke() if arguments.smoke else Sizes.quick() if arguments.quick else Sizes()
    for name in ("rounds", "phones", "notes", "rate"):
        if getattr(arguments, name) is not None:
            setattr(sizes, name, getattr(arguments, name))
    sizes.compress = arguments.offer_compression
    export_notes = arguments.export_notes or (
        200 if arguments.smoke else 2000 if arguments.quick else 10_000
    )
    sections = arguments.only.split(",") if arguments.only else SECTIONS
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if set(sections) - {"suggestions"}:  # the suggestions need no load generator
        ensure_loadgen()
    print("\n".join(machine()), flush=True)
    rows: list[Row] = []
    started = time.monotonic()
    for section in sections:
        print(f"- {section} (load average {os.getloadavg()[0]:.2f})", flush=True)
        rows += run_section(section, sizes, export_notes)
    print(table(rows))
    print(f"\n{time.monotonic() - started:.0f} s in all; load average now {os.getloadavg()[0]:.2f}")
    if arguments.json:
        arguments.json.write_text(json.dumps([row.__dict__ for row in rows], indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
