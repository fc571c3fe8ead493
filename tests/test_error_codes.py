"""One table of refusal codes: the web sends each one's HTTP status, the sockets the code itself."""

from __future__ import annotations

import uuid

import pytest

from facilitate.errors import handle_service
from facilitate.models import Phase
from facilitate.services.errors import HTTP_STATUS, ServiceError, http_status
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_theme
from tests.test_participate import post_form

NS = "/live"


def test_every_contract_code_has_its_status():
    assert all(http_status(code) == status for code, status in HTTP_STATUS.items())
    expected = {
        "empty": 400,
        "too_long": 400,
        "invalid": 400,
        "theme_closed": 409,
        "forbidden": 403,
        "not_found": 404,
        "rate_limited": 429,
        "unavailable": 503,
    }
    assert {code: HTTP_STATUS[code] for code in expected} == expected


def test_a_code_outside_the_table_is_a_programming_error():
    with pytest.raises(ValueError, match="not an error code"):
        ServiceError("nope", "Not a code")


@pytest.mark.parametrize(("code", "status"), [("not_found", 404), ("forbidden", 403)])
def test_a_refusal_that_reaches_no_form_has_the_table_status(app, code, status):
    with app.test_request_context("/"):
        _, sent = handle_service(ServiceError(code, "Said plainly."))
    assert sent == status


def add(phone, text):
    payload = {"client_id": str(uuid.uuid4()), "text": text}
    return phone.emit("note:add", payload, namespace=NS, callback=True)


@pytest.mark.parametrize(
    ("phase", "text", "code"),
    [
        (Phase.DRAFT, "Too early", "theme_closed"),
        (Phase.OPEN, "x" * 25, "too_long"),
        (Phase.OPEN, "   ", "empty"),
    ],
)
def test_both_doors_refuse_with_the_same_code(client, live_socket, phase, text, code):
    theme = make_theme(phase=phase, settings=ThemeSettings(note_max_length=20))
    form = post_form(client, theme, text=text, kind="idea")
    assert form.status_code == HTTP_STATUS[code]
    phone = live_socket(auth={"code": theme.join_code})
    assert add(phone, text)["error"]["code"] == code


def test_posting_too_fast_is_429_on_the_web_and_rate_limited_on_the_socket(
    app, client, live_socket
):
    app.config["NOTES_PER_MINUTE"] = 1
    theme = make_theme()
    assert post_form(client, theme, text="First", kind="idea").status_code == 302
    assert post_form(client, theme, text="Second", kind="idea").status_code == 429
    phone = live_socket(auth={"code": theme.join_code})
    assert add(phone, "First")["ok"]
    assert add(phone, "Second")["error"]["code"] == "rate_limited"


def test_an_id_no_column_can_hold_is_a_missing_page_not_a_server_error(
    app, organiser_client, caplog
):
    """Every ``<int:…>`` address, with a number past 64 bits: 404, and nothing logged as an error."""
    huge = str(2**70)
    rules = [r.rule for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert rules
    for rule in rules:
        path = rule
        while "<int:" in path:
            start = path.index("<int:")
            path = path[:start] + huge + path[path.index(">", start) + 1 :]
        path = path.replace("<slug>", "no-such-event").replace("<token>", "x")
        for method in ("GET", "POST"):
            response = organiser_client.open(path, method=method)
            assert response.status_code in (400, 404, 405), (method, path, response.status_code)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
