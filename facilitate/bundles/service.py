"""The three things the command line and the event page do with bundles: export, preview, import."""

from __future__ import annotations

from flask_babel import gettext as _

from ..models import Event, User
from ..services import events
from . import content, fileformat
from .fileformat import BundleProblem
from .merge import MergeOutcome, merge


def export_bundle(slug: str, titles: list[str] | tuple[str, ...] = ()) -> tuple[Event, bytes]:
    """The bundle file of an event's themes (all of them when no title is given)."""
    event = events.find_by_slug(slug)
    if event is None:
        raise BundleProblem(_("There is no event with the address “%(slug)s”.", slug=slug))
    themes = content.choose_themes(event, titles)
    return event, fileformat.pack(content.build(event, themes))


def preview_bundle(data: bytes, into: Event | None = None) -> MergeOutcome:
    """What importing the file would do, per theme; nothing is changed."""
    return merge(fileformat.unpack(data), preview=True, into=into)


def import_bundle(
    data: bytes, into: Event | None = None, organiser: User | None = None
) -> MergeOutcome:
    """Merge the file into this machine's database, all of it or (refused) nothing; an event it
    creates is also organised by ``organiser`` (the person who brought it in on the web)."""
    return merge(fileformat.unpack(data), into=into, organiser=organiser)
