"""The phone page in a real Chromium against a real ``facilitate serve``: posting, the outbox that
loses nothing, reloads, edits, votes, a blocked websocket, no JavaScript at all, and the theme's
phase and timer changing live."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Note, Participant, Phase, Role, Theme
from facilitate.services import moderation, phases
from facilitate.services.themes import ThemeSettings
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_participant, make_theme, make_user, post

pytestmark = [pytest.mark.browser, pytest.mark.server]


def arrange(server, phase=Phase.OPEN, notes=(), **settings):
    """A theme with a facilitator and, optionally, notes from other people."""
    with server.app_context():
        lead = make_user(Role.FACILITATOR)
        theme = make_theme(
            facilitators=[lead],
            phase=Phase.OPEN if notes else phase,
            settings=ThemeSettings(**settings) if settings else None,
        )
        for text in notes:
            post(theme, make_participant(theme, "Kim"), text=text)
        if phase is not theme.phase:
            phases.set_phase(theme, phase)
        return SimpleNamespace(
            id=theme.id, code=theme.join_code, wall=theme.wall_token, lead=lead.email
        )


def stored(server, theme) -> list[str]:
    with server.app_context():
        return list(db.session.scalars(db.select(Note.text).where(Note.theme_id == theme.id)))


def open_phone(new_page, server, theme, **options):
    page = new_page("phone", **options)
    page.goto(f"{server.url}/j/{theme.code}")
    expect(page.locator(".conn")).to_have_text("Live")
    return page


def write(page, text, kind=None, name=None):
    page.get_by_label("Your note", exact=True).fill(text)
    if kind:
        page.get_by_label(kind, exact=True).check()
    if name is not None:
        page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Post note").click()


def note(page, text):
    return page.locator(".notes .note", has_text=text)


def expect_posted(page, text):
    """The note is on the phone as the author's own, and the server has it (out of the outbox)."""
    mine = note(page, text)
    expect(mine).to_contain_text("You")
    expect(mine).not_to_have_class(re.compile(r"note--outbox"))
    return mine


def closed_message(page):
    return page.locator(".phase-message", has_text="This discussion is closed. Thank you!")


def draft_message(page):
    return page.locator(".phase-message", has_text="This discussion has not started yet.")


def as_facilitator(new_page, server, theme):
    """A signed-in laptop holding the theme's wall page, whose Socket.IO client then acts as the
    facilitator's console would."""
    page = new_page("laptop")
    sign_in(page, server.url, theme.lead, PASSWORD)
    page.goto(f"{server.url}/wall/{theme.wall}")
    return page


def staff_emit(page, theme, event, payload):
    return page.evaluate(
        """([id, event, payload]) => new Promise((resolve, reject) => {
            const s = io("/live", {auth: {theme_id: id}, forceNew: true});
            s.on("connect_error", (e) => reject(String(e && e.message)));
            s.on("welcome", () => s.emit(event, payload, (ack) => { s.disconnect(); resolve(ack); }));
        })""",
        [theme.id, event, payload],
    )


def test_posting_shows_the_note_as_mine_at_once_and_clears_the_box(server, new_page):
    theme = arrange(server, notes=["Trust them with a phone"])
    page = open_phone(new_page, server, theme)
    expect(note(page, "Trust them with a phone")).to_contain_text("Kim")
    write(page, "Avoid spin: be human", kind="Question", name="Ann")
    mine = expect_posted(page, "Avoid spin: be human")
    expect(mine).to_contain_text("Question")
    expect(page.get_by_label("Your note", exact=True)).to_have_value("")
    expect(page.locator(".name-known")).to_have_text(re.compile(r"Posting as Ann\.\s+Change"))
    # Newest first.
    expect(page.locator(".notes .note").first).to_contain_text("Avoid spin: be human")
    assert stored(server, theme).count("Avoid spin: be human") == 1
    with server.app_context():
        assert (
            db.session.scalar(
                db.select(Note).where(Note.text == "Avoid spin: be human")
            ).author_name
            == "Ann"
        )
    assert page.errors == []


