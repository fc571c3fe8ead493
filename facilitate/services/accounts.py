"""Accounts: creating them, signing in with a growing delay after failures, passwords, and the
browsers an account has signed in on before."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import private
from ..database import write_transaction
from ..extensions import db
from ..models import Role, User, utcnow
from .errors import ServiceError, require

MIN_PASSWORD_LENGTH = 10
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Checked against when the email is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")
SETUP_TOKEN_FILE = "setup_token"  # noqa: S105  (a file name, not a secret)


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class SignInRefused(ServiceError):
    """Wrong email or password, or too many recent failures; ``retry_after`` in seconds."""

    def __init__(self, message: str, retry_after: int = 0):
        super().__init__("forbidden", message)
        self.retry_after = retry_after


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_new_password(password: str) -> None:
    require(
        len(password or "") >= MIN_PASSWORD_LENGTH,
        "invalid",
        _l("Choose a password of at least %(count)s characters.", count=MIN_PASSWORD_LENGTH),
        field="password",
    )


def create_user(email: str, name: str, role: Role | str, password: str) -> User:
    """Create an organiser or facilitator account."""
    email = normalise_email(email)
    name = (name or "").strip()
    require(
        bool(EMAIL_PATTERN.match(email)),
        "invalid",
        _l("Enter an email address such as name@example.org."),
        field="email",
    )
    require(len(email) <= 254, "invalid", _l("That email address is too long."), field="email")
    require(bool(name), "invalid", _l("Enter the person's name."), field="name")
    require(len(name) <= 120, "invalid", _l("Keep the name under 120 characters."), field="name")
    try:
        role = Role(role)
    except ValueError:
        raise ServiceError(
            "invalid", _("The role must be organiser or facilitator."), field="role"
        ) from None
    check_new_password(password)
    with write_transaction():
        require(
            find_user(email) is None,
            "invalid",
            _l("There is already an account for %(email)s.", email=email),
            field="email",
        )
        user = User(email=email, name=name, role=role, password_hash=_hash(password))
        db.session.add(user)
    return user


@dataclass
class KnownDevice:
    """A browser that has signed in before, remembered in a signed cookie: ``nonce`` names the
    browser (its own budget of tries) and ``user_ids`` the accounts that signed in on it."""

    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    user_ids: list[int] = field(default_factory=list)

    MAX_ACCOUNTS = 5


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="facilitate-known-device")


def read_known_device(cookie: str | None) -> KnownDevice | None:
    """The browser a ``KNOWN_DEVICE_COOKIE`` names, or ``None`` when it is missing, forged or old."""
    if not cookie or len(cookie) > 1000:
        return None
    max_age = current_app.config["KNOWN_DEVICE_LIFETIME"].total_seconds()
    try:
        data = _device_signer().loads(cookie, max_age=max_age)
    except BadSignature:
        return None
    if not (isinstance(data, dict) and isinstance(data.get("n"), str)):
        return None
    ids = [i for i in data.get("u", []) if isinstance(i, int)]
    return KnownDevice(data["n"], ids[: KnownDevice.MAX_ACCOUNTS])


def remember_device(device: KnownDevice | None, user: User) -> str:
    """The cookie value that remembers ``user`` signed in on this browser."""
    device = device or KnownDevice()
    ids = [user.id, *(i for i in device.user_ids if i != user.id)][: KnownDevice.MAX_ACCOUNTS]
    return _device_signer().dumps({"n": device.nonce, "u": ids})


def authenticate(email: str, password: str, device: KnownDevice | None = None) -> User:
    """Return the account for a correct email and password, or raise ``SignInRefused``.

    After a few failures in a row each further try on that account must wait, doubling up to a
    short ceiling: guessing becomes slow. The wait does not apply on a browser where the account
    signed in before (``device``), so a stranger's wrong guesses never lock the owner out there.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise SignInRefused(_("That email and password do not match an account."))
    now = utcnow()
    known = device is not None and user.id in device.user_ids
    if not known and user.locked_until and user.locked_until > now:
        wait = int((user.locked_until - now).total_seconds()) + 1
        raise SignInRefused(
            _("Too many failed attempts. Try again in %(wait)s seconds.", wait=wait), wait
        )
    if check_password_hash(user.password_hash, password or ""):
        if user.failed_logins or user.locked_until:
            with write_transaction():
                user.failed_logins = 0
                user.locked_until = None
        return user
    with write_transaction():
        user.failed_logins += 1
        allowed = current_app.config["LOGIN_FAILURES_BEFORE_DELAY"]
        if user.failed_logins >= allowed:
            delay = min(
                2 ** (user.failed_logins - allowed), current_app.config["LOGIN_MAX_DELAY_SECONDS"]
            )
            user.locked_until = now + timedelta(seconds=delay)
    raise SignInRefused(_("That email and password do not match an account."))


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; signs the account out elsewhere."""
    require(
        check_password_hash(user.password_hash, current or ""),
        "forbidden",
        _l("Your current password is not right."),
        field="current_password",
    )
    check_new_password(new)
    with write_transaction():
        user.password_hash = _hash(new)
        user.session_version += 1


def sign_out_everywhere(user: User) -> None:
    """End every session of the account, on every device."""
    with write_transaction():
        user.session_version += 1


def has_users() -> bool:
    return bool(db.session.scalar(select(func.count(User.id))))


def issue_setup_token(instance_path: str) -> str | None:
    """With no account yet, make a one-time token for creating the first organiser."""
    if has_users():
        return None
    token = secrets.token_urlsafe(24)
    path = Path(instance_path) / SETUP_TOKEN_FILE
    private.write_text(path, hashlib.sha256(token.encode()).hexdigest())
    return token


def setup_token_valid(instance_path: str, token: str) -> bool:
    path = Path(instance_path) / SETUP_TOKEN_FILE
    if not token or has_users() or not path.exists():
        return False
    expected = path.read_text(encoding="ascii").strip()
    return hmac.compare_digest(expected, hashlib.sha256(token.encode()).hexdigest())


def complete_setup(instance_path: str, token: str, email: str, name: str, password: str) -> User:
    """Create the first organiser with the one-time token, which then stops working."""
    require(
        setup_token_valid(instance_path, token),
        "forbidden",
        _l("This setup link has already been used or is not valid."),
    )
    user = create_user(email, name, Role.ORGANISER, password)
    (Path(instance_path) / SETUP_TOKEN_FILE).unlink(missing_ok=True)
    return user
