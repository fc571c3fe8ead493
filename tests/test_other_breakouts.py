"""Moving between break-outs on a phone without JavaScript: the theme page lists the event's other
open themes, and the phone stays the same participant in every one of them."""

from __future__ import annotations

import re

from facilitate.models import Phase
from tests.support.factories import make_event, make_theme


def post_note(client, theme, text: str):
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    fields = {
        name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)
        for name in ("csrf_token", "client_id")
    }
    return client.post(f"/j/{theme.join_code}", data={**fields, "text": text})


def test_the_phone_page_lists_the_other_open_break_outs(client):
    event = make_event()
    trust = make_theme(event, "Trust")
    tactics = make_theme(event, "Tactics")
    make_theme(event, "Training", phase=Phase.DRAFT)
    make_theme(event, "Tools", phase=Phase.CLOSED)
    elsewhere = make_theme(make_event(title="Another day"), "Elsewhere")
    page = client.get(f"/j/{trust.join_code}").get_data(as_text=True)
    section = page.split('id="other-themes-title"', 1)[1]
    assert f'href="/j/{tactics.join_code}"' in section
    assert "Other break-outs (1)" in page
    for absent in ("Training", "Tools", elsewhere.join_code, f'href="/j/{trust.join_code}"'):
        assert absent not in section


def test_a_lone_break_out_offers_no_others(client):
    trust = make_theme(make_event(), "Trust")
    assert "Other break-outs" not in client.get(f"/j/{trust.join_code}").get_data(as_text=True)


def test_without_javascript_the_phone_stays_the_same_participant_across_break_outs(client):
    event = make_event()
    trust = make_theme(event, "Trust")
    tactics = make_theme(event, "Tactics")
    assert post_note(client, trust, "Trust them with a phone").status_code == 302
    assert post_note(client, tactics, "Train before launch").status_code == 302
    back = client.get(f"/j/{trust.join_code}").get_data(as_text=True)
    mine = back.split("Trust them with a phone", 1)[1].split("</li>", 1)[0]
    assert '<span class="badge">You</span>' in mine
    other = client.get(f"/j/{tactics.join_code}").get_data(as_text=True)
    assert (
        '<span class="badge">You</span>'
        in other.split("Train before launch", 1)[1].split("</li>")[0]
    )


def test_a_phone_whose_script_loads_later_stays_the_participant_of_its_plain_form(
    client, live_socket
):
    event = make_event()
    trust = make_theme(event, "Trust")
    tactics = make_theme(event, "Tactics")
    assert post_note(client, trust, "Posted before the script loaded").status_code == 302
    phone = live_socket(auth={"code": tactics.join_code, "token": None}, client=client)
    welcome = phone.get_received("/live")[0]["args"][0]
    back = live_socket(
        auth={"code": trust.join_code, "token": welcome["participant"]["token"]}, client=None
    )
    notes = back.get_received("/live")[0]["args"][0]["notes"]
    mine = [n for n in notes if n["text"] == "Posted before the script loaded"]
    assert mine
    assert mine[0]["mine"] is True


def test_a_phone_without_the_cookie_or_a_token_is_a_new_participant(client, live_socket):
    event = make_event()
    trust = make_theme(event, "Trust")
    assert post_note(client, trust, "Someone else's note").status_code == 302
    stranger = live_socket(auth={"code": trust.join_code, "token": None}, client=None)
    notes = stranger.get_received("/live")[0]["args"][0]["notes"]
    assert [n["mine"] for n in notes if n["text"] == "Someone else's note"] == [False]
