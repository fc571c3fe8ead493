"""``facilitate event import``: an event with its themes and facilitators from YAML or JSON.

Problems are reported with the line and the field they are about, such as
``line 7, themes[1].facilitators[0]: no account for andy@example.org``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass

import yaml
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..links import contract_url
from ..models import Event, Role, User
from . import events, themes
from .accounts import normalise_email
from .errors import ServiceError
from .themes import ThemeSettings

SETTING_TYPES = {
    "names_required": bool,
    "approval_required": bool,
    "votes_per_participant": int,
    "note_max_length": int,
    "votes_hidden": bool,
    "notes_private": bool,
}
EVENT_KEYS = {"title", "date", "venue", "time_zone", "language", "themes", "organisers"}
THEME_KEYS = {"title", "prompt", "facilitators", "settings", *SETTING_TYPES}


class ImportProblem(Exception):
    """What is wrong with the file, with its line when known."""


@dataclass
class _Located:
    """Line numbers of every field, by path, taken from the YAML node tree."""

    lines: dict[str, int]

    def where(self, path: str) -> str:
        line = self.lines.get(path)
        return _("line %(line)s, %(path)s", line=line, path=path) if line else path


def _walk(node, path: str, lines: dict[str, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, f"{path}[{index}]", lines)


def _refuse_aliases(text: str) -> None:
    """Refuse anchors and aliases before anything is built or walked: a kilobyte of nested
    aliases stands for billions of nodes, and an event file has no use for them. Scanning
    the tokens takes time in proportion to the file, whatever it holds."""
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            raise ImportProblem(
                _(
                    "line %(line)s: anchors and aliases (& and *) are not "
                    "allowed in an import file; write each value out in full.",
                    line=token.start_mark.line + 1,
                )
            )


def parse(text: str, filename: str = "") -> tuple[dict, _Located]:
    """Read YAML or JSON (by file name, or by a leading ``{``) into data and line numbers."""
    is_json = filename.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        if not is_json:
            _refuse_aliases(text)
        data = json.loads(text) if is_json else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise ImportProblem(
            _(
                "line %(line)s, column %(column)s: not valid JSON (%(problem)s).",
                line=error.lineno,
                column=error.colno,
                problem=error.msg,
            )
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or _("not valid YAML")
        if mark:
            raise ImportProblem(
                _(
                    "line %(line)s, column %(column)s: not valid YAML (%(problem)s).",
                    line=mark.line + 1,
                    column=mark.column + 1,
                    problem=problem,
                )
            ) from None
        raise ImportProblem(_("not valid YAML (%(problem)s).", problem=problem)) from None
    lines: dict[str, int] = {}
    with contextlib.suppress(yaml.YAMLError):  # line numbers are a help, not a need
        _walk(yaml.compose(text), "", lines)
    if not isinstance(data, dict):
        raise ImportProblem(
            _("The file must describe one event: a mapping with title, date, venue and themes.")
        )
    return data, _Located(lines)


def _text(
    value, path: str, where: _Located, *, required: bool = False, limit: int = 200
) -> str | None:
    if value is None or value == "":
        if required:
            raise ImportProblem(_("%(where)s: is required.", where=where.where(path)))
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ImportProblem(_("%(where)s: must be text.", where=where.where(path)))
    value = str(value).strip()
    if len(value) > limit:
        raise ImportProblem(
            _(
                "%(where)s: is longer than %(limit)s characters.",
                where=where.where(path),
                limit=limit,
            )
        )
    return value


def _date(value, where: _Located) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ImportProblem(
            _("%(where)s: must be a date such as 2026-11-23.", where=where.where("date"))
        ) from None


def _accounts(emails, path: str, where: _Located, role: Role | None = None) -> list[User]:
    if emails is None:
        return []
    if isinstance(emails, str):
        emails = [emails]
    if not isinstance(emails, list):
        raise ImportProblem(
            _("%(where)s: must be a list of email addresses.", where=where.where(path))
        )
    found = []
    for index, email in enumerate(emails):
        item = f"{path}[{index}]"
        if not isinstance(email, str):
            raise ImportProblem(_("%(where)s: must be an email address.", where=where.where(item)))
        user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise ImportProblem(
                _(
                    "%(where)s: no account for %(email)s. Create it first with "
                    "`facilitate user add %(email)s --name NAME --role %(role)s`.",
                    where=where.where(item),
                    email=email,
                    role=(role or Role.FACILITATOR).value,
                )
            )
        if role is not None and user.role is not role:
            raise ImportProblem(_not_of_role(where.where(item), email, role))
        found.append(user)
    return found


def _not_of_role(where: str, email: str, role: Role) -> str:
    if role is Role.ORGANISER:
        return _("%(where)s: %(email)s is not an organiser.", where=where, email=email)
    return _("%(where)s: %(email)s is not a facilitator.", where=where, email=email)


def _settings(raw: dict, path: str, where: _Located) -> ThemeSettings:
    settings = themes.default_settings()
    nested = raw.get("settings") or {}
    if not isinstance(nested, dict):
        raise ImportProblem(
            _("%(where)s: must be a mapping.", where=where.where(path + ".settings"))
        )
    for key, wanted in SETTING_TYPES.items():
        for source, prefix in ((raw, path), (nested, path + ".settings")):
            if key in source:
                value = source[key]
                if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
                    at = where.where(f"{prefix}.{key}")
                    raise ImportProblem(
                        _("%(where)s: must be true or false.", where=at)
                        if wanted is bool
                        else _("%(where)s: must be a whole number.", where=at)
                    )
                setattr(settings, key, value)
    unknown = set(nested) - set(SETTING_TYPES)
    if unknown:
        raise ImportProblem(
            _(
                "%(where)s: unknown setting %(name)s.",
                where=where.where(path + ".settings"),
                name=repr(sorted(unknown)[0]),
            )
        )
    return settings


def _time_zone(value: object, where) -> str:
    """The event's time zone, Europe/London when the file leaves it out."""
    if value is None:
        return events.DEFAULT_TIME_ZONE
    try:
        return events.check_time_zone(value)
    except ServiceError as error:
        raise ImportProblem(
            _("%(where)s: %(problem)s", where=where.where("time_zone"), problem=error.message)
        ) from None


def _language(value: object, where) -> str:
    """The event's language, English when the file leaves it out."""
    if value is None:
        return "en"
    try:
        return events.check_language(value)
    except ServiceError as error:
        raise ImportProblem(
            _("%(where)s: %(problem)s", where=where.where("language"), problem=error.message)
        ) from None


def import_event_text(text: str, filename: str = "") -> Event:
    """Check the whole file first, then create the event and its themes."""
    data, where = parse(text, filename)
    unknown = set(data) - EVENT_KEYS
    if unknown:
        raise ImportProblem(
            _(
                "%(where)s: unknown field; expected %(fields)s.",
                where=where.where(sorted(unknown)[0]),
                fields=", ".join(sorted(EVENT_KEYS)),
            )
        )
    title = _text(data.get("title"), "title", where, required=True)
    date = _date(data.get("date"), where)
    venue = _text(data.get("venue"), "venue", where)
    time_zone = _time_zone(data.get("time_zone"), where)
    language = _language(data.get("language"), where)
    organisers = _accounts(data.get("organisers"), "organisers", where, Role.ORGANISER)
    if not organisers:  # on a laptop: whoever organises here can see it
        organisers = list(db.session.scalars(select(User).where(User.role == Role.ORGANISER)))
    raw_themes = data.get("themes") or []
    if not isinstance(raw_themes, list):
        raise ImportProblem(_("%(where)s: must be a list of themes.", where=where.where("themes")))
    planned = []
    for index, raw in enumerate(raw_themes):
        path = f"themes[{index}]"
        if not isinstance(raw, dict):
            raise ImportProblem(
                _("%(where)s: must be a mapping with a title.", where=where.where(path))
            )
        extra = set(raw) - THEME_KEYS
        if extra:
            raise ImportProblem(
                _("%(where)s: unknown field.", where=where.where(path + "." + sorted(extra)[0]))
            )
        settings = _settings(raw, path, where)
        try:
            settings.check()
        except ServiceError as error:
            raise ImportProblem(
                _(
                    "%(where)s: %(problem)s",
                    where=where.where(path + "." + (error.field or "settings")),
                    problem=error.message,
                )
            ) from None
        planned.append(
            (
                _text(raw.get("title"), f"{path}.title", where, required=True),
                _text(raw.get("prompt"), f"{path}.prompt", where, limit=1000) or "",
                _accounts(raw.get("facilitators"), f"{path}.facilitators", where),
                settings,
            )
        )
    try:
        with write_transaction():  # all of it, or nothing
            event = events.create_event(None, title, date, venue, time_zone, language)
            event.organisers = organisers
            for theme_title, prompt, facilitators, settings in planned:
                themes.create_theme(event, theme_title, prompt, facilitators, settings)
    except ServiceError as error:
        raise ImportProblem(error.message) from None
    return event


def import_summary(event: Event) -> dict:
    """The contract's output: the event's slug and title, and per theme its codes and addresses."""
    return {
        "event": {"slug": event.slug, "title": event.title},
        "themes": [
            {
                "id": theme.id,
                "title": theme.title,
                "code": theme.join_code,
                "join_url": contract_url(url_for("participate.theme_page", code=theme.join_code)),
                "wall_url": contract_url(url_for("wall.show", token=theme.wall_token)),
            }
            for theme in event.themes
        ],
    }
