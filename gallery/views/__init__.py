"""Thin blueprints: pages, the JSON API and media files."""
