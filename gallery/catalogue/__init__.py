"""The exhibition's printed catalogue: a PDF made by WeasyPrint from the project's HTML and CSS
templates and the same room files the gallery serves."""

from __future__ import annotations

from .build import CatalogueError, write_catalogue

__all__ = ["CatalogueError", "write_catalogue"]
