"""Merging a bundle into this machine's database, in one write transaction: all of it or nothing.

The event is found by its slug (made when absent), each theme by its join code and wall token (so
printed QR codes keep working), participants, headings and revisions by their ``uid``, notes by
their participant and client id. What is already here is matched, never copied: importing a
bundle twice, or bundles from several laptops in any order, stores every note once. Every note
added or changed takes the theme's next sequence number here, so live pages catch up as usual.
docs/bundles.md gives the rules for a theme changed on two machines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..database import DatabaseError, write_transaction
from ..extensions import db
from ..models import Cluster, Event, Participant, Phase, Role, Theme, User, utcnow
from ..services import codes, events
from ..services.changes import clusters_changed, watching
from ..services.errors import ServiceError
from ..services.notes import lock_theme
from ..services.themes import ThemeSettings
from . import merge_notes, merge_writeup, values
from .content import THEME_SETTINGS
from .fileformat import BundleProblem

_PHASE_RANK = {Phase.DRAFT: 0, Phase.OPEN: 1, Phase.CLOSED: 2}


@dataclass
class ThemeOutcome:
    """What importing did to one theme (or, for a preview, would do)."""

    title: str
    created: bool = False
    notes_added: int = 0
    notes_present: int = 0
    votes_added: int = 0
    revisions_added: int = 0
    #: One plain sentence per thing changed on both machines; neither version is lost.
    conflicts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "notes_added": self.notes_added,
            "notes_present": self.notes_present,
            "new_theme": self.created,
            "changed_on_both": bool(self.conflicts),
            "conflicts": self.conflicts,
        }


@dataclass
class MergeOutcome:
    slug: str
    title: str
    event_created: bool
    themes: list[ThemeOutcome]

    def as_dict(self) -> dict:
        """The contract's output, with what else a person wants to know."""
        return {
            "event": {"slug": self.slug, "title": self.title},
            "themes": [theme.as_dict() for theme in self.themes],
        }


class _Preview(Exception):
    """Raised inside the transaction to roll a preview back once it is counted."""

    def __init__(self, outcome: MergeOutcome):
        self.outcome = outcome


def merge(
    content: dict,
    *,
    preview: bool = False,
    into: Event | None = None,
    organiser: User | None = None,
) -> MergeOutcome:
    """Bring a bundle's content in; with ``preview`` count what it would do and change nothing.
    ``into`` refuses a bundle of another event (the event page's upload)."""
    try:
        with write_transaction():
            outcome = _merge(content, into, organiser)
            if preview:
                raise _Preview(outcome)
    except _Preview as done:
        return done.outcome
    except ServiceError as error:
        raise BundleProblem(_("%(message)s Nothing was imported.", message=error.message)) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise values.wrong(_("a field is missing or wrong (%(error)s)", error=error)) from None
    except DatabaseError as error:
        raise BundleProblem(
            _(
                "The database refused part of this bundle, so nothing was imported (%(error)s).",
                error=error.orig,
            )
        ) from None
    return outcome


def _merge(content: dict, into: Event | None, organiser: User | None = None) -> MergeOutcome:
    content = values.mapping(content, _l("its content"))
    event, created = _event(values.mapping(content["event"], _l("the event")), into)
    if created and organiser is not None and organiser not in event.organisers:
        event.organisers.append(organiser)
    participants = _participants(
        event, values.items(content.get("participants"), _l("participants"))
    )
    outcomes = [
        _theme(event, values.mapping(raw, _l("a theme")), participants)
        for raw in values.items(content["themes"], _l("the themes"))
    ]
    return MergeOutcome(event.slug, event.title, created, outcomes)


def _event(raw: dict, into: Event | None) -> tuple[Event, bool]:
    slug = values.slug(raw["slug"])
    if into is not None and slug != into.slug:
        raise BundleProblem(
            _(
                "This bundle is of another event (“%(title)s”, %(slug)s), not of “%(here)s”. "
                "Import it from that event's page, or with `facilitate bundle import`.",
                title=raw.get("title"),
                slug=slug,
                here=into.title,
            )
        )
    organisers = [
        u for u in values.accounts(raw.get("organisers"), _l("organisers")) if u.is_organiser
    ]
    event = events.find_by_slug(slug)
    created = event is None
    if created:
        event = Event(
            slug=slug,
            title=values.text(raw["title"], _l("the event's title"), 200, required=True).strip(),
            date=values.day(raw.get("date"), _l("the event's date")),
            venue=values.text(raw.get("venue"), _l("the venue"), 200) or None,
            time_zone=events.check_time_zone(raw.get("time_zone") or events.DEFAULT_TIME_ZONE),
            language=events.check_language(raw.get("language") or "en"),
        )
        db.session.add(event)
        if not organisers:  # as with `event import`: whoever organises here can see it
            organisers = list(db.session.scalars(select(User).where(User.role == Role.ORGANISER)))
    for user in organisers:
        if user not in event.organisers:
            event.organisers.append(user)
    db.session.flush()
    return event, created


def _participants(event: Event, raws: list) -> dict[str, Participant]:
    """The event's participants here by ``uid``, with the bundle's added (without a token: no
    phone can sign in as them here, their notes simply keep their author)."""
    known = {
        p.uid: p
        for p in db.session.scalars(select(Participant).where(Participant.event_id == event.id))
    }
    for raw in raws:
        raw = values.mapping(raw, _l("a participant"))
        uid = values.uid(raw["uid"], _l("a participant's id"))
        name = values.text(raw.get("name"), _l("a participant's name"), 80) or None
        if uid in known:
            if known[uid].name is None and name:
                known[uid].name = name
            continue
        known[uid] = Participant(
            uid=uid,
            event_id=event.id,
            token_hash=codes.token_hash(codes.new_participant_token()),
            name=name,
            created_at=values.moment(raw.get("created_at"), _l("a participant's time")) or utcnow(),
        )
        db.session.add(known[uid])
    db.session.flush()
    return known


