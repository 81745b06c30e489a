"""Precompressed copies of an archive's text files, for static servers that send them as they
are (nginx's gzip_static and brotli_static): `page.html.gz` and `page.html.br` beside each."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli
from isal import igzip

# Text the browser asks for; images, videos and PDFs are compressed already.
TEXT = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".vtt", ".txt", ".xml"})
# Below this, the headers of a compressed answer outweigh what it saves.
SMALLEST = 256
# Brotli's best takes ~10 ms a page: for thousands of pages, a quicker level within ~10% of
# its size (4 would be 9% larger again, for a fifth less time). The gzip copy, for the few
# browsers without Brotli, is ISA-L's best: about a quarter of zlib's level 6's time, 8%
# larger on a page. The few stylesheets and scripts every page loads get zlib's and
# Brotli's best.
PAGE_QUALITY = 5
PAGE_LEVEL = 3


def compressed(body: bytes, quality: int = 11, level: int = 9) -> tuple[bytes, bytes]:
    """Return `body` gzipped (zlib, `level`) and brotli-compressed (`quality`), the same bytes
    for the same input."""
    # mtime=0 and no file name in the header: a rebuild of the same files is byte-identical.
    gz = gzip.compress(body, compresslevel=level, mtime=0)
    return gz, brotli.compress(body, quality=quality)


def compressed_page(body: bytes) -> tuple[bytes, bytes]:
    """Return a page gzipped (ISA-L) and brotli-compressed at the quicker levels, the same
    bytes for the same input on one machine."""
    gz = igzip.compress(body, compresslevel=PAGE_LEVEL, mtime=0)
    return gz, brotli.compress(body, quality=PAGE_QUALITY)


def write_compressed(path: Path | str, body: bytes) -> bool:
    """Write .gz and .br beside the file `path`, whose bytes are `body`, if it is text that
    gains from it; return whether it was compressed."""
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1]
    if suffix.lower() not in TEXT or len(body) < SMALLEST:
        return False
    gz, br = compressed_page(body) if suffix == ".html" else compressed(body)
    for ending, data in ((".gz", gz), (".br", br)):
        if len(data) < len(body):
            with open(name + ending, "wb") as file_:
                file_.write(data)
    return True
