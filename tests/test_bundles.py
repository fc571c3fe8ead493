"""Bundles: themes run on several laptops become one event and one report, each note once."""

from __future__ import annotations

import gzip
import hashlib
import json

from sqlalchemy import func, select

from facilitate.bundles import fileformat
from facilitate.extensions import db
from facilitate.models import (
    Event,
    Note,
    NoteStatus,
    Participant,
    Phase,
    Theme,
    User,
    WriteupRevision,
)
from facilitate.services import (
    clusters,
    events,
    listing,
    moderation,
    notes,
    phases,
    votes,
    writeups,
)
from tests.support.factories import make_participant, make_theme, post
from tests.support.laptops import Laptop

SLUG = "best-by-west-midlands-launch"
TACTICS = [
    "Live-tweet the council",
    "Answer within the hour",
    "Live tweet the council!",
    "Use plain words",
    "Show the people behind the account",
]
TRAINING = [
    "Train every officer",
    "A buddy for new staff",
    "Short videos",
    "Practice on a sandbox account",
]
TRUST = ["Trust staff like with the telephone", "Publish the rules", "Say sorry quickly"]


def theme_named(title: str, slug: str = SLUG) -> Theme:
    return next(t for t in events.find_by_slug(slug).themes if t.title == title)


def run_theme(laptop: Laptop, title: str, texts: list[str], heading: str, slug: str = SLUG) -> None:
    """A break-out as it runs: notes posted, sorted under a heading, a duplicate merged, votes,
    a write-up compiled, edited and published."""
    with laptop.context():
        theme = theme_named(title, slug)
        sam = db.session.scalar(select(User).where(User.email == "sam@example.org"))
        if theme.phase is not Phase.OPEN:
            phases.set_phase(theme, Phase.OPEN)
        people = [make_participant(theme, f"{title} {n}") for n in range(3)]
        notes = [post(theme, people[n % 3], text) for n, text in enumerate(texts)]
        cluster = clusters.add_cluster(theme, heading)
        clusters.move_note(notes[0].id, theme, cluster.id)
        clusters.move_note(notes[1].id, theme, cluster.id)
        moderation.merge_note(notes[2].id, notes[0].id, theme)
        votes.toggle_vote(notes[0].id, people[1])
        votes.toggle_vote(notes[1].id, people[2])
        votes.toggle_vote(notes[3 % len(notes)].id, people[2])
        writeups.compile_draft(theme, sam)
        writeups.save_writeup(theme, writeups.writeup_of(theme).body + "\nWe agreed.\n", sam)
        writeups.publish_writeup(theme, sam)


def export(laptop: Laptop, path, *titles: str) -> None:
    args = ["bundle", "export", SLUG, "--output", path]
    for title in titles:
        args += ["--theme", title]
    result = laptop.cli(*args)
    assert result.exit_code == 0, result.output


def bring_in(laptop: Laptop, path) -> dict:
    result = laptop.cli("bundle", "import", path)
    assert result.exit_code == 0, result.output
    return {theme["title"]: theme for theme in json.loads(result.stdout)["themes"]}


def counts(outcome: dict) -> dict:
    return {title: (t["notes_added"], t["notes_present"]) for title, t in outcome.items()}


def plain_report(laptop: Laptop) -> dict:
    """The JSON report without what is this machine's own (ids, sequence numbers, times)."""

    def note(n):
        return (n["text"], n["kind"], n["author"], n["votes"], n["people"], n["pinned"])

    report = laptop.report(SLUG)
    return {
        "event": (report["event"]["title"], report["event"]["slug"]),
        "themes": [
            {
                "title": theme["title"],
                "facilitators": theme["facilitators"],
                "writeup": theme["writeup"],
                "clusters": [
                    (c["title"], [note(n) for n in c["notes"]]) for c in theme["clusters"]
                ],
                "notes": sorted(note(n) for n in theme["notes"]),
            }
            for theme in report["themes"]
        ],
    }


def snapshot(laptop: Laptop) -> dict:
    """What a refused import must leave exactly as it was."""
    with laptop.context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        return {
            "events": count(Event),
            "themes": sorted(db.session.execute(select(Theme.join_code, Theme.seq)).all()),
            "notes": count(Note),
            "participants": count(Participant),
            "revisions": count(WriteupRevision),
            "states": sorted(
                db.session.execute(select(Note.id, Note.seq, Note.cluster_id, Note.status)).all()
            ),
        }


