"""Signing in under attack: guessing slows down per account and per address, a stranger cannot
lock a facilitator out of a browser they use, signing in starts a new session, and *Sign out
everywhere* ends every session of the account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from facilitate.extensions import db
from facilitate.models import User, utcnow
from tests.conftest import Auth, csrf_from
from tests.support.factories import PASSWORD

SESSION = "facilitate_session"
DEVICE = "facilitate_device"


def try_sign_in(client, email, password):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def wait_of(response) -> int | None:
    found = re.search(r"Try again in (\d+) seconds", response.get_data(as_text=True))
    return int(found.group(1)) if found else None


def end_the_wait(user) -> None:
    stored = db.session.get(User, user.id)
    stored.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


@pytest.fixture
def generous_addresses(app):
    """Per-account tests make more failures than one address may in a minute."""
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"


def test_each_failure_past_the_allowance_doubles_the_wait_up_to_a_ceiling(
    app, client, facilitator, generous_addresses
):
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 16
    allowed = app.config["LOGIN_FAILURES_BEFORE_DELAY"]
    for _ in range(allowed - 1):
        assert try_sign_in(client, facilitator.email, "wrong guess").status_code == 401
    waits = []
    for _ in range(7):
        assert try_sign_in(client, facilitator.email, "wrong guess").status_code == 401
        refused = try_sign_in(client, facilitator.email, PASSWORD)  # even the right one waits
        assert refused.status_code == 429
        waits.append(wait_of(refused))
        end_the_wait(facilitator)
    doubling = [1, 2, 4, 8, 16, 16, 16]  # seconds; the page rounds what is left of the wait
    assert all(abs(wait - expected) <= 1 for wait, expected in zip(waits, doubling, strict=True))
    assert try_sign_in(client, facilitator.email, PASSWORD).status_code == 302


def test_a_stranger_cannot_lock_the_owner_out_of_a_browser_they_signed_in_on(
    app, facilitator, generous_addresses
):
    laptop = app.test_client()
    assert try_sign_in(laptop, facilitator.email, PASSWORD).status_code == 302
    Auth(laptop).logout()
    stranger = app.test_client()
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_DELAY"] + 3):
        try_sign_in(stranger, facilitator.email, "guessing away")
    assert wait_of(try_sign_in(stranger, facilitator.email, PASSWORD)) is not None
    new_browser = app.test_client()
    assert try_sign_in(new_browser, facilitator.email, PASSWORD).status_code == 429
    # The laptop the facilitator used before is spared the wait, and its success ends it.
    assert try_sign_in(laptop, facilitator.email, PASSWORD).status_code == 302
    assert try_sign_in(new_browser, facilitator.email, PASSWORD).status_code == 302


def test_a_forged_or_borrowed_browser_cookie_does_not_skip_the_wait(
    app, facilitator, organiser, generous_addresses
):
    stranger = app.test_client()
    assert try_sign_in(stranger, organiser.email, PASSWORD).status_code == 302  # their own account
    Auth(stranger).logout()
    forged = URLSafeTimedSerializer("not the key", salt="facilitate-known-device")
    for _ in range(app.config["LOGIN_FAILURES_BEFORE_DELAY"]):
        try_sign_in(stranger, facilitator.email, "guessing away")
    assert try_sign_in(stranger, facilitator.email, PASSWORD).status_code == 429
    stranger.set_cookie(DEVICE, forged.dumps({"n": "x", "u": [facilitator.id]}))
    assert try_sign_in(stranger, facilitator.email, PASSWORD).status_code == 429


def test_failed_sign_ins_per_address_are_limited_whatever_the_account(
    app, client, organiser, facilitator
):
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    laptop = app.test_client()
    assert try_sign_in(laptop, facilitator.email, PASSWORD).status_code == 302
    Auth(laptop).logout()
    for number in range(5):
        assert try_sign_in(client, f"guess{number}@example.org", "guess").status_code == 401
    refused = try_sign_in(client, organiser.email, PASSWORD)
    assert refused.status_code == 429
    assert "Too many tries" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    token = csrf_from(client.get("/login").get_data(as_text=True))
    spoofed = client.post(
        "/login",
        data={"email": organiser.email, "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert spoofed.status_code == 429  # no trusted proxy: the header changes nothing
    # A browser that signed in before has a budget of its own, at the same address.
    assert try_sign_in(laptop, facilitator.email, PASSWORD).status_code == 302


def test_the_browser_cookie_is_httponly_samesite_lax_and_holds_no_secret(app, client, facilitator):
    response = try_sign_in(client, facilitator.email, PASSWORD)
    [cookie] = [v for k, v in response.headers.items() if k == "Set-Cookie" and DEVICE in v]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert facilitator.email not in cookie
    assert PASSWORD not in cookie


def test_signing_in_starts_a_new_session(app, client, facilitator):
    """Session fixation: a session cookie someone planted before sign-in is worth nothing after."""
    page = client.get("/login").get_data(as_text=True)
    planted = client.get_cookie(SESSION).value
    attacker = app.test_client()
    attacker.set_cookie(SESSION, planted)
    response = client.post(
        "/login",
        data={"email": facilitator.email, "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.status_code == 302
    assert client.get_cookie(SESSION).value != planted
    assert signed_in(client)
    assert not signed_in(attacker)
    # The form token of the old session does not work in the new one either.
    refused = client.post("/logout", data={"csrf_token": csrf_from(page)})
    assert refused.status_code == 400
    assert signed_in(client)


def test_sign_out_everywhere_ends_every_session_of_the_account(app, facilitator):
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        assert try_sign_in(browser, facilitator.email, PASSWORD).status_code == 302
    copied = laptop.get_cookie(SESSION).value
    account = laptop.get("/account").get_data(as_text=True)
    assert 'action="/account/sign-out-everywhere"' in account
    answer = laptop.post(
        "/account/sign-out-everywhere",
        data={"csrf_token": csrf_from(account)},
        follow_redirects=True,
    )
    assert "You have signed out on every device." in answer.get_data(as_text=True)
    assert not signed_in(laptop)
    assert not signed_in(phone)
    thief = app.test_client()
    thief.set_cookie(SESSION, copied)
    assert not signed_in(thief)
    assert try_sign_in(laptop, facilitator.email, PASSWORD).status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
