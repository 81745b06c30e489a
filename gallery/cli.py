"""The `gallery` command line: a click group whose commands import their work lazily."""

from __future__ import annotations

import click

from .cli_folders import folder, sample_note
from .cli_records import data_option


@click.group()
@click.version_option(package_name="gallery")
def cli() -> None:
    """Serve and check virtual exhibitions written as room files."""


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of problems (file, line, column, severity, message, hint) for editors.",
)
def check(directory: str | None, strict: bool, fmt: str) -> None:
    """Check an exhibition's room files and report every problem found.

    Without DIR: the current folder when it holds gallery.yaml, else ./rooms, else the sample.
    """
    from .content import load_exhibition, summary
    from .terminal import as_json, render_all

    root, display, name = folder(directory)
    if not root.is_dir():
        raise click.UsageError(f"{root}: no such directory")
    if not directory:
        sample_note(root)
    result = load_exhibition(root, display=display)
    closing = f"Checked {name}: {summary(result.diagnostics, result.files)}"
    if fmt == "json":
        click.echo(as_json(result.diagnostics))
        click.echo(closing, err=True)  # the standard output stays one JSON document
    else:
        click.echo(render_all(result.diagnostics), nl=False)
        click.echo(closing)
    if result.errors or (strict and result.warnings):
        raise SystemExit(1)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--reload/--no-reload",
    default=True,
    show_default=True,
    help="Preview: reload the room files when they change, refresh the open pages and show "
    "the files' errors on them. Serve visitors with --no-reload.",
)
@data_option
@click.option(
    "--clock",
    metavar="MOMENT",
    envvar="GALLERY_CLOCK",
    help="Run as if it were MOMENT (e.g. 2021-06-17T14:00+02:00), the clock running on "
    "from there: to rehearse a Demo Day. Also GALLERY_CLOCK.",
)
@click.option(
    "--redis",
    metavar="URL",
    envvar="GALLERY_REDIS_URL",
    help="Share presence and live events with the other servers on this Redis "
    "(redis://host:6379/0), to run several servers behind a load balancer. "
    "Also GALLERY_REDIS_URL.",
)
def serve(
    directory: str | None,
    host: str,
    port: int,
    reload: bool,
    data: str | None,
    clock: str | None,
    redis: str | None,
) -> None:
    """Serve an exhibition to visitors, with live presence.

    Without DIR: the current folder when it holds gallery.yaml, else ./rooms, else the sample.
    """
    from .clock import parse_moment
    from .content import ContentError
    from .records import RecordsError
    from .serve import run
    from .terminal import render_all

    root, _, name = folder(directory)
    if not (root / "gallery.yaml").is_file():
        raise click.UsageError(f"{root}: no gallery.yaml in this directory")
    if not directory:
        sample_note(root)
    click.echo(f"Exhibition: {name}", err=True)
    if clock:
        try:
            parse_moment(clock)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--clock'") from None
    try:
        run(
            root,
            host=host,
            port=port,
            reload=reload,
            data=data,
            clock=clock or None,
            redis=redis or None,
        )
    except ContentError as exc:
        click.echo(render_all(exc.diagnostics), err=True, nl=False)
        raise click.ClickException("the exhibition holds errors; nothing was served") from exc
    except RecordsError as exc:
        raise click.ClickException(f"{exc}; nothing was served") from exc


def _register() -> None:
    """Attach the commands written in their own modules: starting, the records, after the event."""
    from .cli_after import build, catalogue, report
    from .cli_records import db, export_questions, hash_password
    from .cli_scaffold import new, new_exhibit_command, new_room_command

    for command in (new, new_room_command, new_exhibit_command, db, export_questions):
        cli.add_command(command)
    for command in (hash_password, build, catalogue, report):
        cli.add_command(command)


_register()
