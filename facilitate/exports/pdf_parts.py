"""Lay out the parts of a PDF, side by side in worker processes when there is much to lay out.

Which process lays out a part never changes its bytes, so the command line and the web download
give the same file. Workers are plain subprocesses (``python -m facilitate.exports.pdf_worker``):
that works the same on Linux, macOS and Windows, and under the server's gevent loop, which waits
on their pipes without blocking other requests.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

#: Below this much HTML (about 2,000 notes) starting workers costs more than it saves.
PARALLEL_FROM = 300_000
MAX_WORKERS = 4

Progress = Callable[[int], None]
#: What the tagged PDF says of links, in the report's language (``pdf.link_words``).
Words = dict[str, str] | None


#: Laid-out parts kept in memory, by a digest of what they were laid out from: a theme that has
#: not changed since the last download is not laid out again. Least recently used go first.
CACHE_BYTES = 64 * 1024 * 1024
_cache: OrderedDict[bytes, tuple[bytes, int]] = OrderedDict()
_cache_lock = threading.Lock()


def _key(html: str, base_url: str, index: int, words: Words = None) -> bytes:
    said = f"\0{json.dumps(words, sort_keys=True)}" if words else ""
    return hashlib.sha256(f"{index}\0{base_url}\0{html}{said}".encode()).digest()


#: Under the server each download is made in a process of its own (exports/jobs.py), so the parts
#: are also kept on disk in the instance folder, for the next process; the oldest go first.
DISK_CACHE_BYTES = 256 * 1024 * 1024


def _disk() -> Path | None:
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    return Path(current_app.instance_path) / "cache" / "pdf-parts"


def _remember(key: bytes, part: tuple[bytes, int]) -> None:
    with _cache_lock:
        _cache[key] = part
        while _cache and sum(len(data) for data, _ in _cache.values()) > CACHE_BYTES:
            _cache.popitem(last=False)
    folder = _disk()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"{key.hex()}.part"
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(f"{part[1]}\n".encode() + part[0])
        os.replace(temporary, path)
        _prune(folder)
    except OSError:
        pass  # a cache only: the part is laid out again next time


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.part"), key=lambda f: f.stat().st_mtime, reverse=True)
    total = 0
    for file in files:
        total += file.stat().st_size
        if total > DISK_CACHE_BYTES:
            file.unlink(missing_ok=True)


def _recall(key: bytes) -> tuple[bytes, int] | None:
    with _cache_lock:
        part = _cache.get(key)
        if part is not None:
            _cache.move_to_end(key)
            return part
    folder = _disk()
    if folder is None:
        return None
    try:
        pages, _, data = (folder / f"{key.hex()}.part").read_bytes().partition(b"\n")
        part = (data, int(pages))
    except (OSError, ValueError):
        return None
    with _cache_lock:
        _cache[key] = part
    return part


def forget() -> None:
    """Empty the cache of laid-out parts, in memory and on disk."""
    with _cache_lock:
        _cache.clear()
    folder = _disk()
    if folder is not None:
        for file in folder.glob("*.part"):
            file.unlink(missing_ok=True)


def render_parts(
    htmls: list[str], base_url: str, progress: Progress | None = None, words: Words = None
) -> list[tuple[bytes, int]]:
    """Each part's PDF and page count, in order; ``progress(1)`` after each part. Parts laid out
    before from the same HTML come from the cache, the same bytes as laying them out again.
    ``words``: what links are described as (English when not given)."""
    progress = progress or (lambda _step: None)
    keys = [_key(html, base_url, index, words) for index, html in enumerate(htmls)]
    results = [_recall(key) for key in keys]
    missing = [index for index, part in enumerate(results) if part is None]
    for _hit in range(len(htmls) - len(missing)):
        progress(1)
    fresh = _lay_out([(i, htmls[i]) for i in missing], base_url, progress, words)
    for index, part in zip(missing, fresh, strict=True):
        results[index] = part
        _remember(keys[index], part)
    return results  # type: ignore[return-value]


def _lay_out(
    jobs: list[tuple[int, str]], base_url: str, progress: Progress, words: Words = None
) -> list[tuple[bytes, int]]:
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(jobs))
    if workers < 2 or sum(len(html) for _, html in jobs) < PARALLEL_FROM:
        return _in_process(jobs, base_url, progress, words)
    return _in_workers(jobs, base_url, workers, progress, words)


def _in_process(
    jobs: list[tuple[int, str]], base_url: str, progress: Progress, words: Words = None
) -> list[tuple[bytes, int]]:
    from .pdf_worker import render_part

    results = []
    for index, html in jobs:
        results.append(render_part(html, base_url, index, words=words))
        progress(1)
    return results


def _share(htmls: list[str], workers: int) -> list[list[int]]:
    """Deal the parts out so that every worker has about as much to lay out: biggest first, each
    to the least loaded worker."""
    loads = [0] * workers
    shares: list[list[int]] = [[] for _ in range(workers)]
    for index in sorted(range(len(htmls)), key=lambda i: -len(htmls[i])):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += len(htmls[index])
    return shares


def _in_workers(
    jobs: list[tuple[int, str]],
    base_url: str,
    workers: int,
    progress: Progress,
    words: Words = None,
) -> list[tuple[bytes, int]]:
    """The parts of ``jobs`` (each its index in the report and its HTML), in the order given."""
    htmls = [html for _, html in jobs]
    arrived: queue.Queue = queue.Queue()
    processes = []
    for share in _share(htmls, workers):
        items = [{"index": jobs[i][0], "slot": i, "html": htmls[i]} for i in share]
        job = {"base_url": base_url, "jobs": items, "words": words}
        # Warnings go to a file, not a pipe: unread, a pipe could fill up and stall the worker.
        errors = tempfile.TemporaryFile()  # noqa: SIM115  (closed in _finish)
        process = subprocess.Popen(
            [sys.executable, "-m", "facilitate.exports.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        processes.append((process, errors))
        threading.Thread(target=_feed_and_read, args=(process, job, arrived), daemon=True).start()
    results: list[tuple[bytes, int] | None] = [None] * len(htmls)
    done = False
    try:
        for _ in htmls:
            index, part = arrived.get()
            if index is None:
                raise RuntimeError(f"The PDF could not be laid out: {part}{_errors(processes)}")
            results[index] = part
            progress(1)
        done = True
    finally:
        _finish(processes, kill=not done)
    return results  # type: ignore[return-value]


def _feed_and_read(process: subprocess.Popen, job: dict, arrived: queue.Queue) -> None:
    try:
        process.stdin.write(json.dumps(job).encode())
        process.stdin.close()
        for _ in job["jobs"]:
            header = process.stdout.readline()
            if not header:
                raise RuntimeError(f"a worker stopped with status {process.wait()}")
            index, pages, length = (int(value) for value in header.split())
            arrived.put((index, (process.stdout.read(length), pages)))
    except Exception as error:  # handed to the waiting caller, which raises it
        arrived.put((None, str(error)))


def _errors(processes: list) -> str:
    for process, errors in processes:
        if process.poll():
            errors.seek(0)
            return "\n" + errors.read().decode(errors="replace")[-2000:]
    return ""


def _finish(processes: list, *, kill: bool) -> None:
    for process, errors in processes:
        try:
            process.wait(timeout=0 if kill else 30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        errors.close()
