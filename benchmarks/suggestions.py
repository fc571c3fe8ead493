"""How fast and how good the facilitator's suggestions are: time for 300 notes, and quality on the
labelled break-out notes in tests/data/breakout_notes.txt.

    python benchmarks/suggestions.py            # or: python benchmarks/run.py --only suggestions

Quality: precision and recall of the duplicate pairs; for headings, the share of unsorted notes
put under the heading a facilitator chose (three notes of each heading already sorted), and, with
no heading yet, the precision and recall of "these two belong together" in the new headings.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from facilitate.services.suggestions import (  # noqa: E402
    Heading,
    Text,
    duplicate_groups,
    heading_suggestions,
    telling_terms,
)

DATA = ROOT / "tests" / "data" / "breakout_notes.txt"
TARGET_MS = 300
SORTED_PER_HEADING = 3


@dataclass
class Labelled:
    """A note of the labelled set: its heading and its duplicate group (or ``None``)."""

    id: int
    text: str
    heading: str
    same_as: str | None


@dataclass
class LabelledTheme:
    title: str
    notes: list[Labelled] = field(default_factory=list)

    def headings(self) -> list[str]:
        return list(dict.fromkeys(n.heading for n in self.notes))


def load(path: Path = DATA) -> list[LabelledTheme]:
    """The labelled themes, read from the text file (see its first lines for the format)."""
    themes: list[LabelledTheme] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("= "):
            themes.append(LabelledTheme(line[2:].split("|")[0].strip()))
            continue
        heading, group, text = (part.strip() for part in line.split("|", 2))
        number = sum(len(t.notes) for t in themes) + 1
        themes[-1].notes.append(Labelled(number, text, heading, None if group == "-" else group))
    return themes


def pairs_of(groups) -> set[frozenset[int]]:
    return {frozenset(pair) for group in groups for pair in combinations(sorted(group), 2)}


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def duplicate_quality(themes: list[LabelledTheme]) -> dict:
    """Precision and recall of the duplicate pairs found, over every labelled theme."""
    found = truth = hits = 0
    for theme in themes:
        labelled: dict[str, list[int]] = {}
        for note in theme.notes:
            if note.same_as:
                labelled.setdefault(note.same_as, []).append(note.id)
        expected = pairs_of(labelled.values())
        got = pairs_of(duplicate_groups([Text(n.id, n.text) for n in theme.notes]))
        found, truth, hits = found + len(got), truth + len(expected), hits + len(got & expected)
    return {"precision": ratio(hits, found), "recall": ratio(hits, truth)}


def heading_quality(themes: list[LabelledTheme]) -> dict:
    """Agreement of suggested headings with the facilitators' ones (see the module's docstring)."""
    right = total = 0
    found = truth = hits = 0
    for theme in themes:
        headings, unsorted = [], []
        for number, title in enumerate(theme.headings()):
            notes = [n for n in theme.notes if n.heading == title]
            kept = tuple(n.text for n in notes[:SORTED_PER_HEADING])
            headings.append(Heading(number, title, kept))
            unsorted += notes[SORTED_PER_HEADING:]
        title_of = {h.id: h.title for h in headings}
        for suggestion in heading_suggestions([Text(n.id, n.text) for n in unsorted], headings):
            for note_id in suggestion.note_ids:
                note = next(n for n in unsorted if n.id == note_id)
                right += suggestion.cluster_id is not None and title_of[suggestion.cluster_id] == (
                    note.heading
                )
        total += len(unsorted)
        by_heading: dict[str, list[int]] = {}
        for note in theme.notes:
            by_heading.setdefault(note.heading, []).append(note.id)
        expected = pairs_of(by_heading.values())
        new = heading_suggestions([Text(n.id, n.text) for n in theme.notes], [])
        got = pairs_of(s.note_ids for s in new)
        found, truth, hits = found + len(got), truth + len(expected), hits + len(got & expected)
    return {
        "fits_existing": ratio(right, total),
        "new_precision": ratio(hits, found),
        "new_recall": ratio(hits, truth),
    }


def many_notes(count: int = 300) -> list[Text]:
    """``count`` notes from the labelled ones, reworded on each round, as a busy room writes."""
    base = [n.text for theme in load() for n in theme.notes]
    openings = ["", "I think ", "For us: ", "Maybe ", "In our council, ", "Honestly, "]
    return [
        Text(i + 1, openings[(i // len(base)) % len(openings)] + base[i % len(base)])
        for i in range(count)
    ]


def best_ms(work, rounds: int = 5) -> float:
    """The best of some runs, in milliseconds: the machine may be shared."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def timings(count: int = 300) -> dict:
    notes = many_notes(count)
    trust = load()[0]
    headings = [
        Heading(i, title, tuple(n.text for n in trust.notes if n.heading == title))
        for i, title in enumerate(trust.headings())
    ]
    return {
        "duplicates_ms": best_ms(lambda: duplicate_groups(notes)),
        "clusters_ms": best_ms(lambda: heading_suggestions(notes, headings)),
        "keywords_ms": best_ms(lambda: telling_terms(notes)),
    }


def with_database(count: int = 300) -> dict:
    """The same suggestions as the socket events work them out: the theme's notes read from a
    fresh SQLite database, then computed (best of five each)."""
    import tempfile
    import uuid

    from facilitate import create_app
    from facilitate.extensions import db
    from facilitate.models import Phase
    from facilitate.services import accounts, events, notes, participants, phases, suggesting
    from facilitate.services import themes as theme_service

    with tempfile.TemporaryDirectory(prefix="facilitate-bench-suggest-") as folder:
        app = create_app(
            {
                "INSTANCE_PATH": folder,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/facilitate.db",
                "MESSAGE_QUEUE": None,
            }
        )
        with app.app_context():
            db.create_all()
            organiser = accounts.create_user("o@example.org", "Olive", "organiser", "x" * 12)
            event = events.create_event(organiser, "Benchmark launch")
            theme = theme_service.create_theme(event, "Trust", "What works?", [])
            theme_service.update_settings(
                theme, theme_service.ThemeSettings.of(theme).changed({"note_max_length": 2000})
            )
            phases.set_phase(theme, Phase.OPEN)
            for note in many_notes(count):
                person, _ = participants.join(event, None, None)
                notes.post_note(theme, person, str(uuid.uuid4()), note.text, "idea")
            figures = {
                "duplicates_db_ms": best_ms(lambda: suggesting.suggest_duplicates(theme)),
                "clusters_db_ms": best_ms(lambda: suggesting.suggest_clusters(theme)),
                "keywords_db_ms": best_ms(lambda: suggesting.keywords(theme)),
            }
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
    return figures


def rows():
    """The benchmark's lines for benchmarks/run.py."""
    from benchmarks.scenarios import Row

    themes = load()
    times = {**timings(), **with_database()}
    quality = {**duplicate_quality(themes), **heading_quality(themes)}
    row = Row("suggestions", "300 notes; quality on the labelled set", {})
    row.values.update({k: round(v, 1) for k, v in times.items()})
    row.values.update({k: round(v, 2) for k, v in quality.items()})
    row.verdicts.append((f"<= {TARGET_MS} ms each", max(times.values()) <= TARGET_MS))
    return [row]


def main() -> int:
    themes = load()
    print(f"{sum(len(t.notes) for t in themes)} labelled notes in {len(themes)} themes")
    for name, value in {**timings(), **with_database()}.items():
        print(f"{name:>16}: {value:7.1f} ms for 300 notes (target <= {TARGET_MS} ms)")
    for name, value in {**duplicate_quality(themes), **heading_quality(themes)}.items():
        print(f"{name:>16}: {value:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
