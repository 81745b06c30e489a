"""gallery: a self-hosted virtual exhibition and live Demo Day platform."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so that `gallery serve` can let gevent patch the standard
    # library before Flask and its dependencies are imported.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
