"""What the write-up templates need, gathered in one place so that the views stay short."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..exports.names import format_choices
from ..exports.report import ReportNote, ReportTheme
from ..models import Theme
from ..services import writeups
from . import rendering
from .forms import ActionForm, CompileForm, PublishForm, WriteupForm


@dataclass
class Rendered:
    """A write-up as readers see it: sanitised HTML, the notes it cites, and what went wrong."""

    html: Markup
    cited: list[ReportNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    prefix: str = "cited"
    #: Whether the text opens with a level-1 heading of its own.
    has_title: bool = False

    def anchor(self, note_id: int) -> str:
        return f"{self.prefix}-{note_id}"


def rendered_writeup(
    theme: ReportTheme, body: str, *, show_citations: bool, heading_offset: int = 0
) -> Rendered:
    """``body`` as readers see it: rendered once, then served from the render cache."""
    job = rendering.job_for(
        body,
        theme.notes_by_id.__contains__,
        f"t{theme.id}-cited",
        heading_offset=heading_offset,
        show_citations=show_citations,
    )
    result = rendering.render(job)
    rendered = Rendered(Markup(result.html), prefix=job.prefix)  # noqa: S704  (sanitised by nh3)
    rendered.has_title = result.has_title
    rendered.cited = [theme.notes_by_id[note_id] for note_id in result.order]
    rendered.warnings = [
        _(
            "[#%(id)s] is not a note of this theme that readers can see "
            "(hidden, deleted, merged or mistyped): it will not show.",
            id=note_id,
        )
        for note_id in result.missing
    ]
    return rendered


def editor_context(theme: Theme, body: str | None = None, base_revision: int | None = None) -> dict:
    """Everything the editor page shows."""
    writeup = writeups.writeup_of(theme)
    report = writeups.theme_report(theme)
    latest = writeups.latest_revision(writeup) if writeup else None
    text = body if body is not None else (writeup.body if writeup else "")
    form = WriteupForm(
        formdata=None,
        data={"body": text, "base_revision": base_revision or (latest.number if latest else None)},
    )
    return {
        "theme": theme,
        "writeup": writeup,
        "latest": latest,
        "form": form,
        "compile_form": CompileForm(formdata=None),
        "publish_form": PublishForm(
            formdata=None, data={"show_citations": writeup.show_citations if writeup else True}
        ),
        "action_form": ActionForm(formdata=None),
        "rendered": rendered_writeup(report, text, show_citations=True),
        "notes": [n for c in report.clusters for n in c.notes] + report.unclustered,
        "clusters": {c.id: c.title for c in report.clusters},
        "new_notes": writeups.new_notes_since_compile(writeup, theme, report) if writeup else [],
        "edited": writeups.is_edited(writeup),
        "unpublished_changes": writeups.has_unpublished_changes(writeup),
        "formats": format_choices(),
    }


REASONS = {
    "compiled": _l("Compiled from the notes"),
    "edited": _l("Saved"),
    "autosaved": _l("Saved while typing"),
    "published": _l("Published"),
    "back to draft": _l("Taken back to draft"),
    "inserted notes": _l("New notes inserted"),
}


def describe_reason(reason: str) -> str:
    """``restored 3`` → ``Restored revision 3``: why a revision was saved, in plain words."""
    if reason.startswith("restored "):
        return _("Restored revision %(number)s", number=reason.removeprefix("restored "))
    return str(REASONS.get(reason, reason.capitalize()))
