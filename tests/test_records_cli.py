"""`gallery db upgrade`, `gallery export-questions` and `gallery serve --data`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from gallery.cli import cli
from gallery.records import SqlRecords, migrate

from .conftest import BASIC
from .servers import free_port, wait_for_http


def seed(folder: Path) -> SqlRecords:
    """Record two questions of the basic exhibition's `opening` session in `folder`."""
    store = SqlRecords(f"sqlite:///{folder / 'gallery.sqlite3'}")
    first = store.add_question("opening", "v1", "Ada", '=1+1, "really"?')
    second = store.add_question("opening", "v2", "Bob", "Second")
    store.vote(second.id, "v1")
    store.add_question("other", "v1", "Ada", "Not this session")
    store.set_status(first.id, "answered", by="host")
    store.close()
    return store


def test_db_upgrade_creates_the_database_in_the_data_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["db", "upgrade", "--data", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert f"up to date (revision {migrate.head()})" in result.output
    assert (tmp_path / "data" / "gallery.sqlite3").is_file()
    again = runner.invoke(cli, ["db", "upgrade", "--data", str(tmp_path / "data")])
    assert again.exit_code == 0


def test_db_upgrade_follows_gallery_database_url(runner: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    result = runner.invoke(cli, ["db", "upgrade"], env={"GALLERY_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere.db").is_file()


def test_db_upgrade_defaults_to_gallery_data_dir(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["db", "upgrade"], env={"GALLERY_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gallery.sqlite3").is_file()


def test_db_upgrade_reports_a_database_it_cannot_open(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = runner.invoke(cli, ["db", "upgrade", "--data", str(blocker / "data")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "gallery.sqlite3" in result.output
    assert "Traceback" not in result.output


def test_export_questions_writes_csv_to_the_standard_output(
    runner: CliRunner, tmp_path: Path
) -> None:
    seed(tmp_path)
    result = runner.invoke(
        cli, ["export-questions", "opening", str(BASIC), "--data", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "id,session,status,votes,name,text,created_at,updated_at"
    assert lines[1].startswith('1,opening,answered,0,Ada,"\'=1+1, ""really""?",')
    assert lines[2].startswith("2,opening,open,1,Bob,Second,")
    assert len(lines) == 3


def test_export_questions_writes_json_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    seed(tmp_path)
    out = tmp_path / "qa.json"
    result = runner.invoke(
        cli,
        [
            *("export-questions", "opening", str(BASIC), "--data", str(tmp_path)),
            *("--format", "json", "--output", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["id"], r["text"], r["votes"], r["status"]) for r in rows] == [
        (1, '=1+1, "really"?', 0, "answered"),
        (2, "Second", 1, "open"),
    ]


def test_export_questions_refuses_a_session_not_in_the_agenda(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A slug of no agenda session is refused by name, even with questions recorded for it."""
    seed(tmp_path)
    result = runner.invoke(cli, ["export-questions", "other", str(BASIC), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == "Error: unknown session 'other' (the agenda's sessions: opening)\n"


def test_export_questions_says_when_nothing_was_recorded(runner: CliRunner, tmp_path: Path) -> None:
    """A data folder with no database is an error, not an empty export (a mistyped --data)."""
    result = runner.invoke(
        cli, ["export-questions", "opening", str(BASIC), "--data", str(tmp_path / "typo")]
    )
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert not (tmp_path / "typo").exists()


def test_export_questions_needs_an_exhibition(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["export-questions", "opening", str(tmp_path)])
    assert result.exit_code == 2
    assert "gallery.yaml" in result.output


def test_serve_refuses_a_data_folder_it_cannot_use(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = runner.invoke(
        cli, ["serve", str(BASIC), "--port", "1", "--data", str(blocker / "data")]
    )
    assert result.exit_code == 1
    assert "nothing was served" in result.output


def test_serve_migrates_the_database_in_data_before_listening(tmp_path: Path) -> None:
    """`gallery serve --data DIR` answers only once DIR holds an up-to-date database."""
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gallery", "serve", str(BASIC)),
            *("--port", str(port), "--no-reload", "--data", str(tmp_path / "data")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", server)
        store = SqlRecords(f"sqlite:///{tmp_path / 'data' / 'gallery.sqlite3'}")
        assert migrate.current(store.engine) == migrate.head()
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
