"""The commands for after the event: the static archive, the printed catalogue, the report."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_folders import exhibition_root
from .cli_records import data_option, open_records


@click.command()
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

    root = exhibition_root(directory)
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


@click.command()
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

    root = exhibition_root(directory)
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


@click.command()
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

    root = exhibition_root(directory)
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
