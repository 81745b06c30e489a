"""Rendering room-file Markdown to sanitised HTML, with media links rewritten."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt

from .aliases import PageLink
from .paths import SCHEME, Media, Problem
from .report import Doc
from .urllayout import exhibit_url, media_url, page_of, room_url
from .urls import address_problem, browser_url, shown

# CommonMark plus GFM tables and strikethrough; raw HTML is allowed here and sanitised later.
_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# A link to another room file leads to its page: NN-room/room.md or NN-room/NN-exhibit.md.
PAGE_FILE = re.compile(r"\d+-([a-z0-9-]+)/(?:room|\d+-([a-z0-9-]+))\.md")


def page_url(rel: str, lang: str) -> str | None:
    """Return the page of a room or exhibit file (e.g. "02-lab/01-maps.md"), or None."""
    found = PAGE_FILE.fullmatch(rel)
    if not found:
        return None
    room, exhibit = found.group(1), found.group(2)
    return exhibit_url(lang, room, exhibit) if exhibit else room_url(lang, room)


def _rewrite(url: str, media: Media, base: str, lang: str) -> tuple[str | None, Problem | None]:
    """Rewrite a relative URL to its media or page URL; return (url or None to drop, problem)."""
    if not url or url.startswith(("#", "/")) or SCHEME.match(url):
        return url, None
    parts = urlsplit(url)
    rel, problem = media.locate(base, unquote(parts.path))
    if rel is None:
        return None, problem
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return (page_url(rel, lang) or media_url(rel, media.version(rel))) + fragment, None


def _is_remote_image(url: str) -> bool:
    """Tell whether an image URL would make the visitor's browser call another site."""
    return _other_host(browser_url(url))


def _other_host(url: str) -> bool:
    """Tell whether a browser-normalised URL is absolute or names a host ("//host")."""
    return url.startswith("//") or bool(SCHEME.match(url))


def _link_problem(url: str) -> str | None:
    """Return why a Markdown link to another site is refused, or None if it may stay."""
    normal = browser_url(url)
    if not _other_host(normal):
        return None
    if not SCHEME.match(normal):  # "//host": the scheme would be the page's
        return f"invalid link url '{shown(url)}' (expected http, https or mailto)"
    if normal.split(":", 1)[0].lower() not in URL_SCHEMES:
        return None  # the sanitiser drops other schemes, as it always has
    problem = address_problem(normal, URL_SCHEMES)
    return f"invalid link url '{shown(url)}' ({problem})" if problem else None


def _line_in(texts: list[str], url: str) -> int:
    """Return the index of the first line of a paragraph that holds `url` (0 if none)."""
    plain = unquote(url)
    for index, text in enumerate(texts):
        if url in text or plain in text:
            return index
    return 0


def render(
    source: str,
    doc: Doc,
    media: Media,
    line_offset: int,
    lang: str,
    links: list[PageLink] | None = None,
) -> str:
    """Render Markdown (in `lang`) to sanitised HTML, reporting bad links at their line;
    links to room and exhibit pages of this site go to `links`, to be checked later."""
    base = posixpath.dirname(doc.rel)
    tokens = _md.parse(source)
    block_line = 0  # inline tokens in tables carry no line map: use the last block's
    for token in tokens:
        if token.map:
            block_line = token.map[0]
        if token.type != "inline" or not token.children:
            continue
        texts = token.content.split("\n")
        for child in token.children:
            attr = "src" if child.type == "image" else "href" if child.type == "link_open" else None
            if attr is None:
                continue
            url = str(child.attrs.get(attr, ""))
            line = line_offset + 1 + block_line + _line_in(texts, url)
            where = doc.find(line, url)
            if attr == "href":
                problem = _link_problem(url)
                if problem:
                    doc.error(where, problem)
                    child.attrs[attr] = ""
                    continue
                page = page_of(browser_url(url)) if links is not None else None
                if page is not None and links is not None and url.startswith("/"):
                    page_lang, room, exhibit = page
                    links.append(PageLink(doc, where, url, page_lang, (room, exhibit)))
            if attr == "src":
                if _is_remote_image(url):
                    doc.error(
                        where, f"remote image '{url}' is not allowed (use a file of the exhibition)"
                    )
                    child.attrs[attr] = ""
                    continue
                if not child.content.strip():
                    doc.warning(where, f"image '{url}' has no alt text")
            new, found = _rewrite(url, media, base, lang)
            if found:
                doc.error(where, *found)
            child.attrs[attr] = new or ""
    html = _md.renderer.render(tokens, _md.options, {})
    return sanitise(html, media, base, lang)


def sanitise(html: str, media: Media | None = None, base: str = "", lang: str = "") -> str:
    """Keep only safe tags, attributes and URL schemes; rewrite relative media URLs."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr in ("href", "src"):
            return _safe_url(attr, value, media, base, lang)
        if tag == "code" and attr == "class":
            return value if value.startswith("language-") else None
        return value

    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _safe_url(attr: str, value: str, media: Media | None, base: str, lang: str) -> str | None:
    """Return a URL as the browser will read it, if it may stay in `attr`; None drops it.

    An `href` may be an http, https or mailto URL with a valid host, or stay on this site;
    a `src` may only stay on this site (images are files of the exhibition).
    """
    url = browser_url(value)
    if not url:
        return None
    if SCHEME.match(url):
        if attr == "src":
            return None
        return url if address_problem(url, URL_SCHEMES) is None else None
    if url.startswith("//"):  # another host, however the slashes were written
        return None
    if url.startswith(("/", "#")):
        return url
    if media is None:
        return None
    new, _problem = _rewrite(url, media, base, lang)
    return new
