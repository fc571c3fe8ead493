"""A theme's suggestions for its facilitator, and what they set aside: groups of notes that say the
same thing, headings for unsorted notes, the most telling words. Working them out changes nothing;
dismissing a group and hiding a word are stored, so a reload keeps them."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from ..database import write_transaction
from ..models import Note, Theme
from . import listing
from .clusters import clusters_of
from .errors import require
from .notes import get_note, lock_theme
from .suggestions import (
    Heading,
    Text,
    duplicate_groups,
    heading_suggestions,
    telling_terms,
    term_key,
)

#: The newest notes looked at, at most: keeps every suggestion quick in a very busy theme.
MAX_NOTES = 600
MAX_SET_ASIDE = 2000


def _texts(notes: Sequence[Note]) -> list[Text]:
    return [Text(note.id, note.text, note.people) for note in notes[-MAX_NOTES:]]


def _apart(theme: Theme) -> set[frozenset[int]]:
    return {frozenset(pair) for pair in (theme.suggestions or {}).get("apart", [])}


def hidden_keywords(theme: Theme) -> list[str]:
    """The keywords the facilitator took off (each as ``suggestions.term_key`` gives it)."""
    return list((theme.suggestions or {}).get("hidden_keywords", []))


def suggest_duplicates(theme: Theme) -> list[list[int]]:
    """Groups of visible notes that say the same thing, leaving out what was dismissed."""
    return duplicate_groups(_texts(listing.public_notes(theme.id)), _apart(theme))


def suggest_clusters(theme: Theme) -> list[dict]:
    """For the visible unsorted notes: the heading each fits, or new headings with a title."""
    notes = listing.public_notes(theme.id)
    by_cluster: dict[int, list[str]] = {}
    for note in notes:
        if note.cluster_id is not None:
            by_cluster.setdefault(note.cluster_id, []).append(note.text)
    headings = [Heading(c.id, c.title, tuple(by_cluster.get(c.id, ()))) for c in clusters_of(theme)]
    unsorted = [note for note in notes if note.cluster_id is None]
    return [s.as_payload() for s in heading_suggestions(_texts(unsorted), headings)]


def keywords(theme: Theme) -> list[dict]:
    """The theme's most telling words and phrases, ``[{"term", "count"}]``, most used first,
    without the ones the facilitator hid."""
    hidden = set(hidden_keywords(theme))
    terms = telling_terms(_texts(listing.public_notes(theme.id)), limit=40)
    shown = [{"term": t, "count": n} for t, n in terms if term_key(t) not in hidden]
    return shown[:20]


def dismiss_duplicates(theme: Theme, note_ids: object) -> list[list[int]]:
    """Remember that these notes do not say the same thing: no later suggestion groups any two of
    them again. Returns the groups still suggested."""
    require(
        isinstance(note_ids, list)
        and 2 <= len(note_ids) <= 50
        and all(isinstance(i, int) and not isinstance(i, bool) for i in note_ids),
        "invalid",
        _l("Give the notes of the group to dismiss."),
    )
    for note_id in note_ids:
        get_note(note_id, theme.id)
    ids = sorted(set(note_ids))
    with write_transaction():
        locked = lock_theme(theme.id)
        state = dict(locked.suggestions or {})
        apart = {tuple(pair) for pair in state.get("apart", [])}
        apart.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
        require(len(apart) <= MAX_SET_ASIDE, "invalid", _l("Too many dismissed suggestions."))
        state["apart"] = sorted([a, b] for a, b in apart)
        locked.suggestions = state
    return suggest_duplicates(locked)


def set_keyword_hidden(theme: Theme, term: object, hidden: bool = True) -> list[str]:
    """Take a word off the theme's keywords (wall and report), or put it back. Returns the
    hidden words."""
    require(isinstance(term, str) and term.strip(), "invalid", _l("Say which word."))
    require(len(term) <= 80, "too_long", _l("That is longer than any keyword."))
    word = term_key(term)
    with write_transaction():
        locked = lock_theme(theme.id)
        state = dict(locked.suggestions or {})
        words = [w for w in state.get("hidden_keywords", []) if w != word]
        if hidden:
            words.append(word)
        require(len(words) <= 200, "invalid", _l("Too many hidden words."))
        state["hidden_keywords"] = words
        locked.suggestions = state
    return words
