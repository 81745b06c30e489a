"""Compressed answers: the coding a client accepts, and bodies compressed once per version.

Pages and text assets go out in Brotli or gzip when the request's Accept-Encoding allows
it. A body is compressed once per version of its content and kept with it: a cached page
keeps its forms in the page cache (so for one snapshot and programme phase), a static or
media file in `FileForms` (for one size and modification time). Bodies under `MIN_SIZE`,
and media that are compressed already (images, video, PDF, fonts), go out as they are.

Each form has its own ETag (the identity ETag with "-br" or "-gzip" added), and every
answer that could have been compressed says `Vary: Accept-Encoding`, so shared caches
keep the forms apart. Output is deterministic (gzip without a timestamp), so the front
cache's replay and Flask's own answer stay byte for byte the same.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Response, request
from werkzeug.http import parse_accept_header

# In order of preference: Brotli is about a fifth smaller than gzip on these pages.
CODINGS = ("br", "gzip")
# Below about a kilobyte the saving is smaller than the cost of a header and a decoder.
MIN_SIZE = 1024
# What is worth compressing; images, audio, video, PDF and WOFF2 are compressed already.
TEXT_TYPES = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "text/csv",
        "text/vtt",
        "text/markdown",
        "text/xml",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/manifest+json",
        "image/svg+xml",
    }
)
# Brotli at quality 8 takes about a millisecond for a page or a stylesheet; the best quality
# (11, what `gallery build` spends on its archive) saves another 8 % for 100 to 300 ms of CPU
# per file, which the first visitor after a start or a reload would wait for.
QUALITY = 8
# Files larger than this are sent as they are (a caption file is tens of KB; this is a bound).
FILE_MAX = 4 * 1024 * 1024


@lru_cache(maxsize=256)
def negotiate(accept_encoding: str | None) -> str | None:
    """Return the coding to answer an Accept-Encoding header with: "br", "gzip" or None."""
    if not accept_encoding:
        return None
    accepted = parse_accept_header(accept_encoding)
    best, quality = None, 0.0
    for coding in CODINGS:
        found = accepted.quality(coding)  # "*" included
        if found > quality:
            best, quality = coding, found
    return best


def requested_coding() -> str | None:
    """Return the coding this request accepts best, or None for the body as it is."""
    return negotiate(request.headers.get("Accept-Encoding"))


def compressible(mimetype: str | None) -> bool:
    """Tell whether a body of this media type is worth compressing."""
    return (mimetype or "").split(";", 1)[0].strip().lower() in TEXT_TYPES


def encode(body: bytes, coding: str, quality: int = QUALITY) -> bytes:
    """Return `body` compressed with `coding`, the same bytes every time."""
    if coding == "br":
        return brotli.compress(body, quality=quality, mode=brotli.MODE_TEXT)
    return gzip.compress(body, compresslevel=9, mtime=0)


def coded_etag(etag: str, coding: str | None) -> str:
    """Return the ETag of the `coding` form of a body whose ETag is `etag`."""
    return f"{etag}-{coding}" if coding else etag


def off_the_loop(work: Callable[[], bytes]) -> bytes:
    """Run CPU-heavy `work` in gevent's thread pool when serving on gevent, else here.

    Brotli releases the GIL while it compresses, so visitors are answered meanwhile.
    """
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return work()
    if not monkey.is_module_patched("socket"):
        return work()
    return get_hub().threadpool.spawn(work).get()


class Forms:
    """A body with its ETag, and its compressed forms, each made on first use."""

    __slots__ = ("_forms", "body", "etag", "quality")

    def __init__(self, body: bytes, etag: str, quality: int = QUALITY) -> None:
        self.body = body
        self.etag = etag
        self.quality = quality
        self._forms: dict[str, bytes] = {}

    def get(self, coding: str | None) -> tuple[bytes, str, str | None]:
        """Return the body in `coding` if worth it: (bytes, ETag, coding used or None)."""
        if coding is None or len(self.body) < MIN_SIZE:
            return self.body, self.etag, None
        form = self._forms.get(coding)
        if form is None:
            form = self._forms.setdefault(coding, encode(self.body, coding, self.quality))
        return form, coded_etag(self.etag, coding), coding


class FileForms:
    """Compressed forms of files, one per file version and coding, within a byte budget."""

    def __init__(self, budget: int = 32 * 1024 * 1024) -> None:
        self.budget = budget
        self.size = 0
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[str, int, int, str], bytes] = OrderedDict()

    def get(self, path: Path, coding: str) -> bytes | None:
        """Return the `coding` form of file `path`, or None when it is sent as it is."""
        try:
            info = path.stat()
        except OSError:
            return None
        if not MIN_SIZE <= info.st_size <= FILE_MAX:
            return None
        key = (str(path), info.st_size, info.st_mtime_ns, coding)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        try:
            body = path.read_bytes()
        except OSError:
            return None
        # A large library (hls.js: 600 KB, 0.3 s) must not hold up the event loop.
        compressed = off_the_loop(lambda: encode(body, coding))
        with self._lock:
            if key not in self._kept:
                self._kept[key] = compressed
                self.size += len(compressed)
            while self.size > self.budget and len(self._kept) > 1:
                _key, dropped = self._kept.popitem(last=False)
                self.size -= len(dropped)
        return compressed


def recode_file(response: Response, body: bytes, etag: str, coding: str) -> Response:
    """Put the `coding` form `body` of a file in `response` (made by send_file, not yet
    conditional), with the ETag of that form; return it for `make_conditional`."""
    response.close()  # the file send_file opened is not read
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = coding
    response.vary.add("Accept-Encoding")
    response.set_etag(coded_etag(etag, coding))
    return response


def compress_response(response: Response) -> Response:
    """Compress a text answer made for this request alone, on the fly (an after_request hook).

    Answers that chose their form already (cached pages, files) say `Vary: Accept-Encoding`
    and are left alone, as are streams, files and anything but a 200.
    """
    if (
        response.status_code != 200
        or request.method not in ("GET", "HEAD")
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or "accept-encoding" in {value.lower() for value in response.vary}
        or not compressible(response.mimetype)
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.vary.add("Accept-Encoding")
    coding = requested_coding()
    if coding is None:
        return response
    response.set_data(encode(body, coding))
    response.headers["Content-Encoding"] = coding
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(coded_etag(etag, coding), weak)
        # The view compared the client's validators with the plain body's ETag.
        response.make_conditional(request)
    return response
