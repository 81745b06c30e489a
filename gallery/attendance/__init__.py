"""Attendance without personal data: presence sampled into counts while the gallery runs, and
the report made from them."""

from __future__ import annotations

from .sampler import Sampler

__all__ = ["Sampler"]
