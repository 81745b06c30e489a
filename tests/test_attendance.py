"""Attendance: presence sampled into counts, the report and its CSV, and no personal data."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from gallery.attendance import Sampler
from gallery.cli import cli
from gallery.presence.memorystore import MemoryStore
from gallery.records import SqlRecords
from gallery.records.attendance import ExhibitTime, read_attendance, record_sample

from .conftest import BASIC

T0 = datetime(2021, 6, 17, 12, 0, tzinfo=UTC)


class Written:
    """A sampler's writer that keeps what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, *counts) -> None:
        self.calls.append(counts)


def looks(sampler: Sampler, *seconds: float) -> None:
    for second in seconds:
        sampler.look(T0 + timedelta(seconds=second))


def test_a_visit_counts_once_and_its_time_between_looks() -> None:
    store, written = MemoryStore(), Written()
    sampler = Sampler(store, written, flush=60)
    store.enter("v1", "lab", "lanterns", "Ada", False)
    looks(sampler, 0, 10, 20)
    store.enter("v1", "lab", None, "Ada", False)  # steps back from the panel
    looks(sampler, 30)
    store.enter("v1", "lab", "lanterns", "Ada", False)  # and comes back: a second visit
    looks(sampler, 40, 60)
    [(at, rooms, total, peak, times)] = written.calls
    assert at == T0 + timedelta(seconds=60)
    assert (rooms, total, peak) == ({"lab": 1}, 1, 1)
    assert times == [ExhibitTime(T0, "lab", "lanterns", 2, 40)]


def test_the_peak_is_the_most_at_once_between_two_writes() -> None:
    store, written = MemoryStore(), Written()
    sampler = Sampler(store, written, flush=60)
    looks(sampler, 0)
    for n in range(5):
        store.enter(f"v{n}", "hall", None, f"V{n}", n == 0)  # invisible ones count too
    looks(sampler, 10)
    for n in range(4):
        store.leave(f"v{n}")
    looks(sampler, 60)
    [(_at, rooms, total, peak, _times)] = written.calls
    assert (rooms, total, peak) == ({"hall": 1}, 1, 5)
    looks(sampler, 120)
    assert written.calls[1][2:4] == (1, 1)


