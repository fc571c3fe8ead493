"""Text likeness for short notes, in the standard library alone: normalise, drop stop words, stem
lightly, weigh word, word-pair and character features by TF-IDF, compare by cosine, and group by
average-linkage agglomeration. See docs/suggestions.md for what was compared and why."""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import pairwise

#: Languages whose stop words are dropped; lists live in ``facilitate/data/stopwords/LANG.txt``.
LANGUAGES = ("en", "cy")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: Suffixes taken off English words, longest first, with what replaces them.
_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("isation", "ise"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("edly", ""),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)
#: How much each kind of feature counts: whole words, neighbouring word pairs, and character
#: trigrams of words (which catch typing slips and word forms the stemmer misses).
WEIGHTS = {"w": 1.0, "p": 0.8, "c": 0.35}


@cache
def stop_words(languages: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """The stop words of these languages, read once from the package's data files."""
    words: set[str] = set()
    for language in languages:
        text = resources.files("facilitate.data").joinpath(f"stopwords/{language}.txt")
        for line in text.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(fold(line).split())
    return frozenset(words)


def fold(text: str) -> str:
    """Lower case, accents off, curly quotes straightened, so "Ŵyl" and "wyl" read alike."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light English stem: common endings off, so "trusting", "trusted" and "trusts" meet."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "su":
                return word  # "access", "status"
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str, languages: tuple[str, ...] = LANGUAGES) -> list[tuple[str, str]]:
    """The content words of a text, as (stem, surface form) pairs, stop words dropped."""
    stops = stop_words(languages)
    found = []
    for word in _WORD.findall(fold(text)):
        word = word.removesuffix("'s")
        if word not in stops and len(word) > 1 and not word.isdigit():
            found.append((stem(word), word))
    return found


def features(text: str, languages: tuple[str, ...] = LANGUAGES) -> Counter:
    """Counted features of a text: ``w:`` stems, ``p:`` stem pairs, ``c:`` character trigrams."""
    stems = [s for s, _ in words(text, languages)]
    counted: Counter = Counter()
    for s in stems:
        counted["w:" + s] += 1
        padded = f"<{s}>"
        for i in range(len(padded) - 2):
            counted["c:" + padded[i : i + 3]] += 1
    for first, second in pairwise(stems):
        counted[f"p:{first} {second}"] += 1
    return counted


Vector = dict[str, float]


def tfidf(documents: Sequence[Counter]) -> list[Vector]:
    """Unit TF-IDF vectors (sublinear counts, smoothed IDF over these documents)."""
    frequency: Counter = Counter()
    for document in documents:
        frequency.update(document.keys())
    n = len(documents)
    idf = {term: math.log((1 + n) / (1 + df)) + 1.0 for term, df in frequency.items()}
    vectors = []
    for document in documents:
        vector = {
            term: (1.0 + math.log(count)) * idf[term] * WEIGHTS[term[0]]
            for term, count in document.items()
        }
        vectors.append(normalised(vector))
    return vectors


def normalised(vector: Vector) -> Vector:
    length = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / length for t, v in vector.items()} if length else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def similarities(vectors: Sequence[Vector], floor: float) -> dict[tuple[int, int], float]:
    """Cosine of every pair (i < j) at or above ``floor``, through an inverted index, so pairs
    that share nothing cost nothing."""
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for term, value in vector.items():
            postings[term].append((index, value))
    found = {}
    for i, vector in enumerate(vectors):
        scores: defaultdict[int, float] = defaultdict(float)
        for term, value in vector.items():
            for j, other in postings[term]:
                if j > i:
                    scores[j] += value * other
        found.update(((i, j), score) for j, score in scores.items() if score >= floor)
    return found


def agglomerate(
    size: int,
    pairs: dict[tuple[int, int], float],
    threshold: float,
    apart: set[frozenset[int]] = frozenset(),
) -> list[list[int]]:
    """Average-linkage groups of ``size`` items from their pair similarities: the closest two
    groups join while their mean similarity is at least ``threshold``; items in a pair of
    ``apart`` never share a group. Returns the groups of two or more items."""
    members = {i: [i] for i in range(size)}
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), score in pairs.items():
        sums[i][j] = sums[j][i] = score
    version = dict.fromkeys(members, 0)
    heap = [(-score, i, j, 0, 0) for (i, j), score in pairs.items() if score >= threshold]
    heapq.heapify(heap)
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if (
            a not in members
            or b not in members
            or (version[a], version[b]) != (version_a, version_b)
        ):
            continue  # stale: one of them has changed since
        if any(frozenset((x, y)) in apart for x in members[a] for y in members[b]):
            continue
        members[a] += members.pop(b)
        version[a] += 1
        for other, score in sums.pop(b).items():
            sums[other].pop(b, None)
            if other != a:
                sums[a][other] = sums[other][a] = sums[a].get(other, 0.0) + score
        sums[a].pop(a, None)
        for other, total in sums[a].items():
            mean = total / (len(members[a]) * len(members[other]))
            if mean >= threshold:
                first, second = min(a, other), max(a, other)
                heapq.heappush(heap, (-mean, first, second, version[first], version[second]))
    return [sorted(group) for group in members.values() if len(group) > 1]
