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
    # Watch the room files and reload the exhibition when they change.
    "RELOAD": False,
    # Seconds between two looks at the room files when RELOAD is on.
    "RELOAD_INTERVAL": 1.0,
    # Signs the CSRF token cookie; a random one per process when unset.
    "SECRET_KEY": None,
    # Replay cached pages before Flask (gallery/frontcache.py); off only to compare.
    "FRONT_CACHE": True,
    # Cache-Control max-age for media and static files, in seconds.
    "MEDIA_MAX_AGE": 3600,
    # Presence: seconds between two coalesced `presence` events per room.
    "PRESENCE_TICK": 0.1,
    # Presence: least seconds between two `occupancy` events.
    "OCCUPANCY_INTERVAL": 1.0,
    # Presence: how many visitors an `enter` ack lists at most.
    "PRESENCE_SNAPSHOT": 200,
    # Presence and chat limits.
    "NAME_MAX": 40,
    "CHAT_MAX": 500,
    "CHAT_HISTORY": 50,
    # Socket events one connection may send per second (burst is twice that).
    "EVENT_RATE": 10.0,
    # Packets waiting for one socket before its client counts as stalled and is dropped.
    "SEND_QUEUE_MAX": 64,
    # Web origins besides the gallery's own whose pages may open live connections,
    # comma-separated, like "https://gallery.example,https://www.gallery.example".
    "ALLOWED_ORIGINS": "",
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
