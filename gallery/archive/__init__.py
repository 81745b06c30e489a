"""The exhibition as a static archive: every page in every language with its media, as files
that work from any static host, under any sub-path, and from the file system."""

from __future__ import annotations

from .build import build_archive
from .crawl import BuildError
from .relink import relink_css, relink_html, url_to_file

__all__ = ["BuildError", "build_archive", "relink_css", "relink_html", "url_to_file"]
