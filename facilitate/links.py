"""Addresses people are given: join links, wall links, QR codes."""

from __future__ import annotations

import io
import socket
from urllib.parse import urlsplit

import segno
from flask import current_app, request, url_for

from .models import Theme

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def absolute(path: str) -> str:
    """``path`` as a full URL that phones in the room can open: on ``FACILITATE_BASE_URL`` when set,
    else on the request's host. A facilitator usually opens pages on the laptop itself
    (``127.0.0.1``), which no phone can reach; links and QR codes then use the laptop's address on
    the local network instead."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + path
    try:
        host_url = request.host_url.rstrip("/")
    except RuntimeError:  # no request: the command line
        return path
    parts = urlsplit(host_url)
    if parts.hostname in LOOPBACK and (address := lan_address()):
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{address}{port}{path}"
    return host_url + path


def join_path(theme: Theme) -> str:
    return url_for("participate.theme_page", code=theme.join_code)


def wall_path(theme: Theme) -> str:
    return url_for("wall.show", token=theme.wall_token)


def contract_url(path: str) -> str:
    """The event-import contract: a path, or an absolute URL when ``FACILITATE_BASE_URL`` is set."""
    base = current_app.config.get("BASE_URL")
    return base + path if base else path


def qr_svg(data: str, *, dark: str = "#000", light: str = "#fff", scale: int = 8) -> str:
    """A QR code as inline SVG markup, with a quiet zone, for pages and the wall."""
    qr = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        dark=dark,
        light=light,
        xmldecl=False,
        svgns=True,
        omitsize=True,
    )
    return buffer.getvalue().decode()


def qr_terminal(data: str) -> str:
    """A QR code drawn with block characters, for the terminal."""
    qr = segno.make(data, error="l", micro=False)
    buffer = io.StringIO()
    qr.terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


def lan_address() -> str | None:
    """This machine's address on the local network, as phones on the same Wi-Fi reach it.

    Asks the operating system which interface would route to a public address; no packet is sent.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(
            ("192.0.2.1", 9)
        )  # TEST-NET-1: never routed, nothing is sent over UDP connect
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address