def test_the_counter_warns_near_the_limit_and_refuses_over_it(server, new_page):
    theme = arrange(server, note_max_length=40)
    page = open_phone(new_page, server, theme)
    box = page.get_by_label("Your note", exact=True)
    counter = page.locator("#text-counter")
    box.fill("x" * 10)
    expect(counter).to_have_text("10 / 40 characters")
    box.fill("x" * 37)
    expect(counter).to_have_text(re.compile(r"37 / 40 characters · 3 left"))
    expect(counter).to_have_class(re.compile("counter--near"))
    box.fill("x" * 45)
    expect(counter).to_have_class(re.compile("counter--over"))
    page.get_by_role("button", name="Post note").click()
    expect(page.locator("#text-error")).to_contain_text(
        "Notes can be up to 40 characters; this one has 45."
    )
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value("x" * 45)
    # The box grows with what is written.
    small = box.bounding_box()["height"]
    box.fill("line\n" * 8)
    assert box.bounding_box()["height"] > small
    # Ctrl+Enter posts.
    box.fill("Posted from the keyboard")
    box.press("Control+Enter")
    expect_posted(page, "Posted from the keyboard")
    assert stored(server, theme) == ["Posted from the keyboard"]


def test_a_note_posted_offline_is_kept_and_arrives_exactly_once(server, new_page):
    theme = arrange(server)
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    expect(wall.locator(".wall__status")).to_have_text(re.compile("Live"))
    page = open_phone(new_page, server, theme)
    # Chromium's offline mode cuts the open websocket and fails every new request, polling
    # included: the phone is truly off the network, as on a venue Wi-Fi that dropped.
    page.context.set_offline(True)
    expect(page.locator(".conn")).to_have_text("Offline")
    write(page, "Written in the lift")
    pending = note(page, "Written in the lift")
    expect(pending).to_contain_text("Waiting to send")
    expect(page.locator(".outbox")).to_contain_text("1 note waiting to send")
    outbox = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('facilitate:outbox'))"
    )
    assert len(outbox) == 1
    page.wait_for_timeout(1500)
    assert stored(server, theme) == []  # nothing reached the server

    page.context.set_offline(False)
    expect(page.locator(".conn")).to_have_text("Live", timeout=15_000)
    expect(pending).not_to_contain_text("Waiting to send")
    expect(pending).to_contain_text("You")
    expect(page.locator(".outbox")).to_be_hidden()
    expect(wall.locator(".wall-note", has_text="Written in the lift")).to_have_count(1)
    page.wait_for_timeout(1000)  # a late duplicate would show by now
    expect(note(page, "Written in the lift")).to_have_count(1)
    expect(wall.locator(".wall-note", has_text="Written in the lift")).to_have_count(1)
    assert stored(server, theme) == ["Written in the lift"]
    assert page.evaluate(f"localStorage.getItem('facilitate:outbox:{theme.code}')") == "[]"


def test_the_outbox_survives_a_reload_while_the_server_cannot_be_reached(server, new_page):
    theme = arrange(server)
    page = open_phone(new_page, server, theme)
    # Every Socket.IO request fails (the laptop's server unreachable) while the page itself loads.
    page.route("**/socket.io/**", lambda route: route.abort())
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.close())
    page.reload()
    expect(page.locator(".conn")).not_to_have_text("Live")
    write(page, "Kept through a reload")
    expect(note(page, "Kept through a reload")).to_contain_text("Waiting to send")
    page.reload()
    expect(note(page, "Kept through a reload")).to_contain_text("Waiting to send")
    assert stored(server, theme) == []
    page.unroute("**/socket.io/**")
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.connect_to_server())
    expect(page.locator(".conn")).to_have_text("Live", timeout=15_000)
    expect_posted(page, "Kept through a reload")
    expect(note(page, "Kept through a reload")).not_to_contain_text("Waiting")
    assert stored(server, theme) == ["Kept through a reload"]


def test_a_reload_keeps_the_same_participant_and_name(server, new_page):
    theme = arrange(server, notes=["Someone else's"])
    page = open_phone(new_page, server, theme)
    write(page, "Mine before the reload", name="Priya")
    expect_posted(page, "Mine before the reload")
    page.reload()
    expect(page.locator(".conn")).to_have_text("Live")
    expect_posted(page, "Mine before the reload")
    expect(note(page, "Someone else's")).not_to_contain_text("You")
    expect(page.locator(".name-known")).to_contain_text("Posting as Priya.")
    expect(page.get_by_label("Your name")).to_be_hidden()
    # Changing the name applies to the next notes.
    page.get_by_role("button", name="Change").click()
    page.get_by_label("Your name").fill("Priya S")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator(".name-known")).to_contain_text("Posting as Priya S.")
    write(page, "Mine after the rename")
    expect_posted(page, "Mine after the rename")
    with server.app_context():
        authors = db.session.scalars(
            db.select(Note.participant_id).where(Note.theme_id == theme.id, Note.text.like("Mine%"))
        ).all()
        assert len(set(authors)) == 1
        assert db.session.get(Participant, authors[0]).name == "Priya S"


