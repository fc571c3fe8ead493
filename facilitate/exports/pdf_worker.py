"""Lay out parts of a PDF report, in this process or as ``python -m facilitate.exports.pdf_worker``.

WeasyPrint works on one core; a large report is cut into parts (the cover, then one per theme)
that worker processes lay out side by side. The worker reads ``{"base_url", "jobs": [{"index",
"slot", "html"}], "words"}`` as JSON on standard input (``index``: the part's place in the report;
``slot``: its place in the batch; ``words``: what links are described as, see ``pdf_tagged``) and
writes, per job, a line ``SLOT PAGES LENGTH`` followed by ``LENGTH`` bytes of PDF. It imports
WeasyPrint, pikepdf and nothing of the app but ``pdf_tagged``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .pdf_tagged import finish_part


class LocalFetcher(URLFetcher):
    """Fetches only the app's own fonts and ``data:`` URLs: a report never loads anything from
    the network, whatever a write-up links to."""

    def __init__(self, allowed: Path):
        super().__init__(allowed_protocols={"file", "data"})
        self.allowed = allowed.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.allowed):
                raise ValueError(f"Reports load only their own fonts, not {url}")
        elif parts.scheme != "data":
            raise ValueError(f"Reports load nothing from elsewhere: {url}")
        return super().fetch(url, headers)


def render_part(
    html: str, base_url: str, index: int = 0, tagged: bool = True, words: dict | None = None
) -> tuple[bytes, int]:
    """One part's PDF, tagged for PDF/UA-1 (see ``pdf_tagged``), and its number of pages.
    ``index`` is the part's place in the report, which keeps its table ids apart from others'."""
    fonts = Path(unquote(urlsplit(base_url).path)).parent / "fonts"
    document = HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(fonts)).render()
    if not tagged:
        return document.write_pdf(), len(document.pages)
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    prefix = f"p{index}-" if "<table" in html else None
    return finish_part(data, document, prefix, words), len(document.pages)


def main() -> None:
    request = json.load(sys.stdin)
    out = sys.stdout.buffer
    for job in request["jobs"]:
        words = request.get("words")
        data, pages = render_part(job["html"], request["base_url"], job["index"], words=words)
        out.write(f"{job['slot']} {pages} {len(data)}\n".encode())
        out.write(data)
        out.flush()


if __name__ == "__main__":
    main()
