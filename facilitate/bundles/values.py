"""Reading the values of a bundle's content: each is checked, and a wrong one is refused plainly."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import User
from .fileformat import BundleProblem

_UID = re.compile(r"^[0-9a-f]{32}$")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def wrong(what: str) -> BundleProblem:
    """A bundle that is refused for ``what`` (a phrase such as "the event's date is not a date")."""
    return BundleProblem(
        _(
            "This bundle is not one Facilitate made: %(problem)s. Nothing was imported.",
            problem=what,
        )
    )


def mapping(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise wrong(_("%(what)s is not a mapping", what=what))
    return value


def items(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise wrong(_("%(what)s is not a list", what=what))
    return value


def text(value, what: str, limit: int, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise wrong(
            _("%(what)s is not text of up to %(limit)s characters", what=what, limit=f"{limit:,}")
        )
    return value


def flag(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise wrong(_("%(what)s is not true or false", what=what))
    return value


def moment(value, what: str) -> datetime | None:
    """A timestamp written by ``isoformat``, always returned in UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise wrong(_("%(what)s is not a time", what=what)) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def day(value, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise wrong(_("%(what)s is not a date", what=what)) from None


def uid(value, what: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _UID.match(value):
        raise wrong(_("%(what)s is not an id", what=what))
    return value


def client_id(value, what: str) -> str:
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise wrong(_("%(what)s is not a note id", what=what))
    return value


def slug(value) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise wrong(_("the event's address (slug) is missing or malformed"))
    return value


def choice(value, options, what: str):
    try:
        return options(value)
    except (TypeError, ValueError):
        raise wrong(
            _(
                "%(what)s is not one of %(options)s",
                what=what,
                options=", ".join(o.value for o in options),
            )
        ) from None


def accounts(emails, what: str) -> list[User]:
    """The accounts of this machine with the bundle's email addresses; others are left out."""
    wanted = [email.strip().lower() for email in items(emails, what) if isinstance(email, str)]
    if not wanted:
        return []
    found = db.session.scalars(select(User).where(User.email.in_(wanted)))
    by_email = {user.email: user for user in found}
    return [by_email[email] for email in wanted if email in by_email]
