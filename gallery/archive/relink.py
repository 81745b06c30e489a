"""Turn the site's absolute URLs into links relative to the file that holds them.

A page served at `/fr/rooms/hall/` becomes the file `fr/rooms/hall/index.html`, and its link
to `/fr/rooms/lab/` becomes `../lab/index.html`: relative links work under any sub-path of
any static host and from the file system, where a folder does not open its index by itself.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

# Attributes holding one URL; `srcset` holds several and is handled apart. Only the site's
# own absolute paths change: "//host/x" and "https://..." are other sites'.
_ATTRIBUTE = re.compile(r'(?P<name>\b(?:href|src|poster|action|data))="(?P<url>/(?!/)[^"]*)"')
_SRCSET = re.compile(r'\bsrcset="(?P<value>[^"]*)"')
_CSS_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<url>/(?!/)[^'\")]*)(?P=quote)\)")


def url_to_file(path: str) -> str:
    """Return the archive file (relative, no leading slash) that answers the URL path `path`."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0])
    if path.endswith("/"):
        path += "index.html"
    return path.lstrip("/")


def relative(url: str, from_file: str) -> str:
    """Return `url` (a site path, maybe with query and fragment) relative to `from_file`."""
    rest = ""
    for mark in ("#", "?"):
        if mark in url:
            url, tail = url.split(mark, 1)
            rest = mark + tail + rest
    # The query of a versioned asset stays: it changes the URL when the file does, and the
    # file system ignores it.
    target = url_to_file(url) if url != "/" else "index.html"
    here = posixpath.dirname(from_file) or "."
    return posixpath.relpath(target, here) + rest


def _rewriter(from_file: str, seen: Callable[[str], None] | None) -> Callable[[str], str]:
    """Return a function making one URL relative to `from_file`, telling `seen` about it."""

    def rewrite(url: str) -> str:
        if seen is not None:
            seen(url)
        return relative(url, from_file)

    return rewrite


def relink_html(html: str, from_file: str, seen: Callable[[str], None] | None = None) -> str:
    """Make every site-absolute URL of a page's attributes relative to the page's file."""
    rewrite = _rewriter(from_file, seen)

    def attribute(found: re.Match[str]) -> str:
        return f'{found["name"]}="{rewrite(found["url"])}"'

    def srcset(found: re.Match[str]) -> str:
        parts = []
        for candidate in found["value"].split(","):
            words = candidate.strip().split()
            if words and words[0].startswith("/") and not words[0].startswith("//"):
                words[0] = rewrite(words[0])
            parts.append(" ".join(words))
        return f'srcset="{", ".join(parts)}"'

    html = _ATTRIBUTE.sub(attribute, html)
    html = _SRCSET.sub(srcset, html)
    return relink_css(html, from_file, seen)


def relink_css(css: str, from_file: str, seen: Callable[[str], None] | None = None) -> str:
    """Make every site-absolute `url(...)` of a stylesheet (or style attribute) relative."""
    rewrite = _rewriter(from_file, seen)
    return _CSS_URL.sub(
        lambda found: f"url({found['quote']}{rewrite(found['url'])}{found['quote']})", css
    )
