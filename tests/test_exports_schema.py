"""The JSON export's published schema (facilitate/exports/report.schema.json) accepts real exports
and nothing else: an event with clusters, merged duplicates and an empty theme, one theme's
download, and themes with no write-up."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from facilitate.exports.formats import export
from facilitate.exports.json import SCHEMA
from tests.test_exports_corpus import build_launch
from tests.test_exports_documents import build_quiet_event


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(validator, document) -> list[str]:
    return [error.message for error in validator.iter_errors(document)]


def test_the_schema_accepts_a_real_export_with_clusters_merges_and_an_empty_theme(app, validator):
    launch = build_launch()
    document = json.loads(export(launch.event, "json").data)
    assert errors(validator, document) == []
    tactics, _trust, training = document["themes"]
    assert tactics["clusters"]
    assert tactics["notes"][0]["people"] == 2  # a duplicate was merged into it
    assert (training["notes"], training["writeup"]["status"]) == ([], None)
    own = json.loads(export(launch.event, "json", theme_ids=[launch.trust.id]).data)
    assert errors(validator, own) == []


def test_the_schema_accepts_themes_with_no_write_up_at_all(app, validator):
    quiet = build_quiet_event()
    document = json.loads(export(quiet.event, "json").data)
    assert errors(validator, document) == []


def test_the_schema_refuses_what_the_export_never_gives(app, validator):
    document = json.loads(export(build_launch().event, "json").data)
    theme = document["themes"][0]
    wrong = {
        "an unknown key": lambda d: d["themes"][0].update(colour="red"),
        "a theme without its notes": lambda d: d["themes"][0].pop("notes"),
        "a hidden note": lambda d: d["themes"][0]["notes"][0].update(status="hidden"),
        "a merged-away note": lambda d: d["themes"][0]["notes"][0].update(merged_into=1),
        "an unknown write-up status": lambda d: d["themes"][0]["writeup"].update(status="none"),
        "a local time": lambda d: d["event"].update(updated_at="2026-11-23T09:30:00"),
    }
    assert theme["notes"]
    for name, change in wrong.items():
        broken = copy.deepcopy(document)
        change(broken)
        assert errors(validator, broken), name


def test_the_schema_says_that_theme_notes_hold_the_clustered_notes_too():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    theme = schema["$defs"]["theme"]["properties"]
    assert "including the notes that are in a cluster" in theme["notes"]["description"]
    assert "appear only in the theme's notes" in theme["clusters"]["description"]