def test_edit_and_delete_own_notes(server, new_page):
    theme = arrange(server, notes=["Not mine"])
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    page = open_phone(new_page, server, theme)
    expect(note(page, "Not mine").get_by_role("button", name="Edit your note")).to_have_count(0)
    write(page, "Frist draft")
    mine = note(page, "Frist draft")
    mine.get_by_role("button", name="Edit your note").click()
    box = page.get_by_role("textbox", name="Text of your note")
    expect(box).to_be_focused()
    box.fill("First draft, corrected")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    mine = note(page, "First draft, corrected")
    expect(mine).to_be_visible()
    expect(wall.locator(".wall-note", has_text="First draft, corrected")).to_be_visible()
    # Cancel leaves it as it was.
    mine.get_by_role("button", name="Edit your note").click()
    page.get_by_role("textbox", name="Text of your note").fill("Never saved")
    page.get_by_role("button", name="Cancel").click()
    expect(mine).to_contain_text("First draft, corrected")
    # Delete asks first.
    mine.get_by_role("button", name="Delete your note").click()
    page.get_by_role("button", name="Keep it").click()
    expect(mine).to_be_visible()
    mine.get_by_role("button", name="Delete your note").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(note(page, "First draft")).to_have_count(0)
    expect(wall.locator(".wall-note", has_text="First draft")).to_have_count(0)
    expect(page.locator(".feedback")).to_have_text("Your note is deleted.")
    assert page.errors == []


def test_vote_take_back_and_the_vote_limit(server, new_page):
    theme = arrange(server, notes=["First point", "Second point"], votes_per_participant=1)
    page = open_phone(new_page, server, theme)
    write(page, "My own point")
    expect(note(page, "My own point").locator(".vote")).to_have_count(0)  # no voting for oneself
    first = note(page, "First point").locator(".vote")
    second = note(page, "Second point").locator(".vote")
    expect(page.locator("#votes-left")).to_contain_text("You have 1 of 1 vote left")
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    expect(first).to_have_text(re.compile(r"1\s*vote$"))
    expect(page.locator("#votes-left")).to_contain_text("You have used your vote.")
    expect(second).to_have_attribute("aria-disabled", "true")
    second.click(force=True)  # aria-disabled keeps it focusable and says why when pressed
    expect(page.locator(".feedback")).to_contain_text("You have used your vote.")
    expect(second).to_have_attribute("aria-pressed", "false")
    first.click()  # take it back
    expect(first).to_have_attribute("aria-pressed", "false")
    expect(first).to_have_text(re.compile(r"0\s*votes$"))
    expect(second).not_to_have_attribute("aria-disabled", "true")
    second.click()
    expect(second).to_have_attribute("aria-pressed", "true")
    with server.app_context():
        votes = dict(
            db.session.execute(
                db.select(Note.text, Note.votes).where(Note.theme_id == theme.id)
            ).all()
        )
    assert votes == {"First point": 0, "Second point": 1, "My own point": 0}
    # Sorting by votes puts it first.
    page.get_by_label("Sort").select_option("votes")
    expect(page.locator(".notes .note").first).to_contain_text("Second point")


def socket_requests(page) -> list[str]:
    """The transports of the page's Socket.IO requests, in order."""
    seen = []

    def record(request_or_socket):
        if "/socket.io/" in request_or_socket.url:
            seen.append(re.search(r"transport=(\w+)", request_or_socket.url)[1])

    page.on("request", record)
    page.on("websocket", record)
    return seen


#: Every websocket of the page is sent to a closed port: refused at once, as by a proxy that will not
#: carry websockets (the browser reports an error, not a hang). ``window.tried`` lists the
#: transports the page tried, in order.
REFUSE_WEBSOCKETS = """(() => {
  window.tried = [];
  const Real = window.WebSocket;
  function Refused(url, protocols) {
    if (!/transport=websocket/.test(url)) return new Real(url, protocols);
    window.tried.push("websocket");
    return new Real("ws://127.0.0.1:9/", protocols);
  }
  Refused.prototype = Real.prototype;
  Object.assign(Refused, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Refused;
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (/transport=polling/.test(url)) window.tried.push("polling");
    return open.apply(this, arguments);
  };
})();"""


