"""The crawl of `gallery build`: every page reachable from the exhibition's own, as files.

A crawl from each language's pages follows every internal link, so that a page type added
later is kept too; a link the archive cannot hold fails the build rather than leaving it
broken. The pages the exhibition names are rendered by forked workers, one per core, in
chunks; the pages and files only they found links to are rendered and copied afterwards.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from ..content import Exhibition
from ..content import urllayout as layout
from ..content.workers import Workers, can_fork
from .compress import write_compressed
from .relink import relink_css, relink_html, url_to_file
from .render import Renderer


class BuildError(Exception):
    """A build that cannot be made; its message is for the organiser."""


@dataclass
class Built:
    """What a build wrote: pages, other files, and bytes before compression."""

    pages: int = 0
    files: int = 0
    size: int = 0


Progress = Callable[[int, int], None]


def start_pages(exhibition: Exhibition) -> list[str]:
    """Return the pages the exhibition names: lobbies, rooms, exhibits, agenda, questions."""
    paths = []
    for lang in exhibition.languages:
        paths += [layout.lobby_url(lang), layout.agenda_url(lang)]
        for room in exhibition.rooms:
            paths.append(layout.room_url(lang, room.slug))
            paths += [layout.exhibit_url(lang, room.slug, e.slug) for e in room.exhibits]
        paths += [layout.questions_url(lang, s.id) for s in exhibition.agenda]
    return paths


# Pages a worker renders at once: large enough to pay for the hand-over, small enough to share.
CHUNK = 64


def _chunks(paths: list[str], workers: int) -> list[list[str]]:
    """Split `paths` into chunks of CHUNK pages, the last ones a quarter of that: a worker
    done early then waits for a short chunk, not a full one, before the build ends."""
    short = max(1, CHUNK // 4)
    end = max(0, len(paths) - workers * CHUNK) // CHUNK * CHUNK
    chunks = [paths[i : i + CHUNK] for i in range(0, end, CHUNK)]
    return chunks + [paths[i : i + short] for i in range(end, len(paths), short)]


class Crawl:
    """Render pages breadth-first from each language's own, following internal links."""

    def __init__(self, app: Any, out: Path, progress: Progress | None) -> None:
        self.app = app
        self.renderer = Renderer(app)
        exhibition = self.exhibition = app.extensions["gallery.site"].exhibition
        self.out = out
        self.root = str(out.resolve())
        self.folders: set[str] = set()
        self.progress = progress
        self.built = Built()
        self.pages: deque[str] = deque()
        self.queued: set[str] = set()
        self.assets: set[str] = set()
        self.languages = tuple(exhibition.languages)

    def run(self) -> Built:
        """Render every page reachable from the exhibition's own, then the files they use."""
        start = self.start_pages()
        self.queued.update(start)
        self.render_in_parallel(start)
        while self.pages:
            path = self.pages.popleft()
            self.page(path, url_to_file(path), 200)
            if self.progress:
                self.progress(self.built.pages, len(self.queued))
        # Written at the root: static hosts answer unknown paths with it.
        self.page(f"/{self.languages[0]}/.archive-404/", "404.html", 404)
        self.redirect_page()
        copied: set[str] = set()
        # Stylesheets may name more files (fonts, images): copy until nothing new turns up.
        while pending := sorted(self.assets - copied):
            for path in pending:
                self.asset(path)
                copied.add(path)
        return self.built

    def render_in_parallel(self, paths: list[str]) -> None:
        """Render `paths` in forked workers, one per core, and gather what their pages link to.

        Workers inherit the loaded app (fork), render their share and write it; the links
        they found come back, so pages and files only they saw are still rendered and copied.
        """
        workers = min(os.cpu_count() or 1, max(1, len(paths) // CHUNK))
        forked = workers > 1 and can_fork()
        if forked:
            # What the workers inherit stays out of their cycle collections: each would walk
            # the whole loaded exhibition, and write to every page of it they share.
            gc.freeze()
        try:
            # A worker per core, each handed the next chunk as it sends one back; a failed
            # or interrupted build stops them all at once: the pages left are of no use.
            with Workers(workers, self.render_chunk) as pool:
                for built, links in pool.map(_chunks(paths, workers)):
                    self.built.pages += built.pages
                    self.built.files += built.files
                    self.built.size += built.size
                    for url in links:
                        self.seen(url)
                    if self.progress:
                        self.progress(self.built.pages, len(self.queued))
        finally:
            if forked:
                gc.unfreeze()

    def render_chunk(self, paths: list[str]) -> tuple[Built, list[str]]:
        """Render some pages on their own; return what was written and the URLs they use."""
        found: list[str] = []
        saved, self.built = self.built, Built()
        try:
            for path in paths:
                self.page(path, url_to_file(path), 200, found.append)
            # Once each, in the order first found: the parent sorts them as if it saw all.
            return self.built, list(dict.fromkeys(found))
        finally:
            self.built = saved

    def start_pages(self) -> list[str]:
        """Return the pages the exhibition names: lobbies, rooms, exhibits, agenda, questions."""
        return start_pages(self.exhibition)

    def queue(self, path: str) -> None:
        """Plan to render the page at `path` once."""
        if path not in self.queued:
            self.queued.add(path)
            self.pages.append(path)

    def seen(self, url: str) -> None:
        """Sort a URL found in a page: another page to render, or a file to copy."""
        path = url.split("#", 1)[0].split("?", 1)[0]
        if path.startswith(("/static/", layout.MEDIA_PREFIX)) or path == "/theme.css":
            self.assets.add(path)
        elif path == "/" or (path.split("/")[1:2] and path.split("/")[1] in self.languages):
            if path != "/":
                self.queue(path)
        else:
            raise BuildError(f"a page links to {url}, which a static archive cannot hold")

    def page(
        self, path: str, file: str, status: int, seen: Callable[[str], None] | None = None
    ) -> None:
        """Render one page and write it, its links made relative; `seen` hears of each URL."""
        answer = self.renderer.get(path)
        if answer.status != status:
            raise BuildError(f"{path}: the page answered {answer.status}")
        html = relink_html(answer.text(), file, seen or self.seen)
        self.write(file, html.encode("utf-8"))
        self.built.pages += 1

    def redirect_page(self) -> None:
        """Write the root index: it sends visitors to the lobby in the default language."""
        lobbies = [(lang, f"{lang}/index.html") for lang in self.languages]
        title = escape(self.exhibition.title.get(self.languages[0]))
        links = "".join(
            f'<li><a href="{href}" hreflang="{lang}" lang="{lang}">{escape(lang)}</a></li>'
            for lang, href in lobbies
        )
        html = (
            f'<!doctype html>\n<html lang="{self.languages[0]}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="refresh" content="0; url={lobbies[0][1]}">\n'
            f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n<ul>{links}</ul>\n"
            "</body>\n</html>\n"
        )
        self.write("index.html", html.encode("utf-8"))
        self.built.pages += 1

    def asset(self, path: str) -> None:
        """Copy a static file, a media file or the theme's stylesheet into the archive."""
        file = url_to_file(path)
        answer = self.renderer.get(path)
        if answer.status != 200:
            raise BuildError(f"{path}: cannot be read ({answer.status})")
        body = answer.body
        if file.endswith(".css"):
            body = relink_css(body.decode("utf-8"), file, self.seen).encode("utf-8")
        self.write(file, body)

    def write(self, file: str, body: bytes) -> None:
        """Write one file of the archive, never outside it (URLs come from room files), with
        its compressed copies: made here, they are made by the workers, in parallel."""
        # The archive holds only regular files the build wrote, no links: the path's text
        # says where it lands.
        target = os.path.normpath(os.path.join(self.root, file))
        if not target.startswith(self.root + os.sep):
            raise BuildError(f"{file}: would be written outside the archive")
        folder = os.path.dirname(target)
        if folder not in self.folders:
            try:
                os.mkdir(folder)  # most pages are a folder of their own, in one that exists
            except OSError:  # its parent missing, or there already: the slower way says which
                os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        with open(target, "wb") as file_:
            file_.write(body)
        write_compressed(target, body)
        self.built.files += 1
        self.built.size += len(body)
