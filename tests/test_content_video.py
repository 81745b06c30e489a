"""Video page URLs recognised as click-to-load embeds."""

from __future__ import annotations

import pytest

from gallery.content.video import video_from_url

EMBEDS = [
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871"),
    (
        "https://vimeo.com/channels/staffpicks/76979871",
        "vimeo",
        "https://player.vimeo.com/video/76979871",
    ),
    (
        "https://vimeo.com/76979871/8272103f6e",
        "vimeo",
        "https://player.vimeo.com/video/76979871?h=8272103f6e",
    ),
    ("https://player.vimeo.com/video/76979871", "vimeo", "https://player.vimeo.com/video/76979871"),
    (
        "https://www.dailymotion.com/video/x7tgad0",
        "dailymotion",
        "https://www.dailymotion.com/embed/video/x7tgad0",
    ),
    (
        "https://www.dailymotion.com/video/x7tgad0_some-title",
        "dailymotion",
        "https://www.dailymotion.com/embed/video/x7tgad0",
    ),
    ("https://dai.ly/x7tgad0", "dailymotion", "https://www.dailymotion.com/embed/video/x7tgad0"),
    (
        "https://peertube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
        "peertube",
        "https://peertube.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv",
    ),
    (
        "https://video.example.fr/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        "peertube",
        "https://video.example.fr/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
    ),
    (
        "https://tube.example:8443/w/abc123",
        "peertube",
        "https://tube.example:8443/videos/embed/abc123",
    ),
]


@pytest.mark.parametrize(("url", "provider", "embed"), EMBEDS)
def test_known_video_pages(url: str, provider: str, embed: str) -> None:
    video = video_from_url(url)
    assert video is not None
    assert (video.provider, video.embed_url, video.url, video.file) == (provider, embed, url, None)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/film.mp4",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UC123",
        "https://youtu.be/",
        "https://vimeo.com/about",
        "https://www.dailymotion.com/user/x",
        "https://peertube.example.org/w/p/playlist1",
        "javascript:alert(1)",
        "ftp://peertube.example.org/w/abc",
        "https://[::1/w/abc",
        "not a url",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    assert video_from_url(url) is None