def set_up_event(a: Laptop, b: Laptop, tmp_path) -> None:
    """The organiser plans the event on A and copies it to B; B adds a theme of its own."""
    with a.context():
        olu = db.session.scalar(select(User).where(User.email == "olu@example.org"))
        sam = db.session.scalar(select(User).where(User.email == "sam@example.org"))
        event = events.create_event(olu, "Best by West Midlands launch")
        make_theme(event, "Tactics", [sam], Phase.DRAFT)
        make_theme(event, "Training", [sam], Phase.DRAFT)
    export(a, tmp_path / "plan.bundle")
    assert counts(bring_in(b, tmp_path / "plan.bundle")) == {"Tactics": (0, 0), "Training": (0, 0)}
    with b.context():
        make_theme(events.find_by_slug(SLUG), "Trust", [], Phase.DRAFT)


def test_two_laptops_make_one_event_whichever_way_and_however_often(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    with a.context():
        codes_on_a = {
            t.title: (t.join_code, t.wall_token) for t in events.find_by_slug(SLUG).themes
        }
    run_theme(a, "Tactics", TACTICS, "Online")
    run_theme(b, "Training", TRAINING, "Buddies")
    run_theme(b, "Trust", TRUST, "Rules")
    export(a, tmp_path / "a.bundle")
    export(b, tmp_path / "b.bundle")
    with b.context():
        tactics_seq_before = theme_named("Tactics").seq

    # Each way, twice: the second time finds everything present.
    assert counts(bring_in(a, tmp_path / "b.bundle")) == {
        "Tactics": (0, 0),
        "Training": (4, 0),
        "Trust": (3, 0),
    }
    again = bring_in(a, tmp_path / "b.bundle")
    assert counts(again) == {"Tactics": (0, 0), "Training": (0, 4), "Trust": (0, 3)}
    assert not any(theme["changed_on_both"] for theme in again.values())
    assert counts(bring_in(b, tmp_path / "a.bundle")) == {"Tactics": (5, 0), "Training": (0, 0)}
    assert counts(bring_in(b, tmp_path / "a.bundle")) == {"Tactics": (0, 5), "Training": (0, 0)}

    # Fresh machines, in both orders.
    c, d = laptops("c"), laptops("d")
    assert counts(bring_in(c, tmp_path / "b.bundle"))["Training"] == (4, 0)
    assert counts(bring_in(c, tmp_path / "a.bundle"))["Tactics"] == (5, 0)
    assert counts(bring_in(d, tmp_path / "a.bundle"))["Tactics"] == (5, 0)
    assert counts(bring_in(d, tmp_path / "b.bundle"))["Trust"] == (3, 0)

    # One event, one report, every note once, on every machine.
    report = plain_report(a)
    for other in (b, c, d):
        assert plain_report(other) == report
    by_title = {theme["title"]: theme for theme in report["themes"]}
    assert [theme["title"] for theme in report["themes"]] == ["Tactics", "Training", "Trust"]
    for title, texts in (("Tactics", TACTICS), ("Training", TRAINING), ("Trust", TRUST)):
        exported = [n[0] for n in by_title[title]["notes"]]
        assert sorted(exported) == sorted(texts[:2] + texts[3:])  # the duplicate is merged away
        assert by_title[title]["facilitators"] == (["Sam"] if title != "Trust" else [])
        assert by_title[title]["writeup"]["status"] == "published"
        assert by_title[title]["writeup"]["markdown"].endswith("We agreed.\n")
    online = dict(by_title["Tactics"]["clusters"])["Online"]
    assert [(n[0], n[3], n[4]) for n in online] == [(TACTICS[0], 1, 2), (TACTICS[1], 1, 1)]

    # Codes and wall addresses are the same everywhere: printed QR codes keep working.
    for laptop in (b, c, d):
        with laptop.context():
            codes_here = {
                t.title: (t.join_code, t.wall_token) for t in events.find_by_slug(SLUG).themes
            }
            assert {k: codes_here[k] for k in codes_on_a} == codes_on_a
            sam = db.session.scalar(select(User).where(User.email == "sam@example.org"))
            assert theme_named("Tactics").facilitators == [sam]
            revisions = writeups.writeup_of(theme_named("Tactics")).revisions
            assert [r.reason for r in revisions] == ["compiled", "edited", "published"]

    # The importing machine's sequence numbers stay consistent: live pages catch up with them.
    with b.context():
        tactics = theme_named("Tactics")
        seqs = [n.seq for n in db.session.scalars(select(Note).where(Note.theme_id == tactics.id))]
        assert len(set(seqs)) == len(seqs) == 5
        assert max(seqs) == tactics.seq
        assert {n.text for n in listing.changes_since(tactics.id, tactics_seq_before)} == set(
            TACTICS
        )

    # The merged machines agree: exporting from one and importing to the other adds nothing.
    export(a, tmp_path / "a2.bundle")
    back = bring_in(b, tmp_path / "a2.bundle")
    assert {t: (o["notes_added"], o["changed_on_both"]) for t, o in back.items()} == {
        "Tactics": (0, False),
        "Training": (0, False),
        "Trust": (0, False),
    }
    assert plain_report(b) == report


def test_one_theme_can_travel_alone(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "tactics.bundle", "tactics")
    c = laptops("c")
    assert counts(bring_in(c, tmp_path / "tactics.bundle")) == {"Tactics": (5, 0)}
    with c.context():
        assert [t.title for t in events.find_by_slug(SLUG).themes] == ["Tactics"]
    missing = a.cli("bundle", "export", SLUG, "--theme", "Tea", "--output", tmp_path / "x.bundle")
    assert missing.exit_code == 1
    assert "no theme called “Tea”" in missing.output
    assert not (tmp_path / "x.bundle").exists()


def test_a_theme_changed_on_both_machines_is_reported_and_nothing_is_lost(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "first.bundle")
    bring_in(b, tmp_path / "first.bundle")

    with a.context():  # A moves a note and edits the write-up ...
        tactics = theme_named("Tactics")
        note = db.session.scalar(select(Note).where(Note.text == TACTICS[3]))
        clusters.move_note(note.id, tactics, tactics.clusters[0].id)
        writeups.save_writeup(tactics, "A's version\n", None)
    with b.context():  # ... and B hides the same note and edits the write-up too.
        tactics = theme_named("Tactics")
        note = db.session.scalar(select(Note).where(Note.text == TACTICS[3]))
        moderation.moderate_note(note.id, tactics, "hide")
        writeups.save_writeup(tactics, "B's version\n", None)
    export(a, tmp_path / "a.bundle")
    export(b, tmp_path / "b.bundle")
    on_a = bring_in(a, tmp_path / "b.bundle")["Tactics"]
    on_b = bring_in(b, tmp_path / "a.bundle")["Tactics"]
    for outcome in (on_a, on_b):
        assert outcome["changed_on_both"]
        assert any(
            f"“{TACTICS[3]}” was changed on both machines" in c for c in outcome["conflicts"]
        )
        assert any("write-up was edited on both machines" in c for c in outcome["conflicts"])

    states = []
    for laptop, own in ((a, "A's version\n"), (b, "B's version\n")):
        with laptop.context():
            note = db.session.scalar(select(Note).where(Note.text == TACTICS[3]))
            states.append((note.status, note.cluster_id is not None))
            writeup = writeups.writeup_of(theme_named("Tactics"))
            bodies = [r.body for r in writeup.revisions]
            assert "A's version\n" in bodies  # neither version is lost
            assert "B's version\n" in bodies
            assert writeup.body == own == bodies[-1]
    # Both machines keep the later change (B's hiding), so they agree again.
    assert states == [(NoteStatus.HIDDEN, False), (NoteStatus.HIDDEN, False)]


def edit_as_author(laptop: Laptop, text: str, new_text: str) -> None:
    """The note's author changes its words from their phone, on this laptop."""
    with laptop.context():
        note = db.session.scalar(select(Note).where(Note.text == text))
        notes.edit_note(note.id, note.participant, new_text)


def copies_of(laptop: Laptop, text: str) -> list[Note]:
    with laptop.context():
        return list(db.session.scalars(select(Note).where(Note.text == text)))


def test_a_note_edited_differently_on_two_machines_keeps_both_texts_once(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "first.bundle")
    bring_in(b, tmp_path / "first.bundle")
    on_a, on_b = "Live-tweet every council meeting", "Live-tweet the council, with a hashtag"
    edit_as_author(a, TACTICS[0], on_a)
    edit_as_author(b, TACTICS[0], on_b)  # B's edit is the later one
    export(a, tmp_path / "a.bundle")
    export(b, tmp_path / "b.bundle")

    for laptop, bundle, lost in ((a, "b.bundle", on_a), (b, "a.bundle", on_a)):
        outcome = bring_in(laptop, tmp_path / bundle)["Tactics"]
        assert outcome["changed_on_both"]
        assert outcome["notes_added"] == 0
        (conflict,) = outcome["conflicts"]
        assert f"“{on_b}” was changed on both machines" in conflict
        assert f"“{lost}”: that text is kept beside it as a hidden note" in conflict
        again = bring_in(laptop, tmp_path / bundle)["Tactics"]  # the same bundle twice
        assert (again["notes_added"], again["changed_on_both"]) == (0, False)

    # Both rounds again, each way: the machines agree, and nothing more is added or reported.
    export(a, tmp_path / "a2.bundle")
    export(b, tmp_path / "b2.bundle")
    for laptop, bundle in ((a, "b2.bundle"), (b, "a2.bundle"), (a, "b2.bundle")):
        outcome = bring_in(laptop, tmp_path / bundle)
        assert not any(t["changed_on_both"] or t["notes_added"] for t in outcome.values())
    c = laptops("c")  # a third machine, from both bundles
    bring_in(c, tmp_path / "a2.bundle")
    assert not bring_in(c, tmp_path / "b2.bundle")["Tactics"]["changed_on_both"]

    for laptop in (a, b, c):
        (kept,) = copies_of(laptop, on_b)  # each text exactly once
        (aside,) = copies_of(laptop, on_a)
        assert not copies_of(laptop, TACTICS[0])
        assert (kept.status, kept.people, kept.votes) == (NoteStatus.VISIBLE, 2, 1)
        assert aside.status is NoteStatus.HIDDEN
        assert aside.client_id.startswith("kept-")
        assert (aside.participant_id, aside.cluster_id) == (kept.participant_id, kept.cluster_id)
        with laptop.context():
            tactics = theme_named("Tactics")
            staff = {n.text for n in listing.staff_notes(tactics.id)}
            public = {n.text for n in listing.public_notes(tactics.id)}
            assert {on_a, on_b} <= staff  # the facilitator finds both, beside each other
            assert on_b in public
            assert on_a not in public
            stored = list(db.session.scalars(select(Note).where(Note.theme_id == tactics.id)))
            assert len(stored) == 6
            assert len({n.seq for n in stored}) == 6

    # Every report is the same, with the later words and never the hidden ones.
    report = plain_report(a)
    assert plain_report(b) == report == plain_report(c)
    (tactics,) = (t for t in report["themes"] if t["title"] == "Tactics")
    assert sorted(n[0] for n in tactics["notes"]) == sorted([on_b, TACTICS[1], *TACTICS[3:]])
    online = dict(tactics["clusters"])["Online"]
    assert [(n[0], n[3], n[4]) for n in online] == [(on_b, 1, 2), (TACTICS[1], 1, 1)]


def test_a_change_made_on_one_machine_only_is_taken_without_a_report(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "old.bundle")
    bring_in(b, tmp_path / "old.bundle")
    with a.context():
        tactics = theme_named("Tactics")
        note = db.session.scalar(select(Note).where(Note.text == TACTICS[4]))
        moderation.moderate_note(note.id, tactics, "pin")
    export(a, tmp_path / "new.bundle")
    assert not bring_in(b, tmp_path / "new.bundle")["Tactics"]["changed_on_both"]
    assert not bring_in(b, tmp_path / "old.bundle")["Tactics"]["changed_on_both"]  # older: kept
    with b.context():
        assert db.session.scalar(select(Note.pinned).where(Note.text == TACTICS[4])) is True


def write_newer(path) -> None:
    content = {"event": {"slug": SLUG, "title": "x"}, "themes": []}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    envelope = {
        "format": fileformat.FORMAT,
        "version": fileformat.VERSION + 1,
        "sha256": hashlib.sha256(canonical).hexdigest(),
        "content": content,
    }
    path.write_bytes(gzip.compress(json.dumps(envelope).encode()))


def test_a_damaged_truncated_foreign_or_newer_file_is_refused_and_changes_nothing(
    laptops, tmp_path
):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "a.bundle")
    whole = (tmp_path / "a.bundle").read_bytes()
    unpacked = gzip.decompress(whole)
    files = {
        "damaged": gzip.compress(
            unpacked.replace(b"Answer within the hour", b"Answer within the week")
        ),
        "corrupt": whole[:40] + bytes([whole[40] ^ 0xFF]) + whole[41:],
        "truncated": whole[: len(whole) // 2],
        "foreign": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "foreign-json": gzip.compress(b'{"hello": "world"}'),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.bundle").write_bytes(data)
    write_newer(tmp_path / "newer.bundle")
    messages = {
        "damaged": "checksum does not match",
        "corrupt": "damaged",
        "truncated": "damaged or cut short",
        "foreign": "not a Facilitate bundle",
        "foreign-json": "not a Facilitate bundle",
        "newer": "made by a newer Facilitate",
    }
    before = snapshot(b)
    for name, message in messages.items():
        result = b.cli("bundle", "import", tmp_path / f"{name}.bundle")
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output, (name, result.output)
        assert "Traceback" not in result.output
    assert snapshot(b) == before


def test_a_join_code_used_here_by_another_theme_is_refused_whole(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "a.bundle")
    c = laptops("c")
    with a.context():
        code = theme_named("Tactics").join_code
    with c.context():
        from facilitate.database import write_transaction

        other = make_theme(None, "Lunch", [], Phase.OPEN)
        with write_transaction():
            db.session.get(Theme, other.id).join_code = code
    before = snapshot(c)
    result = c.cli("bundle", "import", tmp_path / "a.bundle")
    assert result.exit_code == 1
    assert "join code of another theme here, “Lunch”" in result.output
    assert snapshot(c) == before


def test_a_preview_counts_what_an_import_would_do_and_changes_nothing(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "a.bundle")
    before = snapshot(b)
    preview = b.cli("bundle", "import", "--dry-run", tmp_path / "a.bundle")
    assert preview.exit_code == 0, preview.output
    assert json.loads(preview.stdout)["themes"][0]["notes_added"] == 5
    assert snapshot(b) == before


def test_participants_travel_without_their_tokens(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "a.bundle")
    with a.context():
        hashes = set(db.session.scalars(select(Participant.token_hash)))
        passwords = set(db.session.scalars(select(User.password_hash)))
    content = fileformat.unpack((tmp_path / "a.bundle").read_bytes())
    text = json.dumps(content)
    assert not any(h in text for h in hashes | passwords)
    assert "token" not in json.dumps(content["participants"])
    bring_in(b, tmp_path / "a.bundle")
    with b.context():
        assert not hashes & set(db.session.scalars(select(Participant.token_hash)))


def test_people_are_matched_by_email_and_no_account_is_ever_made(laptops, tmp_path):
    a, b = laptops("a"), laptops("b")
    set_up_event(a, b, tmp_path)
    run_theme(a, "Tactics", TACTICS, "Online")
    export(a, tmp_path / "a.bundle")
    c = laptops("c")
    with c.context():  # this machine knows Olu, but has no account for Sam
        db.session.delete(db.session.scalar(select(User).where(User.email == "sam@example.org")))
        db.session.commit()
        accounts_before = sorted(db.session.scalars(select(User.email)))
    bring_in(c, tmp_path / "a.bundle")
    with c.context():
        assert sorted(db.session.scalars(select(User.email))) == accounts_before
        tactics = theme_named("Tactics")
        assert tactics.facilitators == []
        assert [user.email for user in tactics.event.organisers] == ["olu@example.org"]
        revisions = writeups.writeup_of(tactics).revisions
        assert [r.author for r in revisions] == [None, None, None]  # Sam wrote them elsewhere
