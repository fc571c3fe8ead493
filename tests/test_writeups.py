"""Write-ups: the compiled draft, saving and autosaving, revisions, new notes after a compile,
publishing, and who may use the editor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from markdown_it import MarkdownIt

from facilitate import markdown as md
from facilitate.extensions import db
from facilitate.models import Role, WriteupRevision, WriteupStatus
from facilitate.services import clusters, moderation, votes, writeups
from facilitate.services.errors import ServiceError
from tests.conftest import csrf_from
from tests.support.factories import make_event, make_theme, make_user
from tests.test_exports_corpus import person, say


@pytest.fixture
def trust(app):
    organiser = make_user(Role.ORGANISER, email="olive@example.org", name="Olive Organiser")
    andy = make_user(Role.FACILITATOR, email="andy@example.org", name="Andy Mabbett")
    event = make_event(organiser, "Best by West Midlands launch")
    theme = make_theme(event, "Trust", [andy], prompt="How do we build trust?")
    staff = clusters.add_cluster(theme, "Trusting staff")
    public = clusters.add_cluster(theme, "Earning the public's trust")
    n = {
        "phone": say(theme, "Trust staff with a phone as with a telephone", name="Rob"),
        "policy": say(theme, "Does a council need a social media policy at all?", "question"),
        "ask": say(theme, "Tell staff who to ask when a reply is tricky", "action"),
        "quote": say(theme, "I'll find out and come back to you", "quote", name="Lee"),
        "spin": say(theme, "Avoid spin: be human"),
        "human": say(theme, "Be human, not corporate"),
        "loose": say(theme, "Trust needs to reach the whole workplace"),
        "hidden": say(theme, "HIDDEN-SECRET"),
    }
    for key in ("phone", "policy", "ask"):
        clusters.move_note(n[key].id, theme, staff.id)
    for key in ("quote", "spin", "human"):
        clusters.move_note(n[key].id, theme, public.id)
    for _ in range(2):
        votes.toggle_vote(n["spin"].id, person(event))
    moderation.merge_note(n["human"].id, n["spin"].id, theme)
    moderation.moderate_note(n["hidden"].id, theme, "hide")
    theme.notes_by_key = n
    theme.andy, theme.organiser = andy, organiser
    return theme


def test_compiled_draft_follows_the_clusters_and_leaves_hidden_notes_out(trust):
    n = trust.notes_by_key
    source = writeups.compile_writeup(trust)
    lines = source.splitlines()
    assert lines[0] == "# Best by West Midlands launch: a discussion on Trust"
    assert "*By Andy Mabbett*" in lines
    assert "> How do we build trust?" in lines
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "# Best by West Midlands launch: a discussion on Trust",
        "## Trusting staff",
        "### Questions",
        "### Actions",
        "## Earning the public's trust",
        "## Other points",
    ]
    assert f"- Trust staff with a phone as with a telephone (0 votes) [#{n['phone'].id}]" in lines
    assert f"- Avoid spin: be human (2 votes, raised by 2 people) [#{n['spin'].id}]" in lines
    assert f"> “I'll find out and come back to you” — Lee (0 votes) [#{n['quote'].id}]" in lines
    assert source.index("Questions") < source.index("social media policy")
    assert "HIDDEN-SECRET" not in source
    assert "Be human, not corporate" not in source
    assert source.index("Trust needs to reach") > source.index("Earning the public")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('"Be human, not corporate"', "> “Be human, not corporate” ("),
        ("“Honest holding replies”", "> “Honest holding replies” ("),
        ("'Ask first'", "> “Ask first” ("),
        ('"Yes" and "no" are both answers', '> “"Yes" and "no" are both answers” ('),
    ],
)
def test_a_quote_typed_in_quotation_marks_is_not_quoted_twice(trust, typed, shown):
    quote = say(trust, typed, "quote")
    line = next(x for x in writeups.compile_writeup(trust).splitlines() if f"[#{quote.id}]" in x)
    assert line.startswith(shown)


def test_note_text_cannot_turn_into_markup_in_the_draft(trust):
    say(trust, "[link](http://evil.example) <b>bold</b> # heading *em* www.evil.example")
    source = writeups.compile_writeup(trust)
    line = next(line for line in source.splitlines() if "heading" in line)
    html = MarkdownIt("gfm-like").render(line)
    assert "<a " not in html
    assert "<b>" not in html
    assert "<em>" not in html
    assert "<h" not in html
    assert "[link](http://evil.example) &lt;b&gt;bold&lt;/b&gt; # heading *em*" in html


def test_recompiling_keeps_edits_and_offers_the_new_notes(trust):
    outcome = writeups.compile_draft(trust, trust.andy)
    assert outcome.replaced
    assert outcome.writeup.body.startswith("# Best by")
    edited = "# Trust\n\nMy own words about trust.\n"
    writeups.save_writeup(trust, edited, trust.andy)
    late = say(trust, "A note that arrived late")
    again = writeups.compile_draft(trust, trust.andy)
    assert not again.replaced
    assert again.new_notes == 1
    assert writeups.writeup_of(trust).body == edited
    assert [note.id for note in writeups.new_notes_since_compile(again.writeup)] == [late.id]
    writeups.insert_new_notes(trust, trust.andy)
    body = writeups.writeup_of(trust).body
    assert body.startswith(edited.rstrip())
    assert f"A note that arrived late (0 votes) [#{late.id}]" in body
    assert writeups.new_notes_since_compile(writeups.writeup_of(trust)) == []
    with pytest.raises(ServiceError, match="no new notes"):
        writeups.insert_new_notes(trust, trust.andy)
    replaced = writeups.compile_draft(trust, trust.andy, replace=True)
    assert replaced.replaced
    assert "My own words" not in replaced.writeup.body
    bodies = [r.body for r in writeups.writeup_of(trust).revisions]
    assert edited in bodies  # nothing is ever lost


def test_an_unedited_draft_is_simply_compiled_again(trust):
    writeups.compile_draft(trust, trust.andy)
    say(trust, "Later point")
    outcome = writeups.compile_draft(trust, trust.andy)
    assert outcome.replaced
    assert "Later point" in outcome.writeup.body


def test_autosaves_coalesce_and_explicit_saves_each_add_a_revision(trust):
    writeups.save_writeup(trust, "One", trust.andy, autosave=True)
    writeups.save_writeup(trust, "One two", trust.andy, autosave=True)
    writeup = writeups.writeup_of(trust)
    assert [(r.number, r.reason, r.body) for r in writeup.revisions] == [
        (1, "autosaved", "One two")
    ]
    writeups.save_writeup(trust, "One two three", trust.andy)
    writeups.save_writeup(trust, "One two three", trust.andy)  # unchanged: nothing to keep
    writeups.save_writeup(trust, "Four", trust.organiser, autosave=True)
    revisions = writeups.writeup_of(trust).revisions
    assert [(r.reason, r.body) for r in revisions] == [
        ("autosaved", "One two"),
        ("edited", "One two three"),
        ("autosaved", "Four"),
    ]
    old = revisions[-1]
    old.created_at -= timedelta(minutes=10)
    db.session.commit()
    writeups.save_writeup(trust, "Four five", trust.organiser, autosave=True)
    assert len(writeups.writeup_of(trust).revisions) == 4


def test_a_save_based_on_an_old_revision_is_refused_not_lost(trust):
    writeups.save_writeup(trust, "Andy's text", trust.andy)
    writeups.save_writeup(trust, "Olive's text", trust.organiser, base_revision=1)
    with pytest.raises(ServiceError) as refused:
        writeups.save_writeup(trust, "Andy again", trust.andy, base_revision=1)
    assert refused.value.code == "conflict"
    assert writeups.writeup_of(trust).body == "Olive's text"
    with pytest.raises(ServiceError, match="up to 100,000"):
        writeups.save_writeup(trust, "x" * 100_001, trust.andy)


def test_restore_and_publish_keep_every_revision(trust):
    writeups.save_writeup(trust, "First", trust.andy)
    writeups.save_writeup(trust, "Second", trust.andy)
    writeups.restore_revision(trust, 1, trust.andy)
    assert writeups.writeup_of(trust).body == "First"
    writeups.publish_writeup(trust, trust.andy, show_citations=False)
    writeups.save_writeup(trust, "Third, after publishing", trust.andy)
    writeup = writeups.writeup_of(trust)
    assert writeup.status is WriteupStatus.PUBLISHED
    assert not writeup.show_citations
    assert writeups.published_body(writeup) == "First"
    assert writeups.has_unpublished_changes(writeup)
    writeups.unpublish_writeup(trust, trust.andy)
    reasons = [r.reason for r in writeups.writeup_of(trust).revisions]
    assert reasons == ["edited", "edited", "restored 1", "published", "edited", "back to draft"]
    with pytest.raises(ServiceError):
        writeups.unpublish_writeup(trust, trust.andy)
    with pytest.raises(ServiceError):
        writeups.restore_revision(trust, 99, trust.andy)


def test_an_empty_write_up_cannot_be_published(trust):
    with pytest.raises(ServiceError, match="Write the write-up"):
        writeups.publish_writeup(trust, trust.andy)


def test_citations_number_only_notes_readers_may_see():
    allowed = {12, 15}
    citations = md.Citations(lookup=allowed.__contains__)
    html = md.render("Trust [#15] and spin [#12, #99] and [#15].", citations=citations)
    assert html.count('<sup class="cite">') == 3
    assert '<a href="#cited-15" class="cite" rel="noopener noreferrer nofollow">1</a>' in html or (
        'href="#cited-15"' in html
    )
    assert citations.order == [15, 12]
    assert citations.missing == [99]
    assert "[#" not in html
    assert md.strip_citations("Trust [#15].") == "Trust."


def test_rendering_is_sanitised():
    html = md.render(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](http://evil.example/i.png)"
        ' <img src=x onerror="alert(1)">'
    )
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert "onerror" not in html.replace("&lt;img src=x onerror", "")


# --- the editor's pages ---------------------------------------------------------------------


def sign_in(client, auth, user):
    response = auth.login(user)
    assert response.status_code == 302
    return csrf_from(client.get("/account").get_data(as_text=True))


def test_only_the_themes_leaders_open_the_editor(trust, client, auth):
    other = make_user(Role.FACILITATOR, email="bea@example.org")
    assert client.get(f"/themes/{trust.id}/writeup").status_code == 302
    sign_in(client, auth, other)
    assert client.get(f"/themes/{trust.id}/writeup").status_code == 403
    assert client.get(f"/themes/{trust.id}/writeup/revisions").status_code == 403
    auth.logout()
    sign_in(client, auth, trust.organiser)
    assert client.get(f"/themes/{trust.id}/writeup").status_code == 200


def test_editor_compiles_autosaves_previews_and_publishes(trust, client, auth):
    token = sign_in(client, auth, trust.andy)
    page = client.get(f"/themes/{trust.id}/writeup").get_data(as_text=True)
    assert "Compile draft" in page
    assert "Nothing saved yet" in page
    compiled = client.post(f"/themes/{trust.id}/writeup/compile", data={"csrf_token": token})
    assert compiled.status_code == 302
    page = client.get(f"/themes/{trust.id}/writeup").get_data(as_text=True)
    assert "discussion on Trust" in page
    assert "Saved · revision 1" in page
    headers = {"X-CSRFToken": token}
    saved = client.post(
        f"/themes/{trust.id}/writeup/autosave",
        json={"body": "# Trust\n\nStaff deserve trust.", "base_revision": 1},
        headers=headers,
    )
    assert saved.get_json() == {
        "ok": True,
        "revision": 2,
        "status": "draft",
        "unpublished_changes": False,
    }
    stale = client.post(
        f"/themes/{trust.id}/writeup/autosave",
        json={"body": "older", "base_revision": 1},
        headers=headers,
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "conflict"
    phone = trust.notes_by_key["phone"].id
    preview = client.post(
        f"/themes/{trust.id}/writeup/preview",
        json={"body": f"Hello <script>x</script> [#{phone}] [#999999]"},
        headers=headers,
    ).get_json()
    assert "&lt;script&gt;" in preview["html"]
    assert "<script" not in preview["html"]
    assert "Trust staff with a phone" in preview["html"]  # the cited note, listed
    assert preview["warnings"]
    assert "[#999999]" in preview["warnings"][0]
    published = client.post(
        f"/themes/{trust.id}/writeup/publish", data={"csrf_token": token, "show_citations": "y"}
    )
    assert published.status_code == 302
    assert writeups.writeup_of(trust).is_published


def test_json_endpoints_need_the_csrf_token_and_say_what_is_wrong(trust, client, auth):
    token = sign_in(client, auth, trust.andy)
    refused = client.post(f"/themes/{trust.id}/writeup/autosave", json={"body": "x"})
    assert refused.status_code == 400
    bad = client.post(
        f"/themes/{trust.id}/writeup/autosave", data="not json", headers={"X-CSRFToken": token}
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["code"] == "invalid"
    big = client.post(
        f"/themes/{trust.id}/writeup/preview",
        json={"body": 5},
        headers={"X-CSRFToken": token},
    )
    assert big.status_code == 400
    assert big.get_json()["ok"] is False


def test_the_plain_form_saves_and_revisions_can_be_read_and_restored(trust, client, auth):
    token = sign_in(client, auth, trust.andy)
    url = f"/themes/{trust.id}/writeup"
    assert client.post(url, data={"csrf_token": token, "body": "First words"}).status_code == 302
    client.post(url, data={"csrf_token": token, "body": "Second words", "base_revision": "1"})
    conflict = client.post(url, data={"csrf_token": token, "body": "Mine", "base_revision": "1"})
    assert conflict.status_code == 409
    assert "Mine" in conflict.get_data(as_text=True)
    listing = client.get(f"{url}/revisions").get_data(as_text=True)
    assert "Revision 2" in listing
    assert "Andy Mabbett" in listing
    first = client.get(f"{url}/revisions/1").get_data(as_text=True)
    assert "First words" in first
    assert "Restore this revision" in first
    assert client.get(f"{url}/revisions/7").status_code == 404
    client.post(f"{url}/revisions/1/restore", data={"csrf_token": token})
    assert writeups.writeup_of(trust).body == "First words"
    assert db.session.scalar(db.select(db.func.count(WriteupRevision.id))) == 3
