"""Parse served HTML into tags and attributes, to check what really reaches a page."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from flask import Flask

from gallery import create_app


@dataclass
class Tag:
    """One start tag with its attributes (values unescaped, as a browser sees them)."""

    name: str
    attrs: dict[str, str | None]


@dataclass
class Page(HTMLParser):
    """An HTML page as a list of start tags and the text of its script elements."""

    tags: list[Tag] = field(default_factory=list)
    script_text: list[str] = field(default_factory=list)
    _in_script: bool = False

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(Tag(tag, dict(attrs)))
        # A JSON data block is never run: its text is data, not script.
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(Tag(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)

    def find(self, name: str, **attrs: str) -> list[Tag]:
        """Return the tags called `name` whose attributes include `attrs`."""
        return [
            tag
            for tag in self.tags
            if tag.name == name and all(tag.attrs.get(k) == v for k, v in attrs.items())
        ]


def parse(html: str | bytes) -> Page:
    """Parse a page."""
    page = Page()
    page.feed(html.decode() if isinstance(html, bytes) else html)
    page.close()
    return page


DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta"}
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "xlink:href", "formaction"}
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "xlink:href", "formaction"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:application")


def active_content(html: str | bytes, allowed_iframes: bool = False) -> list[str]:
    """List everything in a page that could run script or load a third party on its own."""
    page = parse(html)
    problems = []
    if page.script_text:
        problems.append(f"inline script: {page.script_text[0][:60]!r}")
    for tag in page.tags:
        if tag.name == "script" and tag.attrs.get("type") != "application/json":
            src = tag.attrs.get("src") or ""
            if not src.startswith("/static/"):
                problems.append(f"script not from /static/: {tag.attrs}")
        if tag.name in DANGEROUS_TAGS and not (
            tag.name == "meta" and "http-equiv" not in tag.attrs
        ):
            problems.append(f"<{tag.name}> {tag.attrs}")
        for name, value in tag.attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name} on <{tag.name}>")
            if name in ("style", "srcdoc", "formaction"):
                problems.append(f"{name} attribute on <{tag.name}>")
            url = (value or "").strip().lower().replace("\t", "")
            if name in URL_ATTRIBUTES and url.startswith(DANGEROUS_SCHEMES):
                problems.append(f"{name}={value!r} on <{tag.name}>")
            if name in ("src", "poster", "data") and url.startswith(("http:", "https:", "//")):
                problems.append(f"third-party {name}={value!r} on <{tag.name}>")
        if tag.name == "form" and (tag.attrs.get("action") or "").startswith(("http", "//")):
            problems.append(f"form posting elsewhere: {tag.attrs}")
    return problems


def copy_exhibition(source: Path, tmp_path: Path) -> Path:
    """Copy a fixture exhibition into a temporary folder and return the copy's root."""
    root = tmp_path / source.name
    shutil.copytree(source, root)
    return root


def app_for(root: Path, **config: object) -> Flask:
    """Build a test app serving the exhibition in `root` (with `config` on top)."""
    return create_app({"TESTING": True, "ROOMS": str(root), "SECRET_KEY": "test", **config})
