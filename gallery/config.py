"""Configuration: defaults, then GALLERY_* environment variables, then a mapping."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Path of the exhibition folder; None means ./rooms or the bundled sample.
    "ROOMS": None,
    # Folder of the data the gallery records (questions, votes, chat, moderation);
    # None means the user's data folder, e.g. ~/.local/share/gallery on Linux.
    "DATA_DIR": None,
    # SQLAlchemy URL of the database (postgresql+psycopg://user@host/db works too);
    # None means SQLite in DATA_DIR.
    "DATABASE_URL": None,
    # URL of the Redis that several servers share (redis://host:6379/0): the message queue
    # between them and the presence of every visitor; None: this process alone.
    "REDIS_URL": None,
    # Seconds between two heartbeats of a server in Redis, and of silence after which the
    # other servers take it for dead and its visitors out of presence.
    "HEARTBEAT_INTERVAL": 2.0,
    "HEARTBEAT_TIMEOUT": 8.0,
    # The organiser's preview: watch the room files, reload the exhibition when they change,
    # and tell the open pages (gallery/preview.py). Never on a server visitors use.
    "RELOAD": False,
    # Seconds between two looks at the room files when RELOAD is on: a saved change shows in
    # the open preview pages within a second (the look is a walk in a worker thread).
    "RELOAD_INTERVAL": 0.25,
    # A server visitors use (not previewing): seconds between two looks at the room files,
    # reloading them when they change; 0 reads them once, at start-up.
    "WATCH_INTERVAL": 0.0,
    # Pages as files (docs/deploy.md): the folder this server keeps `gallery build --live`'s
    # output in, published again when the room files or the programme phase change, and the
    # seconds between two looks at those. None: no files. One server per folder.
    "PAGES_DIR": None,
    "PAGES_INTERVAL": 0.5,
    # Signs the CSRF token cookie and hosts' sessions; a random one per process when unset
    # (then hosts log in again after a restart).
    "SECRET_KEY": None,
    # Replay cached pages before Flask (gallery/frontcache.py); off only to compare.
    "FRONT_CACHE": True,
    # Render the exhibition as its static archive: the gallery reads closed, nothing live
    # (set by `gallery build`).
    "ARCHIVE": False,
    # Processes that read the room folders at start-up (forked: only where nothing else runs
    # yet, as in `gallery build`, which sets it to the number of cores). Reloads read in one.
    "LOAD_WORKERS": 1,
    # Run as if it were this moment (ISO 8601 with offset), the clock running on from there;
    # None is real time. Tests may give a gallery.clock.Clock object instead.
    "CLOCK": None,
    # Cache-Control max-age for media and static files, in seconds.
    "MEDIA_MAX_AGE": 3600,
    # Attendance (gallery/attendance): seconds between two looks at presence (0: none), and
    # between two writes of the counts to the database.
    "ATTENDANCE_INTERVAL": 10.0,
    "ATTENDANCE_FLUSH": 60.0,
    # Presence: seconds between two coalesced `presence` events per room.
    "PRESENCE_TICK": 0.1,
    # Presence: least seconds between two `occupancy` events.
    "OCCUPANCY_INTERVAL": 1.0,
    # Presence: how many visitors an `enter` ack lists at most.
    "PRESENCE_SNAPSHOT": 200,
    # The floor plan's feed: visitors listed per room, least seconds between two events.
    "PLAN_LISTED": 12,
    "PLAN_INTERVAL": 0.5,
    # Presence and chat limits.
    "NAME_MAX": 40,
    "CHAT_MAX": 500,
    "CHAT_HISTORY": 50,
    # Longest question or announcement of the Demo Day.
    "QUESTION_MAX": 500,
    # Socket events one connection may send per second (burst is twice that).
    "EVENT_RATE": 10.0,
    # Packets waiting for one socket before its client counts as stalled and is dropped.
    "SEND_QUEUE_MAX": 64,
    # Web origins besides the gallery's own whose pages may open live connections,
    # comma-separated, like "https://gallery.example,https://www.gallery.example".
    "ALLOWED_ORIGINS": "",
    # Host console: its password, or a hash of it made by `gallery hash-password` (which wins).
    # With neither, the console is closed.
    "HOST_PASSWORD": None,
    "HOST_PASSWORD_HASH": None,
    # Host console: failed logins from one address within the window (seconds) before a 429.
    "HOST_LOGIN_FAILURES": 5,
    "HOST_LOGIN_WINDOW": 300,
    # Host console: seconds a login lasts; using the console does not extend it.
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    # Host console cookie (Flask's signed session; only hosts get one). Secure is added
    # whenever the request came over HTTPS; set it to True to require it always.
    "SESSION_COOKIE_NAME": "gallery_host",
    "SESSION_COOKIE_SAMESITE": "Strict",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    # Logins expire at a fixed time; re-sending the cookie on every response would also put
    # Set-Cookie on the pages a logged-in host visits, which must stay shareable.
    "SESSION_REFRESH_EACH_REQUEST": False,
    # Reverse proxies in front of the gallery whose X-Forwarded-For/-Proto/-Host to trust.
    "TRUSTED_PROXIES": 0,
}


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the configuration: defaults, then GALLERY_* variables, then `overrides`."""
    config = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"GALLERY_{key}")
        if raw is not None:
            config[key] = _parse(raw, default)
    if overrides:
        config.update(overrides)
    return config


def data_dir(config: Mapping[str, Any]) -> Path:
    """Return the data folder: DATA_DIR, or the user's data folder for the gallery."""
    if config.get("DATA_DIR"):
        return Path(config["DATA_DIR"]).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("gallery", appauthor=False))


def database_url(config: Mapping[str, Any]) -> str:
    """Return the database URL: DATABASE_URL, or SQLite in the data folder (gallery.sqlite3)."""
    return config.get("DATABASE_URL") or f"sqlite:///{data_dir(config) / 'gallery.sqlite3'}"


def _parse(raw: str, default: Any) -> Any:
    """Turn an environment string into the type of the default value."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