def block_websockets(page) -> None:
    page.add_init_script(REFUSE_WEBSOCKETS)


def test_posting_works_with_the_websocket_blocked(server, new_page):
    theme = arrange(server)
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    page = new_page("phone")
    block_websockets(page)
    page.goto(f"{server.url}/j/{theme.code}")
    expect(page.locator(".conn")).to_have_text("Live")
    write(page, "Sent over long-polling")
    expect_posted(page, "Sent over long-polling")
    expect(note(page, "Sent over long-polling")).not_to_contain_text("Sending")
    expect(wall.locator(".wall-note", has_text="Sent over long-polling")).to_be_visible()
    assert page.evaluate("window.tried")[:2] == ["websocket", "polling"]
    assert stored(server, theme) == ["Sent over long-polling"]
    # This phone now starts with long-polling here instead of trying the websocket first.
    page.reload()
    expect(page.locator(".conn")).to_have_text("Live")
    assert page.evaluate("window.tried")[0] == "polling"


def test_a_phone_joins_over_the_websocket_alone_when_it_can(server, new_page):
    theme = arrange(server)
    page = new_page("phone")
    seen = socket_requests(page)
    page.goto(f"{server.url}/j/{theme.code}")
    expect(page.locator(".conn")).to_have_text("Live")
    write(page, "Straight over the websocket")
    expect_posted(page, "Straight over the websocket")
    assert seen == ["websocket"]


def test_a_websocket_that_stops_answering_sends_the_phone_back_to_long_polling(server, new_page):
    """A venue proxy may accept a websocket and then pass nothing through it: the phone gives up
    on it at its connect timeout, joins by long-polling, and starts that way next time."""
    theme = arrange(server)
    page = new_page("phone")
    tried = []
    page.route_web_socket(
        re.compile(r".*/socket\.io/.*transport=websocket.*"), lambda ws: tried.append(ws.url)
    )
    page.goto(f"{server.url}/j/{theme.code}")
    expect(page.locator(".conn")).to_have_text("Live", timeout=25000)
    write(page, "Through a silent proxy")
    expect_posted(page, "Through a silent proxy")
    assert tried, "the page never tried the websocket"
    assert stored(server, theme) == ["Through a silent proxy"]
    assert page.evaluate("localStorage.getItem('facilitate:websocket-works')") == "false"


def test_without_javascript_the_form_posts_and_the_wall_gets_it(server, new_page):
    theme = arrange(server, notes=["Already here"])
    wall = new_page("projector")
    wall.goto(f"{server.url}/wall/{theme.wall}")
    expect(wall.locator(".wall__status")).to_have_text(re.compile("Live"))
    page = new_page("phone", java_script_enabled=False)
    page.goto(f"{server.url}/j/{theme.code}")
    expect(page.locator(".conn")).to_be_hidden()
    expect(note(page, "Already here")).to_be_visible()
    page.get_by_label("Your note", exact=True).fill("Posted with no script")
    page.get_by_label("Action", exact=True).check()
    page.get_by_label("Your name").fill("Lee")
    page.get_by_role("button", name="Post note").click()
    expect(page.get_by_role("status").filter(has_text="Your note is posted.")).to_be_visible()
    mine = note(page, "Posted with no script")
    expect(mine).to_contain_text("You")
    expect(mine).to_contain_text("Action")
    expect(wall.locator(".wall-note", has_text="Posted with no script")).to_contain_text("Lee")
    page.get_by_role("button", name="Post note").click()
    expect(page.get_by_role("alert")).to_contain_text("Write something before you post.")
    assert stored(server, theme).count("Posted with no script") == 1


