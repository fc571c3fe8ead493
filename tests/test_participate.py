"""Joining with a code, and posting a note with the plain form (no JavaScript), over HTTP."""

from __future__ import annotations

import re

from facilitate.extensions import db
from facilitate.models import Note, Phase
from facilitate.services.themes import ThemeSettings
from tests.support.factories import make_theme, post


def form_fields(html: str) -> dict:
    fields = {}
    for name in ("csrf_token", "client_id"):
        match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html)
        assert match, f"no {name} in the form"
        fields[name] = match.group(1)
    return fields


def post_form(client, theme, **data):
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    fields = form_fields(page)
    fields.update(data)
    return client.post(f"/j/{theme.join_code}", data=fields)


def test_a_code_typed_in_lower_case_with_spaces_joins(client):
    theme = make_theme()
    typed = f" {theme.join_code[:3].lower()} {theme.join_code[3:].lower()} "
    response = client.get("/join", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{theme.join_code}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert theme.title in page
    assert theme.prompt in page


def test_a_join_link_in_another_case_goes_to_the_right_page(client):
    theme = make_theme()
    response = client.get(f"/j/{theme.join_code.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{theme.join_code}")


def test_a_wrong_code_says_so(client):
    make_theme()
    response = client.get("/join", query_string={"code": "WRONG9"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "We could not find that code. Check the screen at the front of the room." in page
    assert 'aria-invalid="true"' in page
    assert client.get("/j/NOPE99").status_code == 404


def test_characters_no_code_holds_are_a_wrong_code_or_a_plain_refusal(client, live_socket):
    theme = make_theme()
    assert client.get("/join", query_string={"code": "TR7K4M\u00e9"}).status_code == 404
    for path in ("/join?code=%00", f"/j/{theme.join_code}%00", "/wall/abc%00def"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "Something in that request was not right" in response.get_data(as_text=True)
    phone = live_socket(auth={"code": theme.join_code + "\x00"})
    assert not phone.is_connected("/live")
    wall = live_socket(auth={"wall": theme.wall_token + "\x00"})
    assert not wall.is_connected("/live")


def test_wrong_codes_are_limited_per_address_but_generously_and_never_a_right_code(client):
    theme = make_theme()
    for attempt in range(60):
        response = client.get("/join", query_string={"code": f"NOPE{attempt:02d}"})
        assert response.status_code == 404, attempt
    assert client.get("/join", query_string={"code": "NOPE99"}).status_code == 429
    assert client.get("/j/NOPE99").status_code == 429
    # The room's address is blocked for wrong codes only: everyone else still gets in.
    assert client.get("/join", query_string={"code": theme.join_code}).status_code == 302
    assert client.get(f"/j/{theme.join_code}").status_code == 200
    # Another address is not affected at all.
    other = client.get(
        "/join", query_string={"code": "NOPE98"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 404


def test_the_plain_form_posts_a_note_once_and_marks_it_as_mine(client):
    theme = make_theme()
    post(theme, text="Someone else's point")
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    fields = form_fields(page)
    data = {**fields, "text": "  Avoid spin: be human  ", "kind": "question", "name": "Ann"}
    response = client.post(f"/j/{theme.join_code}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{theme.join_code}#notes")
    again = client.post(f"/j/{theme.join_code}", data=data)  # a double tap sends it twice
    assert again.status_code == 302
    notes = db.session.scalars(db.select(Note).where(Note.theme_id == theme.id)).all()
    mine = [n for n in notes if n.text == "Avoid spin: be human"]
    assert len(mine) == 1
    assert (mine[0].kind.value, mine[0].author_name) == ("question", "Ann")
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    assert "Your note is posted." in page
    own = re.search(r'<li class="note note--question note--mine">(.*?)</li>', page, re.S)
    assert own is not None
    assert "Avoid spin: be human" in own.group(1)
    assert ">You<" in own.group(1)
    assert page.index("Avoid spin: be human") < page.index("Someone else&#39;s point")


def test_the_plain_form_keeps_the_text_when_it_refuses(client):
    theme = make_theme(settings=ThemeSettings(note_max_length=20))
    response = post_form(client, theme, text="x" * 25, kind="idea")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Notes can be up to 20 characters; this one has 25." in page
    assert "x" * 25 in page
    response = post_form(client, theme, text="   ", kind="idea")
    assert response.status_code == 400
    assert "Write something before you post." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Note.id))) == 0


def test_the_plain_form_asks_for_a_name_when_the_theme_does(client):
    theme = make_theme(settings=ThemeSettings(names_required=True))
    response = post_form(client, theme, text="A point", kind="idea")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="name-error">.*Add your name before you post', page, re.S)
    assert post_form(client, theme, text="A point", kind="idea", name="Kim").status_code == 302


def test_closed_and_draft_themes_show_why_and_refuse_the_form(client):
    closed = make_theme(phase=Phase.CLOSED)
    page = client.get(f"/j/{closed.join_code}").get_data(as_text=True)
    assert "This discussion is closed. Thank you!" in page
    draft = make_theme(phase=Phase.DRAFT)
    page = client.get(f"/j/{draft.join_code}").get_data(as_text=True)
    assert "This discussion has not started yet." in page
    response = post_form(client, draft, text="Too early", kind="idea")
    assert response.status_code == 409
    assert "has not started yet" in response.get_data(as_text=True)


def test_a_pending_note_shows_to_its_author_only(client, app):
    theme = make_theme(settings=ThemeSettings(approval_required=True))
    assert post_form(client, theme, text="Wait for me", kind="idea").status_code == 302
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    assert "It appears once the facilitator approves it." in page
    assert "Waiting for the facilitator" in page
    stranger = app.test_client()
    assert "Wait for me" not in stranger.get(f"/j/{theme.join_code}").get_data(as_text=True)


def test_the_wall_shows_an_address_that_phones_can_reach(app, client, monkeypatch):
    theme = make_theme()
    monkeypatch.setattr("facilitate.links.lan_address", lambda: "192.168.1.20")
    page = client.get(f"/wall/{theme.wall_token}", base_url="http://127.0.0.1:5000")
    html = page.get_data(as_text=True)
    assert f"192.168.1.20:5000/j/{theme.join_code}" in html
    assert "127.0.0.1:5000/j/" not in html
    assert f'aria-label="QR code for http://192.168.1.20:5000/j/{theme.join_code}"' in html
    # Opened at the address phones use, or with a public address set, the wall keeps it.
    page = client.get(f"/wall/{theme.wall_token}", base_url="http://10.0.0.5:5000")
    assert f"10.0.0.5:5000/j/{theme.join_code}" in page.get_data(as_text=True)
    app.config["BASE_URL"] = "https://facilitate.example.org"
    page = client.get(f"/wall/{theme.wall_token}", base_url="http://127.0.0.1:5000")
    assert f"facilitate.example.org/j/{theme.join_code}" in page.get_data(as_text=True)


def test_the_plain_form_refuses_a_note_id_used_in_another_theme(client):
    """Note ids are one per participant across the event's themes: the form says so, stores
    nothing new, and never claims the note is posted."""
    first = make_theme()
    second = make_theme(event=first.event, title="Speed")
    used = post_form(client, first, text="In the first theme", kind="idea")
    assert used.status_code == 302
    [stored] = db.session.scalars(db.select(Note)).all()
    response = post_form(client, second, text="Sent again", kind="idea", client_id=stored.client_id)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "That note id was already used in another discussion." in page
    assert "Your note is posted" not in page
    assert db.session.scalar(db.select(db.func.count(Note.id))) == 1


def test_the_name_field_says_where_a_name_will_be_shown(client):
    theme = make_theme()
    page = client.get(f"/j/{theme.join_code}").get_data(as_text=True)
    hint = re.search(r'<p class="field__hint" id="name-hint">(.*?)</p>', page, re.S).group(1)
    assert "Leave it empty to stay anonymous." in hint
    assert "on the wall and in the discussion's report, which may be published." in hint
