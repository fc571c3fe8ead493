"""Playwright driving the system Chromium at phone and projector size, with axe-core checks."""

from __future__ import annotations

import pytest

from tests.support import environment

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: A small, cheap Android phone, and a 1080p projector.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SIZES = {"phone": PHONE, "projector": PROJECTOR, "laptop": LAPTOP}


@pytest.fixture(scope="session")
def browser():
    path = environment.chromium_path()
    if path is None:
        environment.missing("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        environment.missing("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request):
    """``new_page("phone" | "projector" | "laptop")``: a page in a fresh browser context."""
    contexts = []

    def make(size: str = "laptop", **options):
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**SIZES[size], **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "console",
            lambda message: page.errors.append(message.text) if message.type == "error" else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """axe-core's WCAG 2.x A and AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
        }
    }
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = Axe().run(page, context=context, options=options)
    return [
        f"{v['id']}: {v['help']} — {', '.join(n['target'][0] for n in v['nodes'][:5])}"
        for v in results.response["violations"]
    ]


def font_px(page, selector: str) -> float:
    """The text size, in CSS pixels, of the first element ``selector`` finds, read in one step so
    that a live page redrawing meanwhile cannot hand back a node it has just taken away."""
    return page.evaluate(
        "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector
    )


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
