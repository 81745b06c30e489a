"""The Q&A of a session as rows, CSV and JSON, for organisers to keep or to publish."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from .model import Question

EXPORT_FIELDS = ("id", "session", "status", "votes", "name", "text", "created_at", "updated_at")
FORMATS = ("csv", "json")

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def export_rows(questions: Iterable[Question]) -> list[dict[str, Any]]:
    """Return one row per question, with the columns of EXPORT_FIELDS; times in ISO 8601."""
    return [
        {
            "id": q.id,
            "session": q.session,
            "status": q.status,
            "votes": q.votes,
            "name": q.name,
            "text": q.text,
            "created_at": q.created_at.isoformat(),
            "updated_at": q.updated_at.isoformat(),
        }
        for q in questions
    ]


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Return the rows as CSV with a header line; text that a spreadsheet would run is defused."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _defuse(value) for key, value in row.items()})
    return out.getvalue()


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    """Return the rows as a JSON array of objects, indented, ending with a newline."""
    return orjson.dumps(list(rows), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()


def render(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """Return the rows in `fmt`, one of FORMATS."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def _defuse(value: Any) -> Any:
    """Prefix text a spreadsheet would take for a formula with a quote, which it shows as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
