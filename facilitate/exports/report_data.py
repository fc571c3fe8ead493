"""The report's plain frozen data, which ``report.build_report`` makes and every format reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..models import WriteupStatus
from .localised import number

KIND_LABELS = {
    "idea": _l("Idea"),
    "question": _l("Question"),
    "action": _l("Action"),
    "quote": _l("Quote"),
}


@dataclass(frozen=True)
class ReportNote:
    id: int
    kind: str
    text: str
    author: str | None
    votes: int
    people: int
    pinned: bool
    cluster_id: int | None
    created_at: datetime
    #: The contract's NOTE, as the JSON export gives it.
    payload: dict = field(repr=False, compare=False)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def support(self) -> str:
        """``9 votes, raised by 3 people``: how much the room backed the point."""
        parts = [votes(self.votes)]
        if self.people > 1:
            parts.append(
                ngettext(
                    "raised by %(count)s person",
                    "raised by %(count)s people",
                    self.people,
                    count=number(self.people),
                )
            )
        return ", ".join(parts)

    @property
    def meta(self) -> str:
        """``Question · Lee · 9 votes · raised by 3 people``: what a report says after a note (ideas,
        most notes, go without their kind)."""
        parts = [] if self.kind == "idea" else [self.kind_label]
        if self.author:
            parts.append(self.author)
        parts.append(self.support.replace(", ", " · "))
        if self.pinned:
            parts.append(_("pinned"))
        return " · ".join(parts)


@dataclass(frozen=True)
class ReportCluster:
    id: int | None
    title: str
    notes: list[ReportNote]


@dataclass(frozen=True)
class ReportWriteup:
    #: ``published`` or ``draft``; ``None`` for a theme nobody has written anything up for (no
    #: write-up, or an unpublished one left empty), which is no draft.
    status: str | None
    markdown: str
    show_citations: bool = True

    @property
    def is_published(self) -> bool:
        return self.status == WriteupStatus.PUBLISHED.value

    @property
    def is_draft(self) -> bool:
        """A write-up with text that is not published yet: what documents mark DRAFT."""
        return self.status == WriteupStatus.DRAFT.value

    @property
    def is_empty(self) -> bool:
        return not self.markdown.strip()


@dataclass(frozen=True)
class Stats:
    participants: int
    notes: int
    votes: int


@dataclass(frozen=True)
class ReportTheme:
    id: int
    number: int
    title: str
    prompt: str
    phase: str
    facilitators: list[str]
    writeup: ReportWriteup
    #: The theme's clusters in the facilitator's order, each with its notes; then the
    #: unclustered notes as a cluster without id titled "Other notes".
    clusters: list[ReportCluster]
    unclustered: list[ReportNote]
    #: Every exported note, oldest first.
    notes: list[ReportNote]
    stats: Stats
    #: The theme's most telling words and phrases with how many people used each, most used
    #: first, without the ones its facilitator removed.
    keywords: tuple[tuple[str, int], ...] = ()

    @cached_property
    def notes_by_id(self) -> dict[int, ReportNote]:
        return {note.id: note for note in self.notes}

    @property
    def anchor(self) -> str:
        return f"theme-{self.id}"

    @property
    def is_folded(self) -> bool:
        """Nothing to read (no write-up, no notes): documents give it one line, not a section."""
        return self.writeup.is_empty and not self.notes


@dataclass(frozen=True)
class ReportEvent:
    title: str
    slug: str
    date: date | None
    venue: str | None
    #: The zone the report gives its times in (``Europe/London``).
    time_zone: str = "UTC"


@dataclass(frozen=True)
class Report:
    event: ReportEvent
    themes: list[ReportTheme]
    #: The latest change to anything in the report: the documents' date, so that the same
    #: content always gives the same bytes.
    updated_at: datetime
    #: Set when the report covers one theme (a facilitator's download).
    single_theme: bool = False

    @property
    def totals(self) -> Stats:
        return Stats(
            participants=sum(t.stats.participants for t in self.themes),
            notes=sum(t.stats.notes for t in self.themes),
            votes=sum(t.stats.votes for t in self.themes),
        )

    @property
    def sections(self) -> list[ReportTheme]:
        """The themes documents give a section (or, in the PDF, pages) of their own."""
        return [theme for theme in self.themes if not theme.is_folded]

    @property
    def folded(self) -> list[ReportTheme]:
        return [theme for theme in self.themes if theme.is_folded]

    @property
    def note_count(self) -> int:
        return sum(t.stats.notes for t in self.themes)

    @property
    def title(self) -> str:
        if self.single_theme and self.themes:
            return _(
                "%(event)s: a discussion on %(theme)s",
                event=self.event.title,
                theme=self.themes[0].title,
            )
        return self.event.title


def notes(count: int) -> str:
    """``1,234 notes``, in the report's language."""
    return ngettext("%(count)s note", "%(count)s notes", count, count=number(count))


def votes(count: int) -> str:
    """``1 vote``, ``9 votes``, in the report's language."""
    return ngettext("%(count)s vote", "%(count)s votes", count, count=number(count))
