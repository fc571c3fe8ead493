"""``facilitate check``: before the session, will phones reach this laptop?

It says what it can tell from the laptop (its address on the network, whether the port is free,
whether a firewall is on, whether the network looks like a hotspot), then proves the one thing the
laptop cannot tell alone: it listens on the port for a while and reports the first phone that opens
the printed address. A guest network that keeps devices apart lets no phone through.
"""

from __future__ import annotations

import ipaddress
import platform
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from .i18n import language_tag
from .links import lan_address, qr_terminal
from .server import ALL_INTERFACES, choose_port

#: Address ranges that phones' and laptops' own hotspots hand out: devices there see each other.
HOTSPOTS = {
    "172.20.10.0/28": _l("an iPhone's Personal Hotspot"),
    "192.168.43.0/24": _l("an Android phone's hotspot"),
    "192.168.137.0/24": _l("a Windows laptop's Mobile hotspot"),
    "192.168.2.0/24": _l("a Mac's Internet Sharing"),
}

ISOLATION_ADVICE = _l(
    "The Wi-Fi may keep devices apart (common on guest and conference networks). Start a hotspot "
    "on this laptop (Windows: Settings, Network, Mobile hotspot; macOS: Internet Sharing; Linux: "
    "the network menu) or on a phone, join it with the laptop and the phones, and run this check "
    "again; or use your organisation's shared server."
)


def page() -> str:
    """The plain page a phone sees when it reaches the laptop."""
    heading = escape(_("This phone reaches the laptop"))
    sentence = escape(_("Phones on this Wi-Fi will be able to join the discussion."))
    return (
        f"<!doctype html><html lang='{language_tag()}'><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{heading}</title>"
        "<body style='font: 1.4rem/1.5 system-ui, sans-serif; margin: 2rem; color: #0b0c0c'>"
        f"<h1>{heading}</h1>"
        f"<p>{sentence}</p>"
        "</body></html>"
    )


@dataclass
class Findings:
    """What the laptop can tell by itself, each as a sentence for the facilitator."""

    address: str | None
    port: int
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def network_kind(address: str) -> str | None:
    """The kind of network an IPv4 address belongs to, when its range tells (hotspots do)."""
    ip = ipaddress.ip_address(address)
    if ip.is_link_local:
        return "link-local"
    for network, name in HOTSPOTS.items():
        if ip in ipaddress.ip_network(network):
            return str(name)
    return None


def firewall_state() -> str | None:
    """``"on"``, ``"off"`` or ``None`` (cannot tell) for this system's own firewall."""
    system = platform.system()
    if system == "Windows":
        command = ["netsh", "advfirewall", "show", "currentprofile", "state"]
        on, off = "ON", "OFF"
    elif system == "Darwin":
        command = ["/usr/libexec/ApplicationFirewall/socketfilterfw", "--getglobalstate"]
        on, off = "enabled", "disabled"
    elif shutil.which("ufw"):
        command = ["ufw", "status"]
        on, off = "Status: active", "Status: inactive"
    else:
        return None
    try:
        output = subprocess.run(  # noqa: S603  (a fixed command of the system's own)
            command, capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    if off in output:
        return "off"
    return "on" if on in output else None


def inspect(port: int | None) -> Findings:
    """Everything the laptop can tell without a phone."""
    address = lan_address()
    port = choose_port(ALL_INTERFACES, port)
    findings = Findings(address, port)
    if address is None:
        findings.warnings.append(
            _("This laptop is not on a network: connect it to the room's Wi-Fi or a hotspot first.")
        )
        return findings
    findings.lines.append(_("This laptop's address on the network: %(address)s", address=address))
    findings.lines.append(_("Phones will open: %(url)s", url=f"http://{address}:{port}/join"))
    kind = network_kind(address)
    if kind == "link-local":
        findings.warnings.append(
            _(
                "%(address)s is a fallback address: the network gave this laptop none. "
                "Reconnect to the Wi-Fi, or use a hotspot.",
                address=address,
            )
        )
    elif kind:
        findings.lines.append(
            _("The network looks like %(kind)s: devices on it reach each other.", kind=kind)
        )
    state = firewall_state()
    if state == "on":
        findings.lines.append(
            _(
                "The firewall is on: when the system asks whether Python may accept connections, "
                "allow it (on Windows, for private networks; a network marked Public blocks phones)."
            )
        )
    elif state == "off":
        findings.lines.append(_("The firewall is off: it will not stop phones."))
    return findings


class _Visits(BaseHTTPRequestHandler):
    """Answers every request with a plain page and tells the waiting check who came."""

    def do_GET(self) -> None:
        body = page().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.visitor(self.client_address[0])

    def log_message(self, format: str, *args) -> None:
        pass


def wait_for_phone(port: int, seconds: float, own: set[str]) -> str | None:
    """Listen on every interface for up to ``seconds``; the first visitor's address that is not
    this laptop's own, or ``None``. The laptop's own visits are said, not counted."""
    arrived = threading.Event()
    found: list[str] = []

    def visitor(client: str) -> None:
        if client in own or client.startswith("127."):
            click.echo(
                "  "
                + _(
                    "This laptop opened the address itself (%(client)s): the port is open here.",
                    client=client,
                )
            )
            return
        found.append(client)
        arrived.set()

    server = ThreadingHTTPServer((ALL_INTERFACES, port), _Visits)
    server.visitor = visitor
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        arrived.wait(seconds)
    finally:
        server.shutdown()
        server.server_close()
    return found[0] if found else None


def run_check(port: int | None, wait: float) -> bool:
    """Print the findings and, unless ``wait`` is 0, wait for a phone. True when nothing stands in
    the way that the check could see."""
    echo = click.echo
    findings = inspect(port)
    echo(click.style(_("Will phones reach this laptop?"), bold=True))
    for line in findings.lines:
        echo(f"  {line}")
    for warning in findings.warnings:
        echo(click.style(f"  ! {warning}", fg="yellow"))
    if findings.address is None:
        return False
    if wait <= 0:
        echo(
            "  "
            + _(
                "To be sure, run `facilitate check` and open the address on a phone on the same Wi-Fi."
            )
        )
        return not findings.warnings
    url = f"http://{findings.address}:{findings.port}/"
    echo("")
    echo(
        _(
            "Open %(url)s on a phone on the same Wi-Fi (or scan this) within %(seconds)s seconds:",
            url=url,
            seconds=f"{wait:.0f}",
        )
    )
    echo(qr_terminal(url))
    phone = wait_for_phone(findings.port, wait, {findings.address})
    if phone:
        echo(
            click.style(
                _("A phone (%(phone)s) reached this laptop: phones will get through.", phone=phone),
                bold=True,
            )
        )
        return True
    echo(click.style(_("No phone reached this laptop."), bold=True))
    echo(
        "  "
        + _(
            "If a phone tried and could not open %(url)s: %(advice)s",
            url=url,
            advice=ISOLATION_ADVICE,
        )
    )
    return False
