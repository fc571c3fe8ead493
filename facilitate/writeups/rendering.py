"""Write-ups rendered once and served from memory, and rendered off the live loop.

Rendering Markdown is quick for a real write-up, but a text of 100,000 characters made to be slow
(nothing but ``[``, say) takes a second of CPU, and every reader of a published write-up would pay
it again, on the loop that serves the phones. So a render is keyed by what decides its result (the
text, the options and which of its cited notes readers may see) and kept in a bounded cache: the
editor's save and the publication render the text once, and every later reader is served what was
rendered. A render that is not in the cache runs, under ``facilitate serve``, in a worker process
(``render_worker``) that the loop only waits on; in-process apps (tests, tools) render directly.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass

from flask import current_app

from .. import markdown as md


@dataclass(frozen=True)
class RenderJob:
    """Everything a render depends on; the same job always renders the same HTML."""

    body: str
    #: The cited note ids that readers may see, in the order of the text.
    citable: tuple[int, ...]
    prefix: str
    heading_offset: int = 0
    show_citations: bool = True

    @property
    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class RenderResult:
    html: str
    #: Cited note ids in order of first citation, and cited ids readers may not see.
    order: tuple[int, ...]
    missing: tuple[int, ...]
    #: Whether the text opens with a level-1 heading of its own.
    has_title: bool

    @property
    def size(self) -> int:
        return len(self.html) + 64 * (len(self.order) + len(self.missing))


def job_for(body: str, is_citable, prefix: str, **options) -> RenderJob:
    """The job for ``body``, given which note ids readers may see (``is_citable(id)``)."""
    cited = md.citation_ids(body) if options.get("show_citations", True) else []
    return RenderJob(body, tuple(i for i in cited if is_citable(i)), prefix, **options)


def render_now(job: RenderJob) -> RenderResult:
    """The render itself: what the worker process runs."""
    allowed = set(job.citable)
    citations = md.Citations(lookup=allowed.__contains__, prefix=job.prefix)
    html, has_title = md.render_document(
        job.body,
        citations=citations if job.show_citations else None,
        heading_offset=job.heading_offset,
    )
    return RenderResult(html, tuple(citations.order), tuple(citations.missing), has_title)


class RenderCache:
    """The most recently used renders (anything with a ``size``), up to ``limit`` in all."""

    def __init__(self, limit: int):
        self.limit = limit
        self._items: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, result) -> None:
        if result.size > self.limit:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = result
            self._size += result.size
            while self._size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self._size -= dropped.size

    def __len__(self) -> int:
        return len(self._items)


def render(job: RenderJob) -> RenderResult:
    """The job's render: from the cache, or rendered now (in a worker under the real server)."""
    return cached(job.key, lambda: render_now(job), lambda workers: workers.render(job))


def cached(key: str, here, in_worker):
    """What is kept under ``key``, else made and kept: by ``in_worker(pool)`` under ``facilitate
    serve``, so the live loop only waits, else by ``here()`` (tests, tools)."""
    cache: RenderCache = current_app.extensions["facilitate.renders"]
    found = cache.get(key)
    if found is None:
        if current_app.config["ASYNC_MODE"] == "gevent":
            from .render_worker import pool

            found = in_worker(pool(current_app))
        else:
            found = here()
        cache.put(key, found)
    return found


def init_app(app) -> None:
    app.extensions["facilitate.renders"] = RenderCache(app.config["WRITEUP_RENDER_CACHE_CHARS"])
