"""``facilitate demo``: a small, complete event so a newcomer sees a session at once."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..models import Event, Phase, Role, User
from . import (
    accounts,
    clusters,
    events,
    moderation,
    notes,
    participants,
    phases,
    themes,
    votes,
    writeups,
)

ORGANISER = ("organiser@example.org", "Morgan Reid")

#: (title, prompt, facilitator, phase, clusters, notes). A note is (text, kind, cluster, author, votes).
THEMES = [
    (
        "Tactics",
        "What works when a council talks with residents online?",
        ("sam.patel@example.org", "Sam Patel"),
        Phase.CLOSED,
        ["Timing and format", "Working together"],
        [
            (
                "Post when residents are actually online: evenings and lunchtimes",
                "idea",
                0,
                "Priya",
                5,
            ),
            (
                "Short videos explain a bin collection change better than a press release",
                "idea",
                0,
                None,
                4,
            ),
            ("Which platforms are worth a small team's time?", "question", None, "Tom", 3),
            ("Share one content calendar across departments", "action", 1, None, 3),
            ("Let service teams answer in their own voice", "idea", 1, "Aisha", 2),
        ],
    ),
    (
        "Training",
        "How do we help staff feel confident on social media?",
        ("jo.evans@example.org", "Jo Evans"),
        Phase.OPEN,
        [],
        [
            (
                "Pair new people with a confident colleague for their first month",
                "idea",
                None,
                "Chris",
                4,
            ),
            ("Short sessions beat a day-long course", "idea", None, None, 3),
            ("Who trains the trainers?", "question", None, "Dee", 1),
            ("Add social media basics to every induction", "action", None, None, 2),
        ],
    ),
    (
        "Trust",
        "How do we trust staff with social media, and earn the public's trust?",
        ("alex.morgan@example.org", "Alex Morgan"),
        Phase.OPEN,
        ["Trusting staff", "Earning the public's trust", "Support"],
        [
            (
                "We trust staff with the phone and with public meetings; social media is no different",
                "idea",
                0,
                "Rob",
                9,
            ),
            ("Does a council need a separate social media policy at all?", "question", 0, None, 5),
            (
                "Social media cannot fix an organisation that does not trust its people",
                "idea",
                0,
                "Kim",
                6,
            ),
            ("Plain, human replies beat corporate spin", "idea", 1, None, 6),
            (
                "“I don't know yet, I'll find out and come back to you” beats silence or a bluff",
                "quote",
                1,
                "Lee",
                5,
            ),
            ("Never repeat rumours, least of all in a crisis", "action", 1, None, 3),
            ("Tell staff who to ask when a reply is tricky", "action", 2, "Sam", 4),
            ("What happens when a member of staff is abused online?", "question", 2, None, 2),
            ("Be human, not corporate", "idea", 1, None, 0),
        ],
    ),
]


#: Write-ups of the demo, by theme: (Markdown with ``{n[i]}`` for the id of the theme's i-th note,
#: published?). Tactics is written up and published; Trust is a draft half rewritten into prose.
WRITEUPS = {
    "Tactics": (
        """# Best by West Midlands launch: a discussion on Tactics

*By Sam Patel*

We asked what really works when a council talks with residents online. Two ideas kept coming
back: reach people where and when they already are, and let the people who run a service speak
for it.

## Timing and format

