"""Against a real ``facilitate serve``: the suggestion events answer the theme's facilitator, change
nothing by themselves, and refuse a participant."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Note, Role
from tests.support.factories import make_theme, make_user
from tests.support.phones import LiveClient
from tests.test_live_security import session_cookie

pytestmark = pytest.mark.server


@pytest.fixture
def theme(live_server):
    with live_server.app_context():
        lead = make_user(Role.FACILITATOR, email="lead@example.org")
        theme = make_theme(facilitators=[lead])
        return {"id": theme.id, "code": theme.join_code}


def stored(live_server, theme_id):
    with live_server.app_context():
        notes = db.session.scalars(select(Note).where(Note.theme_id == theme_id))
        return sorted((n.id, n.cluster_id, n.merged_into_id, n.seq) for n in notes)


def test_the_facilitator_gets_duplicates_and_headings_and_nothing_changes(live_server, theme):
    phone = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    texts = [
        "There is no budget for training",
        "We have no training budget at all",
        "Reply to comments, don't just broadcast",
        "Answer the comments instead of only broadcasting",
        "Video gets far more reach than text",
    ]
    ids = [phone.post(text)["note"]["id"] for text in texts]
    console = LiveClient(
        live_server.url,
        {"theme_id": theme["id"]},
        headers={"Cookie": session_cookie(live_server)},
    ).connect()
    before = stored(live_server, theme["id"])

    duplicates = console.call("suggest:duplicates", {})
    assert duplicates == {"ok": True, "groups": [[ids[0], ids[1]], [ids[2], ids[3]]]}
    clusters = console.call("suggest:clusters", {})
    assert clusters["ok"] is True
    new = [c for c in clusters["clusters"] if c["cluster_id"] is None]
    assert {tuple(c["note_ids"]) for c in new} >= {(ids[0], ids[1]), (ids[2], ids[3])}
    assert all(c["title"].strip() for c in new)
    assert stored(live_server, theme["id"]) == before, "a suggestion changes nothing"

    dismissed = console.call("suggest:dismiss", {"note_ids": [ids[0], ids[1]]})
    assert dismissed == {"ok": True, "groups": [[ids[2], ids[3]]]}
    assert console.call("suggest:duplicates", {})["groups"] == [[ids[2], ids[3]]]
    phone.disconnect()
    console.disconnect()


def test_a_participant_is_refused_every_suggestion_event(live_server, theme):
    phone = LiveClient(live_server.url, {"code": theme["code"]}).connect()
    phone.post("There is no budget for training")
    for event, payload in [
        ("suggest:duplicates", {}),
        ("suggest:clusters", {}),
        ("suggest:dismiss", {"note_ids": [1, 2]}),
        ("keywords:get", {}),
        ("keywords:hide", {"term": "budget"}),
    ]:
        answer = phone.call(event, payload)
        assert (answer["ok"], answer["error"]["code"]) == (False, "forbidden"), event
    phone.disconnect()