def _find_theme(event: Event, raw: dict) -> Theme | None:
    """The theme here with the bundle's join code and wall token; a clash is refused."""
    code = values.text(raw["join_code"], _l("a join code"), 16, required=True)
    token = values.text(raw["wall_token"], _l("a wall token"), 64, required=True)
    by_code = db.session.scalar(select(Theme).where(Theme.join_code == code))
    by_token = db.session.scalar(select(Theme).where(Theme.wall_token == token))
    if by_code is None and by_token is None:
        return None
    if by_code is not None and by_code is by_token and by_code.event_id == event.id:
        return lock_theme(by_code.id)
    other = by_code or by_token
    names = {"title": raw.get("title"), "other": other.title, "event": other.event.title}
    if by_code is not None:
        raise BundleProblem(
            _(
                "The theme “%(title)s” in this bundle has the join code of another theme here, "
                "“%(other)s” of “%(event)s”. Two themes cannot share a join code, so nothing "
                "was imported. If they are the same break-out, import into the machine it was "
                "first copied from; otherwise change the wall address here or delete the other "
                "theme.",
                **names,
            )
        )
    raise BundleProblem(
        _(
            "The theme “%(title)s” in this bundle has the wall address of another theme here, "
            "“%(other)s” of “%(event)s”. Two themes cannot share a wall address, so nothing "
            "was imported. If they are the same break-out, import into the machine it was "
            "first copied from; otherwise change the wall address here or delete the other "
            "theme.",
            **names,
        )
    )


def _new_theme(event: Event, raw: dict) -> Theme:
    settings = values.mapping(raw.get("settings") or {}, _l("a theme's settings"))
    settings = ThemeSettings(**{k: settings[k] for k in THEME_SETTINGS if k in settings}).check()
    position = db.session.scalar(
        select(func.coalesce(func.max(Theme.position) + 1, 0)).where(Theme.event_id == event.id)
    )
    theme = Theme(
        event_id=event.id,
        position=position,
        title=values.text(raw["title"], _l("a theme's title"), 200, required=True).strip(),
        prompt=values.text(raw.get("prompt"), _l("a theme's question"), 1000),
        join_code=raw["join_code"],
        wall_token=raw["wall_token"],
        phase=values.choice(raw.get("phase", "draft"), Phase, _l("a theme's phase")),
        opened_at=values.moment(raw.get("opened_at"), _l("when a theme opened")),
        closed_at=values.moment(raw.get("closed_at"), _l("when a theme closed")),
        created_at=values.moment(raw.get("created_at"), _l("when a theme was made")) or utcnow(),
        wall_view={},
        seq=0,
        **vars(settings),
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def _theme(event: Event, raw: dict, participants: dict[str, Participant]) -> ThemeOutcome:
    theme = _find_theme(event, raw)
    outcome = ThemeOutcome(str(raw.get("title")), created=theme is None)
    theme = theme or _new_theme(event, raw)
    outcome.title = theme.title
    with watching(theme):
        _theme_fields(theme, raw, outcome)
    clusters = _clusters(theme, values.items(raw.get("clusters"), _l("headings")), outcome)
    notes = merge_notes.merge(theme, raw, participants, clusters, outcome)
    merge_writeup.merge(theme, raw.get("writeup"), notes, outcome)
    return outcome


def _theme_fields(theme: Theme, raw: dict, outcome: ThemeOutcome) -> None:
    """Facilitators are added; the further phase wins; this machine's title stays."""
    for user in values.accounts(raw.get("facilitators"), _l("facilitators")):
        if user not in theme.facilitators:
            theme.facilitators.append(user)
    phase = values.choice(raw.get("phase", "draft"), Phase, _l("a theme's phase"))
    if _PHASE_RANK[phase] > _PHASE_RANK[theme.phase]:
        theme.phase = phase
        theme.opened_at = theme.opened_at or values.moment(raw.get("opened_at"), _l("opened"))
        theme.closed_at = values.moment(raw.get("closed_at"), _l("closed")) or theme.closed_at
        theme.timer_ends_at = None
    title = raw.get("title")
    if isinstance(title, str) and title.strip() != theme.title:
        outcome.conflicts.append(
            _(
                "The theme is called “%(there)s” in the bundle; it keeps its name here, "
                "“%(here)s”.",
                there=title.strip(),
                here=theme.title,
            )
        )


def _clusters(theme: Theme, raws: list, outcome: ThemeOutcome) -> dict[str, int]:
    """The theme's headings by ``uid``, with the bundle's added after this machine's."""
    here = {cluster.uid: cluster for cluster in theme.clusters}
    position = len(here)
    added = False
    for raw in raws:
        raw = values.mapping(raw, _l("a heading"))
        uid = values.uid(raw["uid"], _l("a heading's id"))
        title = values.text(raw["title"], _l("a heading"), 120, required=True)
        if uid in here:
            if here[uid].title != title:
                outcome.conflicts.append(
                    _(
                        "A heading is “%(there)s” in the bundle and “%(here)s” here; it keeps "
                        "its name here.",
                        there=title,
                        here=here[uid].title,
                    )
                )
            continue
        here[uid] = Cluster(
            uid=uid,
            theme_id=theme.id,
            title=title,
            position=position,
            created_at=values.moment(raw.get("created_at"), _l("when a heading was made"))
            or utcnow(),
        )
        db.session.add(here[uid])
        position += 1
        added = True
    if added:
        db.session.flush()
        clusters_changed(theme)
    return {uid: cluster.id for uid, cluster in here.items()}
