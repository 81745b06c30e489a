"""The commands on recorded data: `gallery db upgrade`, `export-questions`, `hash-password`."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_folders import exhibition_root


def data_option(function):
    """Add `--data DIR`: the folder of the SQLite database and other recorded data."""
    return click.option(
        "--data",
        "data",
        type=click.Path(file_okay=False),
        help="Data folder (default: GALLERY_DATA_DIR, else the user's data folder).",
    )(function)


def open_records(data: str | None, must_exist: bool = False):
    """Return the records store the configuration names, `--data` overriding the data folder."""
    from sqlalchemy.engine import make_url

    from .config import database_url, load_config
    from .records import SqlRecords

    url = database_url(load_config({"DATA_DIR": data} if data else None))
    parsed = make_url(url)
    sqlite_file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if must_exist and sqlite_file and not Path(sqlite_file).is_file():
        raise click.ClickException(
            f"no database at {sqlite_file}: nothing was recorded there (see --data)"
        )
    return SqlRecords(url)


@click.group()
def db() -> None:
    """Manage the database of questions, votes, chat and moderation decisions."""


@db.command()
@data_option
def upgrade(data: str | None) -> None:
    """Create the database or bring its tables up to date (serve also does it at start-up)."""
    from .records import RecordsError, display_url
    from .records.migrate import current

    records = open_records(data)
    try:
        records.upgrade()
        revision = current(records.engine)
    except RecordsError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        records.close()
    click.echo(f"{display_url(records.url)}: up to date (revision {revision})")


@click.command("export-questions")
@click.argument("session")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),  # gallery.records.FORMATS, without importing it
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of the standard output.",
)
@data_option
def export_questions(
    session: str, directory: str | None, fmt: str, output: str | None, data: str | None
) -> None:
    """Export the questions of an agenda session, with votes and status, as CSV or JSON."""
    from .content import load_exhibition
    from .records import RecordsError, render

    root = exhibition_root(directory)
    result = load_exhibition(root)
    if result.exhibition is None:
        raise click.ClickException(f"{root}: the exhibition holds errors; run `gallery check`")
    sessions = [item.id for item in result.exhibition.agenda]
    if session not in sessions:
        known = ", ".join(sessions) if sessions else "none"
        raise click.ClickException(f"unknown session '{session}' (the agenda's sessions: {known})")
    records = open_records(data, must_exist=True)
    try:
        text = render(records.export(session), fmt)
    except RecordsError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        records.close()
    if output:
        # newline="": the CSV rows end in CRLF already, as RFC 4180 asks.
        Path(output).write_text(text, encoding="utf-8", newline="")
    else:
        click.echo(text, nl=False)


@click.command("hash-password")
def hash_password() -> None:
    """Ask for a host console password (hidden); print its hash for GALLERY_HOST_PASSWORD_HASH."""
    from werkzeug.security import generate_password_hash

    password = click.prompt("Host password", hide_input=True, confirmation_prompt=True)
    if not password.strip():
        raise click.UsageError("the password is empty")
    click.echo(generate_password_hash(password))
