"""Signing in and out, passwords, the growing delay after failures, and the one-time setup link."""

from __future__ import annotations

import re

from facilitate.config import Defaults
from facilitate.models import Role, User
from facilitate.services import accounts
from tests.conftest import csrf_from
from tests.support.factories import PASSWORD, make_user


def login_form(client):
    return csrf_from(client.get("/login").get_data(as_text=True))


def test_sign_in_with_contract_fields_and_reach_the_dashboard(client, organiser):
    token = login_form(client)
    response = client.post(
        "/login", data={"email": "OLIVE@example.org ", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hello, Olive Organiser" in page
    assert "Events you organise" in page


def test_wrong_password_and_unknown_email_say_the_same(client, organiser):
    token = login_form(client)
    wrong_password = client.post(
        "/login", data={"email": organiser.email, "password": "nope nope nope", "csrf_token": token}
    )
    unknown = client.post(
        "/login", data={"email": "nobody@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert wrong_password.status_code == unknown.status_code == 401
    message = "That email and password do not match an account."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, organiser):
    response = client.post("/login", data={"email": organiser.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)


def test_repeated_failures_make_the_account_wait_but_not_for_long(client, app, organiser):
    allowed = app.config["LOGIN_FAILURES_BEFORE_DELAY"]
    token = login_form(client)
    for _ in range(allowed):
        client.post(
            "/login",
            data={"email": organiser.email, "password": "wrong password", "csrf_token": token},
        )
    refused = client.post(
        "/login", data={"email": organiser.email, "password": PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 429
    wait = int(re.search(r"Try again in (\d+) seconds", refused.get_data(as_text=True)).group(1))
    assert 1 <= wait <= app.config["LOGIN_MAX_DELAY_SECONDS"]
    from facilitate.extensions import db

    db.session.expire_all()
    accounts.find_user(organiser.email).locked_until = None  # the wait is over
    db.session.commit()
    assert (
        client.post(
            "/login", data={"email": organiser.email, "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )


def test_next_only_goes_to_a_path_on_this_site(client, organiser):
    token = login_form(client)
    response = client.post(
        "/login",
        data={
            "email": organiser.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
    )
    assert response.headers["Location"] == "/"


OFF_SITE = [
    "/%09/evil.example",
    "/\t/evil.example",
    "/%0a/evil.example",
    "/\n/evil.example",
    "/%0d%0a/evil.example",
    "/\\evil.example",
    "/%5cevil.example",
    "/%2f/evil.example",
    "/%252f/evil.example",
    "/%25%30%39/evil.example",
    "/\x7f/evil.example",
]


def where_a_browser_goes(location: str) -> str:
    """The host a browser would open for ``Location``: it drops tabs and newlines, reads a
    backslash as a slash and decodes percent forms of those."""
    from urllib.parse import unquote, urljoin, urlsplit

    for _ in range(3):
        location = unquote(location)
    location = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin("http://localhost/", location)).netloc


def test_a_signed_in_browser_is_never_sent_off_the_site(organiser_client):
    for target in OFF_SITE:
        response = organiser_client.get("/login", query_string={"next": target})
        assert response.status_code == 302, target
        assert where_a_browser_goes(response.headers["Location"]) == "localhost", target
    kept = organiser_client.get("/login", query_string={"next": "/events/new?x=1"})
    assert kept.headers["Location"] == "/events/new?x=1"


def test_sign_out_ends_the_session(organiser_client, auth):
    assert organiser_client.get("/account").status_code == 200
    auth.logout()
    response = organiser_client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_change_password_signs_out_other_sessions(app, organiser, auth, client):
    other = app.test_client()
    from tests.conftest import Auth

    Auth(other).login(organiser)
    assert other.get("/account").status_code == 200
    auth.login(organiser)
    token = csrf_from(client.get("/account").get_data(as_text=True))
    response = client.post(
        "/account",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this device stays signed in
    assert other.get("/account").status_code == 302  # the other one is signed out
    assert Auth(app.test_client()).login(organiser, "a brand new passphrase").status_code == 302
    assert Auth(app.test_client()).login(organiser, PASSWORD).status_code == 401


def test_change_password_with_wrong_current_password_says_so(organiser_client):
    token = csrf_from(organiser_client.get("/account").get_data(as_text=True))
    response = organiser_client.post(
        "/account",
        data={
            "csrf_token": token,
            "current_password": "not it at all",
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right." in response.get_data(as_text=True)


def test_passwords_are_hashed_with_a_current_algorithm(app, client, auth):
    app.config["PASSWORD_HASH_METHOD"] = Defaults.PASSWORD_HASH_METHOD
    person = make_user(Role.ORGANISER, email="hashed@example.org")
    stored = User.query.filter_by(email=person.email).one().password_hash
    assert PASSWORD not in stored
    assert stored.startswith("scrypt:")
    assert auth.login(person).status_code == 302


def test_setup_link_creates_the_first_organiser_once(app, client):
    token = accounts.issue_setup_token(app.instance_path)
    page = client.get(f"/setup?token={token}")
    assert page.status_code == 200
    response = client.post(
        "/setup",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "token": token,
            "name": "First Organiser",
            "email": "first@example.org",
            "password": "long enough password",
            "confirm": "long enough password",
        },
    )
    assert response.status_code == 302
    assert accounts.find_user("first@example.org").role is Role.ORGANISER
    assert client.get(f"/setup?token={token}").status_code == 404


def test_setup_link_does_nothing_once_accounts_exist(app, client):
    make_user(Role.ORGANISER)
    assert accounts.issue_setup_token(app.instance_path) is None
    assert client.get("/setup?token=anything").status_code == 404