def test_the_page_without_its_scripts_passes_axe(server, new_page):
    """axe needs JavaScript to run, so the scripts are kept from loading instead: the page is then
    the plain form and list a phone without JavaScript gets."""
    theme = arrange(server, notes=["Already here"])
    page = new_page("phone")
    page.route(re.compile(r".*/static/(js|vendor)/.*"), lambda route: route.abort())
    page.goto(f"{server.url}/j/{theme.code}")
    page.get_by_role("button", name="Post note").click()
    expect(page.get_by_role("alert")).to_contain_text("Write something before you post.")
    assert axe_violations(page) == []
    page.get_by_label("Your note", exact=True).fill("Posted by the form")
    page.get_by_role("button", name="Post note").click()
    expect_posted(page, "Posted by the form")
    assert axe_violations(page) == []


def test_a_closed_theme_says_so_and_opening_it_enables_the_form_live(server, new_page):
    theme = arrange(server, phase=Phase.CLOSED, notes=["Said before closing"])
    page = open_phone(new_page, server, theme)
    expect(closed_message(page)).to_be_visible()
    expect(page.get_by_label("Your note", exact=True)).to_be_hidden()
    expect(note(page, "Said before closing")).to_be_visible()
    assert axe_violations(page) == []
    console = as_facilitator(new_page, server, theme)
    assert staff_emit(console, theme, "theme:phase", {"phase": "open"})["ok"] is True
    expect(page.get_by_label("Your note", exact=True)).to_be_visible()
    expect(closed_message(page)).to_be_hidden()
    write(page, "After it opened again")
    expect_posted(page, "After it opened again")


def test_a_draft_theme_waits_then_opens_and_the_timer_closes_it(server, new_page):
    theme = arrange(server, phase=Phase.DRAFT)
    page = open_phone(new_page, server, theme)
    expect(draft_message(page)).to_be_visible()
    post_button = page.get_by_role("button", name="Post note")
    expect(post_button).to_have_attribute("aria-disabled", "true")
    page.get_by_label("Your note", exact=True).fill("Typed while waiting")
    post_button.click(force=True)
    expect(page.locator(".feedback")).to_contain_text("has not started yet")
    expect(page.get_by_label("Your note", exact=True)).to_have_value("Typed while waiting")

    console = as_facilitator(new_page, server, theme)
    assert staff_emit(console, theme, "theme:phase", {"phase": "open"})["ok"] is True
    expect(post_button).not_to_have_attribute("aria-disabled", "true")
    expect(draft_message(page)).to_be_hidden()
    post_button.click()
    expect_posted(page, "Typed while waiting")

    ack = staff_emit(console, theme, "timer:start", {"seconds": 2, "closes_theme": True})
    assert ack["ok"] is True
    expect(page.locator(".timer")).to_contain_text(re.compile(r"0:0[12] left"))
    expect(closed_message(page)).to_be_visible(timeout=8000)
    expect(page.get_by_label("Your note", exact=True)).to_be_hidden()
    expect(note(page, "Typed while waiting")).to_be_visible()


def test_a_note_waiting_for_approval_shows_to_its_author(server, new_page):
    theme = arrange(server, approval_required=True)
    page = open_phone(new_page, server, theme)
    other = open_phone(new_page, server, theme)
    write(page, "Needs a look first")
    mine = note(page, "Needs a look first")
    expect(mine).to_contain_text("Waiting for the facilitator")
    expect(page.locator(".feedback")).to_contain_text("once the facilitator approves it")
    page.reload()
    expect(note(page, "Needs a look first")).to_contain_text("Waiting for the facilitator")
    expect(note(other, "Needs a look first")).to_have_count(0)
    console = as_facilitator(new_page, server, theme)
    with server.app_context():
        note_id = db.session.scalar(db.select(Note.id).where(Note.text == "Needs a look first"))
    approved = staff_emit(
        console, theme, "note:moderate", {"note_id": note_id, "action": "approve"}
    )
    assert approved["ok"] is True
    expect(note(other, "Needs a look first")).to_be_visible()
    expect(note(page, "Needs a look first")).not_to_contain_text("Waiting for the facilitator")
    expect_posted(page, "Needs a look first")


