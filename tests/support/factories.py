"""Factories that make domain objects through the services, as the app itself would."""

from __future__ import annotations

import itertools
import uuid

from facilitate.models import Phase, Role
from facilitate.services import accounts, events, notes, participants, phases, themes

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(
    role: Role | str = Role.FACILITATOR,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
):
    number = next(_numbers)
    return accounts.create_user(
        email or f"person{number}@example.org", name or f"Person {number}", role, password
    )


def make_event(organiser=None, title: str = "Best by West Midlands launch", **fields):
    organiser = organiser or make_user(Role.ORGANISER)
    return events.create_event(organiser, title, fields.get("date"), fields.get("venue"))


def make_theme(
    event=None,
    title: str = "Trust",
    facilitators=(),
    phase: Phase = Phase.OPEN,
    settings=None,
    prompt: str = "How do we build trust?",
):
    event = event or make_event()
    theme = themes.create_theme(event, title, prompt, list(facilitators), settings)
    if phase is not Phase.DRAFT:
        phases.set_phase(theme, Phase.OPEN)
    if phase is Phase.CLOSED:
        phases.set_phase(theme, Phase.CLOSED)
    return theme


def make_participant(theme, name: str | None = None):
    participant, token = participants.join(theme.event, None, name)
    participant.token = token
    return participant


def post(
    theme,
    participant=None,
    text: str = "Trust staff with a phone as with a telephone",
    kind: str = "idea",
):
    participant = participant or make_participant(theme)
    note, _ = notes.post_note(theme, participant, str(uuid.uuid4()), text, kind)
    return note
