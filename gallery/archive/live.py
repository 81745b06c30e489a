"""`gallery build --live`: the live gallery's pages as files, for nginx to serve in front of it.

Unlike the archive, these are the pages visitors get from the running gallery now: live
parts on, the programme as it stands, absolute URLs. The live parts of a page are the same
for every visitor (their per-visitor state is filled in by the live scripts), so a page the
gallery would give everyone alike is a file like any other. A page the gallery answers per
request (a Set-Cookie, a Vary on more than the coding, `no-store`, a status other than 200,
such as a room before the opening) is left out: the web server hands its URL to the gallery.

Layout of the output folder `out`, the web server's root being `out/current`:

    out/.gallery-pages          marks the folder as ours, so a later build may replace it
    out/current -> .versions/N  swapped atomically (a symlink renamed over the old one)
    out/.versions/N/            fr/index.html (+ .gz, .br), fr/rooms/hall/index.html, ...,
                                static/... (every interface file), media/... (the media the
                                room files name), theme.css

A file unchanged since the previous version is hard-linked from it with its compressed
forms, so that publishing again after a host's decision costs the rendering of the pages and
little else. The running gallery publishes again whenever the room files or the programme
phase change (`gallery.serve`, `PAGES_DIR`), pausing between files so visitors are answered.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import urllayout as layout
from ..content.mediatypes import media_type
from .build import replaceable
from .compress import TEXT, write_compressed
from .crawl import BuildError, start_pages
from .relink import relink_html, url_to_file

MARKER = ".gallery-pages"
MARKER_TEXT = "Pages as files written by `gallery build --live`; replaced by the next.\n"
VERSIONS = ".versions"
CURRENT = "current"
FORMS = (".gz", ".br")
# Only what is the same for everyone may become a file.
SHAREABLE_VARY = frozenset({"accept-encoding"})


@dataclass
class Published:
    """What a live build wrote: the version folder, pages written and those left to the app."""

    folder: Path
    pages: list[str] = field(default_factory=list)
    dynamic: list[str] = field(default_factory=list)
    files: int = 0
    reused: int = 0


def check_pages_output(root: Path, out: Path) -> None:
    """Refuse an output folder that is neither empty nor a previous live build, or that is
    inside the exhibition or holds it (the files written would count as room file changes)."""
    root, target = root.resolve(), out.resolve()
    if target == root or target in root.parents or root in target.parents:
        raise BuildError(f"{out}: the pages may not be written inside the exhibition or around it")
    if not replaceable(out, MARKER):
        raise BuildError(f"{out}: exists and is not a previous `gallery build --live`")


def publish(app: Any, out: Path, pause: Callable[[], None] = lambda: None) -> Published:
    """Write the app's pages, interface files and media as a new version under `out` and make
    it current in one step; `pause` is called between files (to let other work run)."""
    check_pages_output(app.extensions["gallery.site"].root, out)
    out.mkdir(exist_ok=True)
    (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    versions = out / VERSIONS
    versions.mkdir(exist_ok=True)
    current = out / CURRENT
    previous = current.resolve() if current.is_symlink() else None
    folder = versions / str(time.time_ns())
    folder.mkdir()
    try:
        writer = Writer(folder, previous, pause)
        published = writer.published
        _pages(app, writer)
        _static(app, writer)
        _media(app, writer)
        theme = app.test_client().get("/theme.css")
        writer.write("theme.css", theme.get_data())
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    os.chmod(folder, 0o755)
    swap = out / f".{CURRENT}.{folder.name}"
    swap.symlink_to(Path(VERSIONS) / folder.name)
    # rename(2) replaces the link at once: the web server sees the old version or the new.
    os.replace(swap, current)
    for old in versions.iterdir():
        # The previous version stays a while: a response being sent may still read from it.
        if old.name not in (folder.name, previous.name if previous else None):
            shutil.rmtree(old, ignore_errors=True)
    return published


def build_live(root: Path, out: Path, data: str | None = None) -> Published:
    """Publish the exhibition in `root` once into `out`, as a server recording into the data
    folder `data` would serve it now (the host's recorded decisions included)."""
    from ..app import create_app
    from ..content import ContentError
    from ..records import records_of

    settings: dict[str, Any] = {"ROOMS": str(root), "FRONT_CACHE": False}
    if data:
        settings["DATA_DIR"] = data
    try:
        app = create_app(settings)
    except ContentError as error:
        raise BuildError(error.refusal("nothing was built")) from None
    records = records_of(app)
    records.upgrade()
    app.extensions["gallery.stage"].restore(records.session_states())
    return publish(app, out)


class Keeper:
    """Publishes the pages again whenever the room files or the programme phase changed."""

    def __init__(self, app: Any, out: Path, pause: Callable[[], None] = lambda: None) -> None:
        self.app = app
        self.out = out
        self.pause = pause
        self.published: Hashable = None

    def step(self) -> Published | None:
        """Publish if what the pages show changed since the last time; return what was."""
        from ..site import programme_phase

        extensions = self.app.extensions
        site, stage = extensions["gallery.site"], extensions["gallery.stage"]
        key = (site.snapshot.version, programme_phase(site, stage, extensions["gallery.clock"]))
        if key == self.published:
            return None
        result = publish(self.app, self.out, self.pause)
        self.published = key
        return result


class Writer:
    """Writes the files of one version, linking those unchanged since the previous one."""

    def __init__(self, folder: Path, previous: Path | None, pause: Callable[[], None]) -> None:
        self.folder = folder
        self.previous = previous
        self.pause = pause
        self.published = Published(folder)

    def target(self, name: str) -> Path:
        """Return where file `name` goes, never outside the version (URLs come from files)."""
        target = self.folder / name
        if self.folder.resolve() not in target.resolve().parents:
            raise BuildError(f"{name}: would be written outside the pages folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, name: str, body: bytes) -> None:
        """Write `name` with `body`, and its compressed forms when it is text worth it."""
        self.pause()
        target = self.target(name)
        old = self.previous / name if self.previous else None
        if old is not None and old.is_file() and old.read_bytes() == body:
            self._link(old, target)
            return
        target.write_bytes(body)
        write_compressed(target, body)
        self.published.files += 1

    def copy(self, name: str, source: Path) -> None:
        """Copy the file `source` as `name` (with its time), or link the previous copy."""
        self.pause()
        target = self.target(name)
        old = self.previous / name if self.previous else None
        if old is not None and old.is_file():
            here, there = source.stat(), old.stat()
            if (here.st_size, int(here.st_mtime)) == (there.st_size, int(there.st_mtime)):
                self._link(old, target)
                return
        shutil.copy2(source, target)
        if target.suffix.lower() in TEXT:
            write_compressed(target, target.read_bytes())
        self.published.files += 1

    def _link(self, old: Path, target: Path) -> None:
        """Hard-link a file of the previous version and its compressed forms."""
        for suffix in ("", *FORMS):
            source = old.with_name(old.name + suffix)
            if source.is_file():
                _link_or_copy(source, target.with_name(target.name + suffix))
        self.published.reused += 1


def _link_or_copy(source: Path, target: Path) -> None:
    """Hard-link `source` as `target`, copying when the file system cannot link."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _pages(app: Any, writer: Writer) -> None:
    """Render every page reachable from the exhibition's own; write those alike for everyone."""
    from ..security import exhibition_policy

    exhibition = app.extensions["gallery.site"].exhibition
    languages = tuple(exhibition.languages)
    policy = exhibition_policy(exhibition)
    client = app.test_client()
    queue = deque(start_pages(exhibition))
    queued = set(queue)

    def seen(url: str) -> None:
        path = url.split("#", 1)[0].split("?", 1)[0]
        first = path.split("/")[1:2]
        if first and first[0] in languages and path.endswith("/") and path not in queued:
            queued.add(path)
            queue.append(path)

    while queue:
        path = queue.popleft()
        writer.pause()
        response = client.get(path)
        html = response.get_data(as_text=True)
        relink_html(html, url_to_file(path), seen)  # only to find the links
        if not shareable(response):
            writer.published.dynamic.append(path)
            continue
        writer.write(url_to_file(path), with_policy(html, policy).encode("utf-8"))
        writer.published.pages.append(path)


def shareable(response: Any) -> bool:
    """Tell whether an answer of the app is the same for every visitor, so it may be a file."""
    if response.status_code != 200 or "Set-Cookie" in response.headers:
        return False
    if "no-store" in response.headers.get("Cache-Control", ""):
        return False
    vary = {part.strip().lower() for part in response.headers.get("Vary", "").split(",")}
    return not (vary - SHAREABLE_VARY - {""})


def with_policy(html: str, policy: str) -> str:
    """Put the exhibition's part of the CSP in the page's head, right after its charset."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    charset = '<meta charset="utf-8">'
    if charset not in html:
        raise BuildError("a page has no <meta charset> to put its policy after")
    return html.replace(charset, f"{charset}\n{meta}", 1)


def _static(app: Any, writer: Writer) -> None:
    """Copy every interface file (scripts import others no page names)."""
    root = Path(app.static_folder)
    for source in sorted(root.rglob("*")):
        if source.is_file() and not source.name.startswith("."):
            writer.copy("static/" + source.relative_to(root).as_posix(), source)


def _media(app: Any, writer: Writer) -> None:
    """Copy the media files the room files name, as the gallery would serve them."""
    from ..views.media import ACTIVE_TYPES, resolve

    site = app.extensions["gallery.site"]
    referenced = site.exhibition.media
    for path in sorted(referenced):
        found = resolve(site.root, path, referenced)
        # Files a browser would run as a document go out as downloads, which a plain file
        # server would not do: they stay with the gallery.
        if found is None or media_type(found) in ACTIVE_TYPES:
            continue
        writer.copy(layout.MEDIA_PREFIX.lstrip("/") + path, found)