@pytest.fixture
def records(tmp_path: Path) -> SqlRecords:
    store = SqlRecords(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")
    store.upgrade()
    return store


def test_counts_add_up_in_the_database_and_hold_no_visitor(records: SqlRecords) -> None:
    hour = T0
    for minute in (1, 2):
        record_sample(
            records.engine,
            T0 + timedelta(minutes=minute),
            {"lab": 3, "hall": 1},
            4,
            6,
            [ExhibitTime(hour, "lab", "lanterns", 2, 30)],
        )
    data = read_attendance(records.engine)
    assert data.totals == [
        (T0 + timedelta(minutes=1), 4, 6),
        (T0 + timedelta(minutes=2), 4, 6),
    ]
    assert data.exhibits == [ExhibitTime(hour, "lab", "lanterns", 4, 60)]
    for table in ("occupancy_samples", "attendance_totals", "exhibit_visits"):
        columns = {c["name"] for c in inspect(records.engine).get_columns(table)}
        assert not columns & {"visitor", "name", "id", "address", "ip"}, table


def fill(records: SqlRecords) -> None:
    """Record an afternoon: samples, exhibit visits, a question, a vote and chat."""
    for minute in range(0, 50, 10):
        at = T0 + timedelta(minutes=minute)
        record_sample(
            records.engine,
            at,
            {"lab": minute // 10 + 1, "hall": 2},
            minute // 10 + 3,
            minute // 10 + 4,
            [ExhibitTime(T0, "lab", "lanterns", 1, 95)],
        )
    asked = records.add_question("opening", "key-1", "Zébulon Secret", "Une question ?")
    records.vote(asked.id, "key-2")
    records.add_chat("lab", "key-3", "Zébulon Secret", "Bonjour tout le monde")


def test_the_report_has_charts_with_their_tables_and_no_pseudonym(
    records: SqlRecords, tmp_path: Path, runner
) -> None:
    fill(records)
    out = tmp_path / "report.html"
    result = runner.invoke(
        cli, ["report", str(BASIC), "--data", str(tmp_path), "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (4 charts) and {out.with_suffix('.csv')}." in result.output
    html = out.read_text(encoding="utf-8")
    assert "Zébulon" not in html and "key-1" not in html and "Bonjour" not in html
    assert html.count('<svg class="chart"') == 4
    assert html.count("<table>") == 4
    assert "<script" not in html and 'src="http' not in html and "<link" not in html
    assert re.search(r"<dt>Most visitors at once</dt><dd>8</dd>", html)
    assert '<th scope="row">Lanterns</th><td>5</td><td>7 min 55 s</td><td>1 min 35 s</td>' in html
    rows = list(csv.reader(io.StringIO(out.with_suffix(".csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["metric", "at", "room", "exhibit", "value"]
    assert ["questions", "2021-06-17T12:00:00+00:00", "", "", "1"] in rows or any(
        r[0] == "questions" and r[-1] == "1" for r in rows
    )
    assert "Zébulon Secret" not in out.with_suffix(".csv").read_text(encoding="utf-8")


def test_a_report_before_anything_was_recorded_says_so(records: SqlRecords, tmp_path) -> None:
    from gallery.app import create_app
    from gallery.attendance.page import write_report

    app = create_app({"ROOMS": str(BASIC), "DATA_DIR": str(tmp_path)})
    assert write_report(app, tmp_path / "r.html", "fr") == 0
    assert "Rien n’a encore été enregistré" in (tmp_path / "r.html").read_text("utf-8")


def test_a_report_without_a_database_is_refused(tmp_path: Path, runner) -> None:
    result = runner.invoke(
        cli, ["report", str(BASIC), "--data", str(tmp_path / "none"), "--out", "r.html"]
    )
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert "Traceback" not in result.output


def test_the_server_samples_attendance_on_its_own(tmp_path: Path) -> None:
    """A real server with a short interval writes samples while a visitor stands in a room."""
    from .servers import GalleryServer
    from .wsclient import RawClient

    server = GalleryServer(
        BASIC,
        env={
            "GALLERY_DATA_DIR": str(tmp_path),
            "GALLERY_ATTENDANCE_INTERVAL": "0.2",
            "GALLERY_ATTENDANCE_FLUSH": "0.5",
        },
    )
    server.start()
    visitor = RawClient(server.port)
    try:
        entered = visitor.ack(visitor.emit("enter", {"room": "lab", "exhibit": "lanterns"}))
        assert entered["ok"]
        records = SqlRecords(f"sqlite:///{tmp_path / 'gallery.sqlite3'}")
        deadline = datetime.now(UTC) + timedelta(seconds=20)
        seen = []
        # Polling the database: the server writes on its own schedule, with no event to await.
        while datetime.now(UTC) < deadline and not seen:
            with records.engine.connect() as connection:
                from gallery.records.tables import exhibit_visits

                seen = list(connection.execute(select(exhibit_visits)))
            time.sleep(0.1)
        assert seen and seen[0].exhibit == "lanterns" and seen[0].visits >= 1
    finally:
        visitor.close()
        server.kill()


def test_the_host_console_shows_the_same_charts(tmp_path: Path) -> None:
    from .host_helpers import host_app, log_in

    app = host_app(DATA_DIR=str(tmp_path))
    fill(app.extensions["gallery.records"])
    client = app.test_client()
    log_in(client)
    page = client.get("/host/").get_data(as_text=True)
    assert "Since the opening" in page
    assert page.count('<svg class="chart"') == 4
    assert "Zébulon" not in page.split('id="report"')[1].split("</section>\n      <section")[0]
