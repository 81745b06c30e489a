"""The `gallery` command line: a click group whose commands import their work lazily."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_records import data_option, open_records


@click.group()
@click.version_option(package_name="gallery")
def cli() -> None:
    """Serve and check virtual exhibitions written as room files."""


def _rooms_dir(directory: str | None) -> Path:
    """Return the exhibition folder: the argument, the current folder, ./rooms, or the sample."""
    from .resources import default_rooms

    return Path(directory) if directory else default_rooms()


def _folder(directory: str | None) -> tuple[Path, str, str]:
    """Return the exhibition folder, the prefix of its files in messages, and how to name it.

    Without DIR: the current folder when it holds gallery.yaml, then ./rooms, then the sample,
    so that `gallery check` inside one's exhibition checks that exhibition.
    """
    from .resources import resource

    root = _rooms_dir(directory)
    if directory:
        return root, directory, f"{directory.rstrip('/')}/"
    if root == Path.cwd():
        return root, "", f"{root.name}/ (the current folder)"
    if root == resource("rooms"):
        return root, str(root), f"the sample exhibition that comes with gallery ({root}/)"
    return root, "rooms", "rooms/"


def _sample_note(root: Path) -> None:
    """Say, on stderr, that the sample is used because no exhibition was found here."""
    from .resources import resource

    if root == resource("rooms"):
        click.echo(
            "No gallery.yaml in the current folder nor in ./rooms: using the sample exhibition."
            " Give a folder (`gallery check DIR`) or start one with `gallery new DIR`.",
            err=True,
        )


def _exhibition_root(directory: str | None) -> Path:
    """Return the exhibition folder to read (as `_rooms_dir`), refusing one with no gallery.yaml."""
    root = _rooms_dir(directory)
    if not (root / "gallery.yaml").is_file():
        raise click.UsageError(f"{root}: no gallery.yaml in this directory")
    return root


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

    root, display, name = _folder(directory)
    if not root.is_dir():
        raise click.UsageError(f"{root}: no such directory")
    if not directory:
        _sample_note(root)
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
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the archive to; replaced whole when it holds a previous build.",
)
@click.option("--force", is_flag=True, help="Replace OUT even when it is not a previous build.")
@click.option(
    "--live",
    is_flag=True,
    help="Write the pages as the running gallery serves them now (live parts on), for nginx "
    "to serve in front of it; OUT/current is the web root (docs/deploy.md).",
)
@data_option
def build(directory: str | None, out: Path, force: bool, live: bool, data: str | None) -> None:
    """Write the exhibition as a static archive: every page, in every language, with its media."""
    from tqdm import tqdm

    from .archive import BuildError, build_archive
    from .archive.sweep import remove_later

    root = _exhibition_root(directory)
    if live:
        _build_live(root, out, data)
        return
    with tqdm(desc="Pages", unit=" page", disable=None, leave=False) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            # The previous build is deleted after the command returns: it is out of the way.
            built = build_archive(
                root, out, force=force, data=data, progress=progress, discard=remove_later
            )
        except BuildError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            raise click.ClickException(f"the build failed, nothing was written: {error}") from None
        except KeyboardInterrupt:
            raise _interrupted("nothing was written") from None
    size = built.size / 1_000_000
    click.echo(f"Built {out}: {built.pages} pages, {built.files} files, {size:.1f} MB.")


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF file to write.",
)
@click.option("--lang", help="Language of the catalogue (default: the exhibition's first).")
@click.option(
    "--url",
    metavar="URL",
    help="Public address of the gallery or its archive: prints each exhibit's page and "
    "documents with QR codes.",
)
@click.option(
    "--room",
    "rooms",
    multiple=True,
    metavar="SLUG",
    help="Print only this room (repeat for several): a catalogue in parts.",
)
def catalogue(
    directory: str | None, out: Path, lang: str | None, url: str | None, rooms: tuple[str, ...]
) -> None:
    """Write the exhibition's printed catalogue as a tagged PDF."""
    from tqdm import tqdm

    from .catalogue import CatalogueError, write_catalogue

    root = _exhibition_root(directory)
    if url and not url.startswith(("https://", "http://")):
        raise click.BadParameter("must start with https:// or http://", param_hint="'--url'")
    with tqdm(desc="Laying out", unit=" page", disable=None, leave=False) as bar:

        def progress(step: str, page: int | None) -> None:
            if page is not None:
                bar.update(page - bar.n)
            else:
                bar.set_description(step.split(" - ")[-1])

        try:
            pages = write_catalogue(root, out, lang=lang, url=url, progress=progress, rooms=rooms)
        except CatalogueError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
        except KeyboardInterrupt:
            raise _interrupted("no catalogue was written") from None
    click.echo(f"Wrote {out}: {pages} pages.")


def _interrupted(what: str) -> SystemExit:
    """Say that Ctrl-C stopped a long command, and what it left; return its exit (130)."""
    click.echo(f"Interrupted: {what}.", err=True)
    return SystemExit(130)


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@data_option
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write; the CSV of the counts goes beside it.",
)
@click.option("--lang", help="Language of the report (default: the exhibition's first).")
def report(directory: str | None, data: str | None, out: Path, lang: str | None) -> None:
    """Write the attendance report: one self-contained HTML page, and its counts as CSV."""
    from .app import create_app
    from .attendance.page import write_report
    from .records import RecordsError

    root = _exhibition_root(directory)
    open_records(data, must_exist=True)
    app = create_app({"ROOMS": str(root), **({"DATA_DIR": data} if data else {})})
    exhibition = app.extensions["gallery.site"].exhibition
    if lang and lang not in exhibition.languages:
        raise click.BadParameter(
            f"the exhibition is not written in '{lang}'", param_hint="'--lang'"
        )
    try:
        figures = write_report(app, out, lang)
    except RecordsError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
    click.echo(f"Wrote {out} ({figures} charts) and {out.with_suffix('.csv')}.")


def _build_live(root: Path, out: Path, data: str | None) -> None:
    """Write the live pages once, with the host's recorded decisions (`gallery build --live`)."""
    from .archive import BuildError
    from .archive.live import build_live

    try:
        published = build_live(root, out, data)
    except BuildError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"the build failed, nothing was swapped in: {error}") from None
    click.echo(
        f"Built {out / 'current'}: {len(published.pages)} pages as files, "
        f"{len(published.dynamic)} left to the gallery."
    )


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

    root, _, name = _folder(directory)
    if not (root / "gallery.yaml").is_file():
        raise click.UsageError(f"{root}: no gallery.yaml in this directory")
    if not directory:
        _sample_note(root)
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
    """Attach the commands written in their own modules: starting, and the records."""
    from .cli_records import db, export_questions, hash_password
    from .cli_scaffold import new, new_exhibit_command, new_room_command

    for command in (new, new_room_command, new_exhibit_command, db, export_questions):
        cli.add_command(command)
    cli.add_command(hash_password)


_register()
