"""Every response carries the security headers; cookies are HttpOnly and SameSite=Lax; no page loads
anything from another host."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import make_theme

PAGES = ["/", "/login", "/join", "/join?code=NOPE99"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_page(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_headers_on_static_files_and_errors(client):
    with client.get("/static/css/app.css") as static:
        assert static.headers["X-Content-Type-Options"] == "nosniff"
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
    assert "Content-Security-Policy" in missing.headers


def test_cookies_are_httponly_and_samesite_lax(client, organiser, auth):
    auth.login(organiser)
    cookies = [v for k, v in client.get("/account").headers.items() if k == "Set-Cookie"]
    cookies += [v for k, v in client.get("/login").headers.items() if k == "Set-Cookie"]
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/", "/login", "/join"])
def test_pages_load_nothing_from_another_host_and_run_no_inline_script(client, path):
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html), "a page refers to another host"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "style=" not in html


def test_theme_page_has_no_inline_script(app, client):
    theme = make_theme()
    html = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_text_responses_are_compressed(client):
    for encoding in ("gzip", "br"):
        with client.get(
            "/static/vendor/socket.io.min.js", headers={"Accept-Encoding": encoding}
        ) as response:
            assert response.headers.get("Content-Encoding") == encoding
            assert len(response.get_data()) < 20_000  # 47 kB of JavaScript
    page = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers.get("Content-Encoding") == "br"


def behind_https_proxy(app):
    """As ``create_app`` sets it up with FACILITATE_TRUSTED_PROXIES=1."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def set_cookies(response) -> list[str]:
    return [value for name, value in response.headers.items() if name == "Set-Cookie"]


def test_every_cookie_is_secure_and_sockets_encrypted_over_https(app, client, organiser):
    behind_https_proxy(app)
    https = {"X-Forwarded-Proto": "https"}
    page = client.get("/login", headers=https)
    assert "connect-src 'self' wss://localhost;" in page.headers["Content-Security-Policy"]
    assert "ws://" not in page.headers["Content-Security-Policy"]
    from tests.conftest import csrf_from
    from tests.support.factories import PASSWORD

    signed_in = client.post(
        "/login",
        data={
            "email": organiser.email,
            "password": PASSWORD,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "remember": "y",
        },
        headers=https,
    )
    theme = make_theme()
    joined = client.get(f"/j/{theme.join_code}", headers=https)
    cookies = set_cookies(page) + set_cookies(signed_in) + set_cookies(joined)
    assert len(cookies) >= 2
    for cookie in cookies:
        assert "; Secure" in cookie, cookie


def test_plain_http_on_a_laptop_keeps_cookies_without_secure(app, client):
    behind_https_proxy(app)
    page = client.get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "ws://localhost" in page.headers["Content-Security-Policy"]
    assert set_cookies(page)
    assert not any("Secure" in cookie for cookie in set_cookies(page))
