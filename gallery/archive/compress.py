"""Precompressed copies of an archive's text files, for static servers that send them as they
are (nginx's gzip_static and brotli_static): `page.html.gz` and `page.html.br` beside each."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli

# Text the browser asks for; images, videos and PDFs are compressed already.
TEXT = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".vtt", ".txt", ".xml"})
# Below this, the headers of a compressed answer outweigh what it saves.
SMALLEST = 256
# Brotli's best takes ~10 ms a page: for thousands of pages, a quicker level within ~10% of
# its size; gzip's default level is 20% quicker than its best, within 0.5% of its size on a
# page. The few stylesheets and scripts every page loads get the best of both.
PAGE_QUALITY = 5
PAGE_LEVEL = 6


def compressed(body: bytes, quality: int = 11, level: int = 9) -> tuple[bytes, bytes]:
    """Return `body` gzipped and brotli-compressed, the same bytes for the same input."""
    # mtime=0 and no file name in the header: a rebuild of the same files is byte-identical.
    gz = gzip.compress(body, compresslevel=level, mtime=0)
    return gz, brotli.compress(body, quality=quality)


def write_compressed(path: Path | str, body: bytes) -> bool:
    """Write .gz and .br beside the file `path`, whose bytes are `body`, if it is text that
    gains from it; return whether it was compressed."""
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1]
    if suffix.lower() not in TEXT or len(body) < SMALLEST:
        return False
    page = suffix == ".html"
    gz, br = compressed(body, PAGE_QUALITY if page else 11, PAGE_LEVEL if page else 9)
    for ending, data in ((".gz", gz), (".br", br)):
        if len(data) < len(body):
            with open(name + ending, "wb") as file_:
                file_.write(data)
    return True
