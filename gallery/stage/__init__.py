"""The Demo Day stage as a pure domain: the programme at a moment, and the host's decisions."""

from __future__ import annotations

from .programme import (
    LATER,
    NEXT,
    PAST,
    Programme,
    Status,
    boundaries,
    next_boundary,
    phase_key,
    programme,
)
from .state import ENDED, HOST_STATES, LIVE, StageState, StageView

__all__ = [
    "ENDED",
    "HOST_STATES",
    "LATER",
    "LIVE",
    "NEXT",
    "PAST",
    "Programme",
    "StageState",
    "StageView",
    "Status",
    "boundaries",
    "next_boundary",
    "phase_key",
    "programme",
]
