"""Media types: one table, read the same way by the loader and the media server."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from gallery.content.mediatypes import is_image, is_video, media_type

from .content_helpers import load


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("talk.vtt", "text/vtt"),
        ("clip.M4V", "video/mp4"),
        ("clip.ogv", "video/ogg"),
        ("song.oga", "audio/ogg"),
        ("photo.avif", "image/avif"),
        ("docs/sheet.pdf", "application/pdf"),
        ("page.html", "text/html"),
        ("archive.unknownsuffix", "application/octet-stream"),
        ("README", "application/octet-stream"),
    ],
)
def test_media_type_by_suffix(path: str, expected: str) -> None:
    assert media_type(path) == expected
    assert media_type(Path(path)) == expected
    assert media_type(PurePosixPath(path)) == expected


def test_kinds() -> None:
    assert is_image("a/b.webp") and not is_image("a/b.mp4")
    assert is_video("a/b.webm") and not is_video("a/b.png")


def test_document_type_comes_from_the_table(tmp_path: Path) -> None:
    result = load(tmp_path, {})
    exhibit = result.exhibition.exhibit("lab", "lanterns")
    assert [d.type for d in exhibit.documents] == ["application/pdf"]


def test_the_media_server_uses_the_same_table() -> None:
    from gallery.views import media

    assert media.media_type is media_type
