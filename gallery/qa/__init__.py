"""The live Demo Day: questions and votes, applause, and what hosts steer the crowd with.

Pure Python over the `Records` store and the presence `Sender` (no Flask, no Socket.IO):
`payloads` checks what clients send, `service.DemoDay` holds the use cases that the socket
handlers (`gallery.demoday`) and the host console's forms both call, and `coalesce` the
tick sources that send `questions`, `applause` and `tour` at most once per presence tick.
"""

from __future__ import annotations

from .chat import ChatJournal
from .coalesce import Applause, QuestionBoard, Tour
from .identity import visitor_key
from .service import DemoDay, stage_room

__all__ = [
    "Applause",
    "ChatJournal",
    "DemoDay",
    "QuestionBoard",
    "Tour",
    "stage_room",
    "visitor_key",
]
