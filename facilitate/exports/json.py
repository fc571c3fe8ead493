"""The report as JSON, in the shape docs/exports.md gives:
``{"event": {...}, "themes": [{"title", "facilitators", "writeup": {"status", "markdown"},
"clusters": [{"title", "notes": [NOTE]}], "notes": [NOTE]}]}``, described exactly by the JSON Schema
``report.schema.json`` beside this module (shipped in the package)."""

from __future__ import annotations

import json
from pathlib import Path

from ..payloads import iso
from .report import Report, ReportTheme

#: The JSON Schema (2020-12) of ``render_json``'s output.
SCHEMA = Path(__file__).with_name("report.schema.json")


def report_data(report: Report) -> dict:
    event = report.event
    return {
        "event": {
            "title": event.title,
            "slug": event.slug,
            "date": event.date.isoformat() if event.date else None,
            "venue": event.venue,
            "updated_at": iso(report.updated_at),
        },
        "themes": [_theme(theme) for theme in report.themes],
    }


def _theme(theme: ReportTheme) -> dict:
    return {
        "title": theme.title,
        "prompt": theme.prompt,
        "facilitators": theme.facilitators,
        "writeup": {"status": theme.writeup.status, "markdown": theme.writeup.markdown},
        "clusters": [
            {"title": cluster.title, "notes": [note.payload for note in cluster.notes]}
            for cluster in theme.clusters
        ],
        "notes": [note.payload for note in theme.notes],
        "stats": {
            "participants": theme.stats.participants,
            "notes": theme.stats.notes,
            "votes": theme.stats.votes,
        },
        "keywords": [{"term": term, "count": count} for term, count in theme.keywords],
    }


def render_json(report: Report) -> bytes:
    return (json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n").encode()