When a post goes out matters as much as how it is worded. Posts sent at lunchtime or in the
evening, when residents are on their phones, get far more replies than the same words sent at
nine in the morning [#{n[0]}]. Format matters too: a half-minute video about a change to bin
collections did better than the press release it replaced [#{n[1]}].

## Working together

Several people saw the communications team as a bottleneck. The suggestion was to let service
teams answer in their own voice, with communications staff coaching rather than rewriting
[#{n[4]}], and to keep one content calendar that every department can see, so that campaigns stop
colliding [#{n[3]}].

## Still open

Small teams want to know which platforms are worth their limited time [#{n[2]}]. The group agreed
to gather figures from a few councils and share them before the next meeting.
""",
        True,
    ),
    "Trust": (
        """# Best by West Midlands launch: a discussion on Trust

*By Alex Morgan*

## Trusting staff

Most of the room felt that a council already trusts its people with the phone and with speaking
at public meetings, so a post on social media should not need a sign-off of its own [#{n[0]}].
Some went further and wondered whether a separate policy is needed at all [#{n[1]}]. One warning
was repeated often: no new channel mends an organisation that does not trust its staff to begin
with [#{n[2]}].

## Earning the public's trust

- Plain, human replies beat corporate spin (6 votes, raised by 2 people) [#{n[3]}]
- An honest "I don't know yet, I'll find out" beats silence or a bluff [#{n[4]}]
- Never repeat rumours, least of all in a crisis [#{n[5]}]

## Support

- Tell staff who to ask when a reply is tricky [#{n[6]}]
- What happens when a member of staff is abused online? [#{n[7]}]
""",
        False,
    ),
}


def _write_up(theme, facilitator: User, posted: list) -> None:
    """Compile the theme's draft, rewrite it, and publish it when the demo says so."""
    if theme.title not in WRITEUPS:
        return
    text, publish = WRITEUPS[theme.title]
    text = re.sub(r"(?<=\S)\n(?=[^\n#-])", " ", text)  # one line per paragraph, as people type
    writeups.compile_draft(theme, facilitator)
    writeups.save_writeup(theme, text.format(n=[note.id for note in posted]), facilitator)
    if publish:
        writeups.publish_writeup(theme, facilitator)


@dataclass
class DemoResult:
    event: Event
    sign_in_lines: list[str] = field(default_factory=list)


def _account(email: str, name: str, role: Role, lines: list[str]) -> User:
    user = accounts.find_user(email)
    if user is None:
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        user = accounts.create_user(email, name, role, password)
        lines.append(
            "  "
            + _(
                "%(role)s %(email)s password %(password)s",
                role=f"{role.value:<12}",
                email=f"{email:<28}",
                password=password,
            )
        )
    return user


def load_demo() -> DemoResult:
    """Create the demo event with its accounts, themes, notes, votes, clusters and a merge."""
    lines: list[str] = []
    organiser = _account(*ORGANISER, Role.ORGANISER, lines)
    event = events.create_event(
        organiser, "Best by West Midlands launch", dt.date(2026, 11, 23), "Sandwell Council House"
    )
    crowd = [participants.join(event, None)[0] for _ in range(20)]
    for title, prompt, (email, name), phase, headings, items in THEMES:
        facilitator = _account(email, name, Role.FACILITATOR, lines)
        theme = themes.create_theme(event, title, prompt, [facilitator])
        phases.set_phase(theme, Phase.OPEN)
        made = [clusters.add_cluster(theme, heading) for heading in headings]
        posted = []
        for index, (text, kind, cluster, author, vote_count) in enumerate(items):
            author_participant = participants.join(event, None, author)[0]
            note, _created = notes.post_note(
                theme, author_participant, str(uuid.uuid4()), text, kind
            )
            if cluster is not None:
                clusters.move_note(note.id, theme, made[cluster].id)
            for k in range(vote_count):
                votes.toggle_vote(note.id, crowd[(index * 3 + k) % len(crowd)])
            posted.append(note)
        if title == "Trust":
            moderation.moderate_note(posted[0].id, theme, "pin")
            moderation.merge_note(posted[-1].id, posted[3].id, theme)
        _write_up(theme, facilitator, posted)
        if phase is Phase.CLOSED:
            phases.set_phase(theme, Phase.CLOSED)
    if lines:
        lines.insert(0, _("Sign in with these demo accounts (shown only now):"))
    else:
        lines.append(_("Sign in with the demo accounts created earlier."))
    return DemoResult(event, lines)
