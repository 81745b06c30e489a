"""Turn the site's absolute URLs into links relative to the file that holds them.

A page served at `/fr/rooms/hall/` becomes the file `fr/rooms/hall/index.html`, and its link
to `/fr/rooms/lab/` becomes `../lab/index.html`: relative links work under any sub-path of
any static host and from the file system, where a folder does not open its index by itself.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import unquote

# Attributes holding URLs, found in one pass: `srcset` holds several, the others one. Only
# the site's own absolute paths change: "//host/x" and "https://..." are other sites'. The
# scan looks for each `="` (a text of its own, which the regex engine jumps to) and behind it
# for the name: a pattern starting with the names tries every letter of the page that could
# begin one (relinking a page took twice as long). The character before the name is checked
# apart.
_NAMES = ("href", "src", "poster", "action", "data", "srcset")  # none ends another
_ATTRIBUTE = re.compile(
    '="(?:' + "|".join(f'(?<={name}=")' for name in _NAMES) + ')(?P<value>[^"]*)"'
)
_CSS_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<url>/(?!/)[^'\")]*)(?P=quote)\)")


def _own(url: str) -> bool:
    """Tell whether `url` is one of the site's own absolute paths."""
    return url.startswith("/") and not url.startswith("//")


def url_to_file(path: str) -> str:
    """Return the archive file (relative, no leading slash) that answers the URL path `path`."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0])
    if path.endswith("/"):
        path += "index.html"
    return path.lstrip("/")


def relative(url: str, from_file: str) -> str:
    """Return `url` (a site path, maybe with query and fragment) relative to `from_file`."""
    return _relative(url, posixpath.dirname(from_file) or ".")


def _relative(url: str, here: str) -> str:
    """Return `url` relative to the folder `here`."""
    target, rest = _target(url)
    return _relpath(target, here) + rest


@lru_cache(maxsize=16384)
def _target(url: str) -> tuple[str, str]:
    """Return the file `url` names and its query and fragment: once per URL, as most pages of
    a build link to the same lobby, rooms and assets, each from a folder of its own."""
    rest = ""
    for mark in ("#", "?"):
        if mark in url:
            url, tail = url.split(mark, 1)
            rest = mark + tail + rest
    # The query of a versioned asset stays: it changes the URL when the file does, and the
    # file system ignores it.
    return (url_to_file(url) if url != "/" else "index.html"), rest


def _relpath(target: str, here: str) -> str:
    """Return `posixpath.relpath(target, here)`, quicker for the plain paths pages link to."""
    return _relparts(target, here, [] if here == "." else here.split("/"))


def _relparts(target: str, here: str, base: list[str]) -> str:
    """Return `_relpath(target, here)`, with `here` already split into `base`."""
    parts = target.split("/")
    if {"", ".", ".."} & {*parts, *base}:
        return posixpath.relpath(target, here)
    common, most = 0, min(len(parts), len(base))
    while common < most and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def _rewriter(from_file: str, seen: Callable[[str], None] | None) -> Callable[[str], str]:
    """Return a function making one URL relative to `from_file`, telling `seen` about it."""

    here = posixpath.dirname(from_file) or "."  # once a page, not once a URL
    base = [] if here == "." else here.split("/")

    def rewrite(url: str) -> str:
        if seen is not None:
            seen(url)
        target, rest = _target(url)
        return _relparts(target, here, base) + rest

    return rewrite


def relink_html(html: str, from_file: str, seen: Callable[[str], None] | None = None) -> str:
    """Make every site-absolute URL of a page's attributes relative to the page's file."""
    rewrite = _rewriter(from_file, seen)

    def attribute(found: re.Match[str]) -> str:
        # The match is `="value"`; the name stays as it is, in front of it.
        equals, value = found.start(), found["value"]
        name = next(name for name in _NAMES if html.endswith(name, 0, equals))
        start = equals - len(name)
        if start and (html[start - 1].isalnum() or html[start - 1] == "_"):
            return found[0]  # the end of another name, e.g. "ssrc"
        if name != "srcset":
            return f'="{rewrite(value)}"' if _own(value) else found[0]
        parts = []
        for candidate in value.split(","):
            words = candidate.strip().split()
            if words and _own(words[0]):
                words[0] = rewrite(words[0])
            parts.append(" ".join(words))
        return f'="{", ".join(parts)}"'

    html = _ATTRIBUTE.sub(attribute, html)
    return relink_css(html, from_file, seen)


def relink_css(css: str, from_file: str, seen: Callable[[str], None] | None = None) -> str:
    """Make every site-absolute `url(...)` of a stylesheet (or style attribute) relative."""
    rewrite = _rewriter(from_file, seen)
    return _CSS_URL.sub(
        lambda found: f"url({found['quote']}{rewrite(found['url'])}{found['quote']})", css
    )
