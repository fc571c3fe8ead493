"""The public report pages, built off the live loop and kept until the event changes.

Building the event's report for its public page reads every note of the event: a quarter of a
second of CPU at 2,000 notes, a second at 10,000, on the loop that serves every phone, and again
for every reader. So the heavy part of each public page (everything inside the page's frame) is
rendered as a fragment, keyed by a stamp of everything it shows (the event, its themes' sequence
numbers and titles, its write-ups' states), kept in the render cache and, under ``facilitate
serve``, rendered in a worker process (``writeups.render_worker``). The frame around it (the
header, who is signed in) is rendered per request, which is cheap.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import current_language, speak_for
from ..models import Event, Theme, Writeup
from ..services import writeups
from ..writeups import rendering
from .views import public_report, public_writeup


@dataclass(frozen=True)
class PageJob:
    """One public page's content: which page, for which event and theme, as which variant, in
    which language."""

    page: str  # "event" or "writeup"
    event_id: int
    theme_id: int | None
    draft: bool
    base_url: str
    stamp: str
    language: str = "en"

    @property
    def key(self) -> str:
        return "page:" + hashlib.sha256(json.dumps(asdict(self)).encode()).hexdigest()


@dataclass(frozen=True)
class Fragment:
    html: str
    #: The page's title, as the fragment found it.
    title: str

    @property
    def size(self) -> int:
        return len(self.html) + len(self.title)


def stamp(event: Event) -> str:
    """Changes whenever anything a public page of ``event`` shows may have changed."""
    themes = db.session.execute(
        select(Theme.id, Theme.seq, Theme.updated_at, Theme.position).where(
            Theme.event_id == event.id
        )
    ).all()
    states = db.session.execute(
        select(
            Writeup.theme_id,
            Writeup.status,
            Writeup.updated_at,
            Writeup.published_at,
            Writeup.published_revision,
            Writeup.show_citations,
        )
        .join(Theme, Theme.id == Writeup.theme_id)
        .where(Theme.event_id == event.id)
    ).all()
    facts = [event.id, event.title, event.updated_at, sorted(themes), sorted(states)]
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def event_fragment(event: Event) -> Fragment:
    job = PageJob(
        "event", event.id, None, False, request.host_url, stamp(event), current_language()
    )
    return _fragment(job)


def writeup_fragment(theme: Theme, draft: bool) -> Fragment:
    job = PageJob(
        "writeup",
        theme.event_id,
        theme.id,
        draft,
        request.host_url,
        stamp(theme.event),
        current_language(),
    )
    return _fragment(job)


def prepare(theme: Theme) -> None:
    """Render a just-published write-up's page and its event's page, so that readers are served
    what was rendered."""
    writeup_fragment(theme, draft=False)
    event_fragment(theme.event)


def _fragment(job: PageJob) -> Fragment:
    return rendering.cached(job.key, lambda: render_now(job), lambda pool: pool.render_page(job))


def render_now(job: PageJob) -> Fragment:
    """The fragment itself (what the worker process runs, inside a request context), in the
    language the page was asked in."""
    speak_for(job.language)
    event = db.session.get(Event, job.event_id)
    if job.page == "event":
        page = public_report(event)
        html = render_template("reports/_event_content.html", page=page)
        return Fragment(html, _("%(title)s: feedback from discussions", title=event.title))
    theme = db.session.get(Theme, job.theme_id)
    view = public_writeup(theme, writeups.writeup_of(theme))
    html = render_template("reports/_writeup_content.html", event=event, view=view, draft=job.draft)
    return Fragment(html, f"{view.title or view.theme.title} · {event.title}")
