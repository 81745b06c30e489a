"""gallery: a self-hosted virtual exhibition and live Demo Day platform."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
