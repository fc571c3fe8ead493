"""Page weight: the bytes a phone receives to open ``/j/CODE`` and post a first note, read from
Chromium's own network events (compressed, as on the wire, headers included)."""

from __future__ import annotations

import shutil

from .servers import ServerProcess, arrange_themes

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
#: Bodies smaller than this are sent as they are (Flask-Compress's COMPRESS_MIN_SIZE).
COMPRESS_MIN_SIZE = 500


def chromium_path() -> str | None:
    return CHROMIUM if shutil.which(CHROMIUM) else shutil.which("chromium")


def measure(server: ServerProcess, code: str) -> dict:
    """Open the phone page in a fresh browser, post a note, and add up what came over the network."""
    from playwright.sync_api import sync_playwright

    responses: dict[str, dict] = {}
    frames = {"received": 0, "sent": 0, "count": 0}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=LAUNCH_ARGS, headless=True
        )
        try:
            context = browser.new_context(**PHONE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")

            def on_response(event):
                response = event["response"]
                headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
                responses[event["requestId"]] = {
                    "url": response["url"],
                    "type": response.get("mimeType", ""),
                    "encoding": headers.get("content-encoding", ""),
                    "headers": response.get("encodedDataLength", 0),
                    "bytes": 0,
                }

            def on_finished(event):
                if event["requestId"] in responses:
                    responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

            def on_frame(direction):
                def record(event):
                    frames[direction] += len(event["response"]["payloadData"])
                    frames["count"] += 1

                return record

            cdp.on("Network.responseReceived", on_response)
            cdp.on("Network.loadingFinished", on_finished)
            cdp.on("Network.webSocketFrameReceived", on_frame("received"))
            cdp.on("Network.webSocketFrameSent", on_frame("sent"))
            page.goto(f"{server.url}/j/{code}")
            page.locator(".conn[data-state=live]").wait_for(timeout=15_000)
            page.get_by_label("Your note", exact=True).fill("A first note from the benchmark")
            page.get_by_role("button", name="Post note").click()
            page.locator(".notes .note:not(.note--outbox)", has_text="A first note").wait_for(
                timeout=15_000
            )
            page.wait_for_timeout(500)
            context.close()
        finally:
            browser.close()
    http = sum(r["bytes"] for r in responses.values())
    uncompressed_text = [
        r["url"]
        for r in responses.values()
        if r["type"].startswith(TEXT_TYPES)
        and r["bytes"] - r["headers"] > COMPRESS_MIN_SIZE
        and not r["encoding"]
    ]
    return {
        "http_bytes": http,
        "websocket_bytes": frames["received"] + frames["sent"],
        "total_bytes": http + frames["received"] + frames["sent"],
        "requests": len(responses),
        "uncompressed_text": uncompressed_text,
        "largest": sorted(
            (
                (r["bytes"], r["url"].split("?")[0].rsplit("/", 1)[-1], r["encoding"])
                for r in responses.values()
            ),
            reverse=True,
        )[:5],
    }


def page_weight() -> dict:
    with ServerProcess("app") as server:
        code = arrange_themes(server, 1)[0]
        return measure(server, code)
