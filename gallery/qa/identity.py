"""A visitor's stable anonymous key, without accounts or cookies.

The browser draws a random token once and keeps it in localStorage; it sends it in the
Socket.IO `auth` of every connection. The server keeps only a keyed hash of it, so that
votes count once per visitor across reconnects and mutes outlive a reload, while the
database holds nothing a reader could replay as someone else's token. Pages stay free of
cookies and cacheable. The trade-off is written in docs/protocol.md: a visitor who clears
their storage, or scripts fresh tokens, is a new visitor.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

# What browsers make from 16 random bytes and more: base64url or hex, nothing else.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


def visitor_key(secret: str | bytes, auth: Any) -> str | None:
    """Return the key of the token in a Socket.IO `auth` {token}, or None without a valid one."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    if isinstance(secret, str):
        secret = secret.encode()
    digest = hmac.new(secret, b"gallery.visitor:" + token.encode(), hashlib.sha256)
    return "v:" + digest.hexdigest()[:32]
