"""Recognising video page URLs and turning them into click-to-load embeds."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .model import Video
from .urls import hostname, url_problem

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
DAILYMOTION_HOSTS = {"dailymotion.com", "www.dailymotion.com", "dai.ly"}
PEERTUBE_PATH = re.compile(r"/(?:w|videos/watch|videos/embed)/([A-Za-z0-9-]+)/?")
DAILYMOTION_ID = re.compile(r"x[0-9a-zA-Z]+|k[0-9a-zA-Z]+")


def _youtube(host: str, path: str, query: str) -> str | None:
    """Return the YouTube video id of a watch, short, embed or youtu.be URL."""
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in YOUTUBE_HOSTS:
        parts = [p for p in path.split("/") if p]
        if parts == ["watch"]:
            candidate = (parse_qs(query).get("v") or [""])[0]
        elif len(parts) == 2 and parts[0] in ("shorts", "embed", "live", "v"):
            candidate = parts[1]
        else:
            return None
    else:
        return None
    return candidate if YOUTUBE_ID.fullmatch(candidate) else None


def _vimeo(host: str, path: str) -> str | None:
    """Return the Vimeo player URL of a vimeo.com page URL."""
    parts = [p for p in path.split("/") if p]
    if host == "player.vimeo.com":
        parts = parts[1:] if parts[:1] == ["video"] else []
    numbers = [i for i, p in enumerate(parts) if p.isdigit()]
    if not numbers:
        return None
    index = numbers[-1] if host != "player.vimeo.com" else numbers[0]
    video_id = parts[index]
    rest = parts[index + 1 : index + 2]
    if rest and re.fullmatch(r"[0-9a-f]+", rest[0]):
        return f"https://player.vimeo.com/video/{video_id}?h={rest[0]}"
    return f"https://player.vimeo.com/video/{video_id}"


def _dailymotion(host: str, path: str) -> str | None:
    """Return the Dailymotion video id of a video or dai.ly URL."""
    parts = [p for p in path.split("/") if p]
    if host == "dai.ly" and len(parts) == 1:
        candidate = parts[0]
    elif len(parts) >= 2 and parts[0] == "video":
        candidate = parts[1].split("_")[0]
    elif len(parts) >= 3 and parts[:2] == ["embed", "video"]:
        candidate = parts[2]
    else:
        return None
    return candidate if DAILYMOTION_ID.fullmatch(candidate) else None


def video_from_url(url: str) -> Video | None:
    """Return a Video for a PeerTube, YouTube, Vimeo or Dailymotion page URL, else None."""
    if url_problem(url, ("http", "https")):
        return None
    parts = urlsplit(url)
    host = hostname(parts.hostname or "") or ""
    port = parts.port
    youtube = _youtube(host, parts.path, parts.query)
    if youtube:
        embed = f"https://www.youtube-nocookie.com/embed/{youtube}"
        return Video(url=url, provider="youtube", embed_url=embed)
    if host in YOUTUBE_HOSTS or host == "youtu.be":
        return None
    if host in VIMEO_HOSTS:
        embed = _vimeo(host, parts.path)
        return Video(url=url, provider="vimeo", embed_url=embed) if embed else None
    if host in DAILYMOTION_HOSTS:
        found = _dailymotion(host, parts.path)
        if not found:
            return None
        embed = f"https://www.dailymotion.com/embed/video/{found}"
        return Video(url=url, provider="dailymotion", embed_url=embed)
    match = PEERTUBE_PATH.fullmatch(parts.path)
    if match:
        netloc = host if port is None else f"{host}:{port}"
        embed = f"{parts.scheme}://{netloc}/videos/embed/{match.group(1)}"
        return Video(url=url, provider="peertube", embed_url=embed)
    return None
