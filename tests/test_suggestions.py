"""The facilitator's suggestions, on the labelled break-out notes in tests/data: quality floors as
measured (docs/suggestions.md), and what the stored dismissals and hidden words do."""

from __future__ import annotations

import pytest

from benchmarks.suggestions import duplicate_quality, heading_quality, load
from facilitate.services import suggesting
from facilitate.services.errors import ServiceError
from facilitate.services.suggestions import (
    Heading,
    Text,
    duplicate_groups,
    heading_suggestions,
    telling_terms,
)
from facilitate.services.textsim import fold, stem, stop_words, words
from tests.support.factories import make_theme, post


@pytest.fixture(scope="module")
def themes():
    return load()


def test_duplicates_found_on_the_labelled_notes_are_right_and_most_are_found(themes):
    quality = duplicate_quality(themes)
    assert quality["precision"] >= 0.95
    assert quality["recall"] >= 0.8


def test_suggested_headings_agree_with_the_facilitators_more_often_than_chance(themes):
    quality = heading_quality(themes)
    # Four headings a theme: a guess would put a quarter of the notes right.
    assert quality["fits_existing"] >= 0.3
    assert quality["new_precision"] >= 0.5


def test_notes_that_say_the_same_in_other_words_are_grouped_and_others_are_not():
    notes = [
        Text(1, "Avoid spin: be human"),
        Text(2, "Be human, no corporate spin"),
        Text(3, "There is no budget for training"),
        Text(4, "We have no training budget at all"),
        Text(5, "Video gets far more reach than text"),
    ]
    assert duplicate_groups(notes) == [[1, 2], [3, 4]]
    assert duplicate_groups(notes, apart={frozenset((1, 2))}) == [[3, 4]]


def test_unsorted_notes_go_under_the_heading_they_fit_or_a_new_titled_one():
    headings = [Heading(7, "Training budget", ("No money for courses",))]
    unsorted = [
        Text(1, "The training budget was cut again"),
        Text(2, "Reply to comments, don't just broadcast"),
        Text(3, "Answer the comments instead of only broadcasting"),
    ]
    found = {s.cluster_id: s for s in heading_suggestions(unsorted, headings)}
    assert found[7].note_ids == [1]
    assert found[None].note_ids == [2, 3]
    assert "comment" in found[None].title.lower() or "broadcast" in found[None].title.lower()


def test_keywords_leave_out_stop_words_and_count_people_behind_merged_notes():
    notes = [
        Text(1, "Trust the staff with social media", people=3),
        Text(2, "Social media policy nobody reads"),
        Text(3, "The staff are already on social media"),
    ]
    terms = dict(telling_terms(notes))
    assert terms["social media"] == 5
    assert not stop_words() & {w for term in terms for w in term.split()}


def test_words_are_folded_stemmed_and_welsh_stop_words_dropped():
    assert fold("\u0174yl\u2019s CAF\u00c9") == "wyl's cafe"
    assert stem("trusting") == stem("trusted") == stem("trusts") == "trust"
    assert stem("access") == "access"
    assert [w for _, w in words("Mae'n bwysig bod y staff yn cael hyfforddiant")] == [
        "bwysig",
        "staff",
        "cael",
        "hyfforddiant",
    ]


def test_a_dismissed_group_stays_dismissed_and_a_hidden_word_stays_hidden(app):
    theme = make_theme()
    first = post(theme, text="There is no budget for training")
    second = post(theme, text="We have no training budget at all")
    post(theme, text="Training budget is zero this year")
    assert len(suggesting.suggest_duplicates(theme)) == 1
    assert suggesting.dismiss_duplicates(theme, [first.id, second.id]) != [[first.id, second.id]]
    assert [first.id, second.id] not in suggesting.suggest_duplicates(theme)
    assert "training budget" in [k["term"] for k in suggesting.keywords(theme)]
    suggesting.set_keyword_hidden(theme, "Training  Budget")
    assert "training budget" not in [k["term"] for k in suggesting.keywords(theme)]
    suggesting.set_keyword_hidden(theme, "training budget", hidden=False)
    assert "training budget" in [k["term"] for k in suggesting.keywords(theme)]


@pytest.mark.parametrize("note_ids", [None, [], [1], ["1", "2"], [True, False], "1,2"])
def test_dismissing_something_that_is_not_a_group_is_refused_plainly(app, note_ids):
    theme = make_theme()
    with pytest.raises(ServiceError) as refused:
        suggesting.dismiss_duplicates(theme, note_ids)
    assert refused.value.code in {"invalid", "not_found"}


def test_reports_list_the_keywords_the_wall_shows_without_removed_ones(app):
    import io
    import json

    import docx
    import jsonschema

    from facilitate.exports.formats import export
    from facilitate.exports.json import SCHEMA

    theme = make_theme()
    for text in ["The training budget has gone", "Training budget is zero this year"]:
        post(theme, text=text)
    post(theme, text="Reply to comments, don't just broadcast")
    post(theme, text="Answer the comments instead of only broadcasting")
    suggesting.set_keyword_hidden(theme, "comments")
    document = json.loads(export(theme.event, "json").data)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(document)
    keywords = document["themes"][0]["keywords"]
    assert {"term": "training budget", "count": 2} in keywords
    assert "comments" not in [k["term"] for k in keywords]
    markdown = export(theme.event, "md").data.decode()
    assert "**Keywords:** training budget (2), broadcast (2)" in markdown
    html = export(theme.event, "html").data.decode()
    assert "Keywords: </span>training budget (2), broadcast (2)" in html
    document = docx.Document(io.BytesIO(export(theme.event, "docx").data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    [keywords_line] = [line for line in lines if line.startswith("Keywords: ")]
    assert keywords_line.startswith("Keywords: training budget (2), broadcast (2)")


def test_the_wall_shows_no_keywords_while_the_room_writes_in_silence(app, client):
    from facilitate.services import themes as theme_settings

    theme = make_theme()
    for text in ("There is no budget for training", "We have no training budget at all"):
        post(theme, text=text)
    address = f"/wall/{theme.wall_token}/keywords"
    assert any("budget" in k["term"] for k in client.get(address).json["keywords"])
    silent = theme_settings.ThemeSettings.of(theme).changed({"notes_private": True})
    theme_settings.update_settings(theme, silent)
    assert client.get(address).json["keywords"] == []  # the words would give the notes away
