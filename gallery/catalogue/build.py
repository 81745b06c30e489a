"""`gallery catalogue`: the exhibition as a printed companion, in one language, as a tagged PDF.

The HTML comes from `templates/catalogue.html` rendered by the app (so texts, Markdown and
interface strings are the pages' own), and WeasyPrint lays it out with `static/css/
catalogue.css`: a cover, a table of contents with page numbers, a section per room, a page
per exhibit, the Demo Day programme. WeasyPrint may fetch only the exhibition's media and the
project's static files, through the app: a catalogue never asks another site for anything.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..content import ContentError
from ..content.model import Exhibition

# WeasyPrint resolves the page's URLs against this base; only it is ever fetched.
BASE = "http://catalogue.invalid/"
PAGE_STEP = re.compile(r"Creating layout - Page (\d+)")

Progress = Callable[[str, int | None], None]


class CatalogueError(Exception):
    """A catalogue that cannot be made; its message is for the organiser."""


def write_catalogue(
    root: Path,
    out: Path,
    lang: str | None = None,
    url: str | None = None,
    progress: Progress | None = None,
    rooms: Collection[str] = (),
    free: int | None = None,
    parts: int | None = None,
) -> int:
    """Write the catalogue of the exhibition in `root` to `out` in `lang`; return its pages.

    `url`, the public address of the gallery or of its archive, adds each exhibit's page and
    documents to the print, with QR codes; outbound links always get theirs. `rooms` (slugs)
    prints only those rooms. A catalogue that would need more memory than the machine has
    free (`free` bytes, or what the system says) is refused before its layout begins. A large
    catalogue is laid out in `parts` (by default as many as its size and the cores call
    for; 1 lays it out as one document) in forked workers, then merged into one PDF.
    """
    from ..app import create_app
    from . import memory, split
    from .context import printed_rooms

    config = {
        "ROOMS": str(root),
        "ARCHIVE": True,
        "SECRET_KEY": "catalogue",
        # Nothing else runs yet: the room folders are read on every core, as `gallery build`
        # reads them (a second of the serial start at 4,000 room files).
        "LOAD_WORKERS": os.cpu_count() or 1,
    }
    try:
        app = create_app(config)
    except ContentError as error:
        raise CatalogueError(error.refusal("no catalogue was written")) from None
    exhibition = app.extensions["gallery.site"].exhibition
    lang = lang or exhibition.default_language
    if lang not in exhibition.languages:
        written = ", ".join(exhibition.languages)
        raise CatalogueError(f"the exhibition is not written in '{lang}' (it is in {written})")
    if not out.parent.is_dir():
        raise CatalogueError(f"{out.parent}: no such directory")
    if out.is_dir():
        raise CatalogueError(f"{out}: is a directory; give the PDF file to write")
    printed = printed_rooms(exhibition)
    unknown = sorted(set(rooms) - {room.slug for room in printed})
    if unknown:
        slugs = ", ".join(room.slug for room in printed)
        raise CatalogueError(f"no room '{unknown[0]}' in the exhibition (its rooms: {slugs})")
    chosen = [room for room in printed if not rooms or room.slug in rooms]
    count = split.part_count(chosen, parts)
    exhibits = sum(len(room.exhibits) for room in chosen)
    held = split.held_exhibits(chosen, count)
    refusal = memory.shortage(exhibits, memory.available() if free is None else free, held)
    if refusal:
        raise CatalogueError(refusal)
    source = Source(app, exhibition, lang, url, rooms)
    if count < 2:
        return _write_pdf(source.html(), source.fetch, out, progress)
    return split.write_in_parts(source, chosen, count, out, progress)


class Source:
    """The catalogue's HTML, whole or a part of it, and WeasyPrint's URL fetcher for it."""

    def __init__(
        self, app: Any, exhibition: Exhibition, lang: str, url: str | None, rooms: Collection[str]
    ) -> None:
        from ..i18n import ltext
        from ..views.agenda import agenda_days, zone_label
        from .context import catalogue_context

        self.app, self.lang, self.exhibition = app, lang, exhibition
        with app.test_request_context(f"/{lang}/"):
            self.context = catalogue_context(exhibition, lang, url, rooms)
            self.context["days"] = agenda_days(exhibition, lang)
            self.context["zone"] = zone_label(exhibition, lang)
        self.title = ltext(exhibition.title, lang)
        self.fetch = _fetcher(app)

    def html(self, part: Any = None, toc_pages: dict[str, int] | None = None) -> str:
        """Render the catalogue's HTML, or only `part` of it with the contents' numbers."""
        context = {**self.context, "part": part, "toc_pages": toc_pages}
        with self.app.test_request_context(f"/{self.lang}/"):
            template = self.app.jinja_env.get_template("catalogue.html")
            return template.render(_full(self.app, context))


def _fetcher(app: Any) -> Any:
    """Return WeasyPrint's URL fetcher for the catalogue: the app's files and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    client = app.test_client()

    class AppFetcher(URLFetcher):
        """Fetch the catalogue's images and stylesheets from the app, and nothing else."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}/" != BASE:
                raise ValueError(f"a catalogue fetches nothing from other sites: {url}")
            response = client.get(parts.path)
            if response.status_code != 200:
                raise CatalogueError(f"{parts.path}: cannot be read ({response.status_code})")
            body = response.get_data()
            return URLFetcherResponse(url, body, {"Content-Type": response.content_type})

    return AppFetcher(fail_on_errors=True)


def _full(app: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Return the context with Flask's template globals added."""
    full = dict(context)
    app.update_template_context(full)
    return full