def test_names_are_asked_for_when_the_theme_requires_them(server, new_page):
    theme = arrange(server, names_required=True)
    page = open_phone(new_page, server, theme)
    expect(page.get_by_label("Your name")).to_be_visible()
    expect(page.get_by_text("This discussion asks for names.")).to_be_visible()
    write(page, "Who am I")
    expect(page.locator("#name-error")).to_contain_text("Add your name before you post")
    expect(page.get_by_label("Your name")).to_be_focused()
    expect(page.get_by_label("Your note", exact=True)).to_have_value("Who am I")
    page.get_by_label("Your name").fill("Jo")
    page.get_by_role("button", name="Post note").click()
    expect_posted(page, "Who am I")
    expect(note(page, "Who am I")).not_to_contain_text("Sending")
    # Clearing the name again is refused in the server's own words, and the name is kept.
    page.get_by_role("button", name="Change").click()
    page.get_by_label("Your name").fill("")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator("#name-error")).to_contain_text("Add your name before you post")
    expect(page.get_by_label("Your name")).to_be_visible()
    with server.app_context():
        assert db.session.scalar(db.select(Note).where(Note.text == "Who am I")).author_name == "Jo"


def test_the_phone_page_passes_axe_with_notes_an_outbox_item_and_edit_mode(server, new_page):
    theme = arrange(server, notes=["A point from Kim", "Another point"])
    page = open_phone(new_page, server, theme)
    write(page, "Posted for the check", name="Sam")
    expect_posted(page, "Posted for the check")
    note(page, "A point from Kim").locator(".vote").click()
    expect(note(page, "A point from Kim").locator(".vote")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert axe_violations(page) == []
    page.context.set_offline(True)
    expect(page.locator(".conn")).to_have_text("Offline")
    write(page, "Waiting for the network")
    expect(page.locator(".outbox")).to_be_visible(timeout=5000)
    page.screenshot(path=str(server.instance / "phone-offline.png"), full_page=True)
    assert axe_violations(page) == []
    page.context.set_offline(False)
    expect(page.locator(".conn")).to_have_text("Live", timeout=15_000)
    note(page, "Posted for the check").get_by_role("button", name="Edit your note").click()
    assert axe_violations(page) == []


def test_the_join_page(server, new_page):
    theme = arrange(server)
    page = new_page("phone")
    page.goto(f"{server.url}/join")
    assert axe_violations(page) == []
    page.get_by_label("Code").fill("QQQQQQ")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "We could not find that code. Check the screen at the front of the room."
    )
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    typed = f"{theme.code[:3].lower()} {theme.code[3:].lower()}"
    page.get_by_label("Code").fill(typed)
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{server.url}/j/{theme.code}")
    expect(page.locator(".conn")).to_have_text("Live")


def test_a_merged_note_says_how_many_people_raised_it(server, new_page):
    theme = arrange(server, notes=["Answer residents within a day", "Reply to people within a day"])
    with server.app_context():
        kept, duplicate = db.session.scalars(
            db.select(Note).where(Note.theme_id == theme.id).order_by(Note.id)
        ).all()
        moderation.merge_note(duplicate.id, kept.id, db.session.get(Theme, theme.id))
    page = open_phone(new_page, server, theme)
    expect(note(page, "Answer residents within a day")).to_contain_text("raised by 2 people")
    expect(note(page, "Reply to people within a day")).to_have_count(0)
    assert page.errors == []


def test_notes_refused_as_closed_stay_apart_in_the_outbox_with_copy_and_discard(server, new_page):
    theme = arrange(server)
    page = open_phone(new_page, server, theme)
    page.context.set_offline(True)
    write(page, "Written before the end, one")
    write(page, "Written before the end, two")
    expect(page.locator(".note--outbox")).to_have_count(2)
    with server.app_context():
        phases.set_phase(db.session.get(Theme, theme.id), Phase.CLOSED)
    page.context.set_offline(False)
    refused = page.locator(".note--outbox", has_text="Not sent: the discussion closed")
    expect(refused).to_have_count(2, timeout=20_000)
    # Each stays its own note: nothing is joined into the box.
    expect(note(page, "Written before the end, one")).to_have_count(1)
    expect(note(page, "Written before the end, two")).to_have_count(1)
    expect(page.get_by_label("Your note", exact=True)).to_have_value("")
    expect(page.get_by_text("This discussion is closed. Thank you!")).to_have_count(1)
    first = note(page, "Written before the end, one")
    first.get_by_role("button", name="Discard the note that was not sent").click()
    expect(note(page, "Written before the end, one")).to_have_count(0)
    expect(
        note(page, "Written before the end, two").get_by_role(
            "button", name="Copy the note that was not sent"
        )
    ).to_be_visible()
    page.reload()
    expect(note(page, "Written before the end, two")).to_contain_text("Not sent")
    assert stored(server, theme) == []
