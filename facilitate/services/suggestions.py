"""Suggestions for the facilitator, as pure functions over texts: notes that say the same thing,
headings for unsorted notes, and a theme's most telling words. Nothing here stores anything or
calls out; ``facilitate.services.suggesting`` feeds them a theme's notes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from flask_babel import gettext as _

from .textsim import LANGUAGES, agglomerate, cosine, features, fold, similarities, tfidf, words

#: Mean cosine at which notes count as saying the same thing (tuned on the labelled notes in
#: tests/data/breakout_notes.json; see docs/suggestions.md).
DUPLICATE_THRESHOLD = 0.3
#: Cosine at which an unsorted note fits an existing heading.
FIT_THRESHOLD = 0.05
#: Mean cosine at which unsorted notes make a new heading together.
NEW_HEADING_THRESHOLD = 0.08
KEYWORDS = 20


@dataclass(frozen=True)
class Text:
    """A note as the suggestions see it: its id, its words, how many people made it."""

    id: int
    text: str
    people: int = 1


@dataclass(frozen=True)
class Heading:
    """An existing heading: its id, its title and the texts of its notes."""

    id: int
    title: str
    texts: tuple[str, ...] = ()


@dataclass
class Suggested:
    """A heading suggested for some unsorted notes: an existing one (``cluster_id``) or a new
    one (``cluster_id`` ``None``, with a proposed ``title``)."""

    title: str
    cluster_id: int | None
    note_ids: list[int] = field(default_factory=list)

    def as_payload(self) -> dict:
        return {"title": self.title, "cluster_id": self.cluster_id, "note_ids": self.note_ids}


def duplicate_groups(
    notes: Sequence[Text],
    apart: set[frozenset[int]] = frozenset(),
    threshold: float = DUPLICATE_THRESHOLD,
    languages: tuple[str, ...] = LANGUAGES,
) -> list[list[int]]:
    """Groups of two or more notes that say the same thing, by note id, oldest group first.
    Two notes in a pair of ``apart`` (ids the facilitator said differ) never share a group."""
    vectors = tfidf([features(note.text, languages) for note in notes])
    pairs = similarities(vectors, threshold)
    index_apart = _indexes_apart(notes, apart)
    groups = agglomerate(len(notes), pairs, threshold, index_apart)
    found = [sorted(notes[i].id for i in group) for group in groups]
    return sorted(found)


def _indexes_apart(notes: Sequence[Text], apart: set[frozenset[int]]) -> set[frozenset[int]]:
    position = {note.id: i for i, note in enumerate(notes)}
    return {
        frozenset(position[i] for i in pair)
        for pair in apart
        if len(pair) == 2 and all(i in position for i in pair)
    }


def heading_suggestions(
    unsorted: Sequence[Text],
    headings: Sequence[Heading],
    languages: tuple[str, ...] = LANGUAGES,
) -> list[Suggested]:
    """Where the unsorted notes could go: the existing heading each fits best, if one fits; the
    rest grouped into new headings, each with a proposed title. Notes that fit nowhere and
    nothing else are left out."""
    heading_texts = [" ".join((h.title, h.title, *h.texts)) for h in headings]
    documents = [features(t, languages) for t in heading_texts]
    documents += [features(note.text, languages) for note in unsorted]
    vectors = tfidf(documents)
    heading_vectors, note_vectors = vectors[: len(headings)], vectors[len(headings) :]
    suggested = {h.id: Suggested(h.title, h.id) for h in headings}
    rest, rest_vectors = [], []
    for note, vector in zip(unsorted, note_vectors, strict=True):
        scores = [cosine(vector, hv) for hv in heading_vectors]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= FIT_THRESHOLD:
            suggested[headings[best].id].note_ids.append(note.id)
        else:
            rest.append(note)
            rest_vectors.append(vector)
    found = [s for s in suggested.values() if s.note_ids]
    pairs = similarities(rest_vectors, NEW_HEADING_THRESHOLD)
    for group in agglomerate(len(rest), pairs, NEW_HEADING_THRESHOLD):
        members = [rest[i] for i in group]
        title = proposed_title([m.text for m in members], languages)
        found.append(Suggested(title, None, [m.id for m in members]))
    return found


def proposed_title(texts: Sequence[str], languages: tuple[str, ...] = LANGUAGES) -> str:
    """A short title for notes that belong together: their most shared phrase or words."""
    ranked = telling_terms([Text(0, t) for t in texts], languages, limit=3)
    if not ranked:
        return _("New heading")
    first = ranked[0][0]
    if " " not in first and len(ranked) > 1 and ranked[1][1] >= 2 and " " not in ranked[1][0]:
        first = _("%(first)s and %(second)s", first=first, second=ranked[1][0])
    return first[0].upper() + first[1:]


def telling_terms(
    notes: Sequence[Text], languages: tuple[str, ...] = LANGUAGES, limit: int = KEYWORDS
) -> list[tuple[str, int]]:
    """A theme's most telling words and two-word phrases, with how many people used each
    (a merged note counts its people), stop words left out, most used first."""
    people: Counter = Counter()
    surface: defaultdict[str, Counter] = defaultdict(Counter)
    for note in notes:
        found = words(note.text, languages)
        terms = {s for s, _ in found}
        for (s1, w1), (s2, w2) in pairwise(found):
            if s1 != s2:  # "training budget" and "budget for training" are one phrase
                pair = " ".join(sorted((s1, s2)))
                terms.add(pair)
                surface[pair][f"{w1} {w2}"] += 1
        for s, w in found:
            surface[s][w] += 1
        for term in terms:
            people[term] += note.people
    floor = 2 if len(notes) >= 6 else 1
    score = {
        t: n * (1.5 if " " in t else 1.0)
        for t, n in people.items()
        if n >= (2 if " " in t else floor)
    }
    chosen: list[str] = []
    for term in sorted(score, key=lambda t: (-score[t], t)):
        if _covered(term, chosen, people):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return [(surface[t].most_common(1)[0][0], people[t]) for t in chosen]


def term_key(term: str, languages: tuple[str, ...] = LANGUAGES) -> str:
    """What a keyword is, whatever its form: "Comments" and "comment", "training budget" and
    "budget training" are one keyword (the facilitator removes it once)."""
    return " ".join(sorted({s for s, _ in words(term, languages)})) or fold(term)


def _covered(term: str, chosen: list[str], people: Counter) -> bool:
    """A word already said by a chosen phrase used nearly as often (or the other way round)."""
    for other in chosen:
        long, short = (term, other) if " " in term else (other, term)
        if short in long.split() and people[long] * 1.25 >= people[short]:
            return True
    return False