def _write_pdf(
    html: str,
    fetch: Any,
    out: Path,
    progress: Progress | None,
) -> int:
    """Lay the HTML out with WeasyPrint and write a tagged PDF; return its page count."""
    handler = _ProgressHandler(progress) if progress else None
    logger = logging.getLogger("weasyprint.progress")
    if handler:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        with _no_cycle_collection():
            document = lay_out(html, fetch)
            if progress:
                progress("Writing the PDF", None)
            partial = out.with_name(f".{out.name}.partial")
            try:
                write(document, partial)
                partial.replace(out)
            finally:
                partial.unlink(missing_ok=True)
    finally:
        if handler:
            logger.removeHandler(handler)
    return len(document.pages)


def lay_out(html: str, fetch: Any, css: str = "") -> Any:
    """Lay the catalogue's HTML out with WeasyPrint (and `css` after its own stylesheets)."""
    from weasyprint import CSS, HTML

    from .leaders import leaders_as_one_text
    from .margins import margin_widths_once

    extra = [CSS(string=css, base_url=BASE, url_fetcher=fetch)] if css else []
    with leaders_as_one_text(), margin_widths_once():
        return HTML(string=html, base_url=BASE, url_fetcher=fetch).render(
            stylesheets=extra, pdf_variant="pdf/ua-1", pdf_tags=True
        )


def write(document: Any, path: Path) -> None:
    """Write a laid-out catalogue, or part of one, as a tagged PDF (PDF/UA-1)."""
    from .pngs import pngs_as_they_are

    with _page_references_once(), pngs_as_they_are():
        document.write_pdf(path, pdf_variant="pdf/ua-1", pdf_tags=True)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Keep Python's cycle collector off while the catalogue is laid out and written.

    WeasyPrint keeps every laid-out page until the PDF is written, so each full collection
    walks all of them, more often and for longer the more pages there are: a third of the CPU
    at 433 pages. Young collections free little (a few percent of the peak) for a tenth of the
    CPU at 2,000 pages; what they would free waits until the PDF is written.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _page_references_once() -> Iterator[None]:
    """Let pydyf build its tuple of page references once per page count, not once per use.

    WeasyPrint asks for it for each tagged element and link, and pydyf builds it anew from
    the page tree each time: time in the square of the pages (a third of a 2,000-page write).
    """
    import pydyf

    built = pydyf.PDF.page_references

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        memo = pdf.__dict__.get("_gallery_page_references")
        if memo is None or memo[0] != count:
            memo = pdf.__dict__["_gallery_page_references"] = (count, built.fget(pdf))
        return memo[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = built


class _ProgressHandler(logging.Handler):
    """Turn WeasyPrint's progress messages into calls of `progress(step, page)`."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        """Report one rendering step, with its page number while pages are laid out."""
        message = record.getMessage()
        found = PAGE_STEP.search(message)
        self.progress(message, int(found.group(1)) if found else None)
