"""Organisers ("hosts"): the console password, their signed session cookie, and login throttling.

A host logs in at `/host/login` with the password of `HOST_PASSWORD` or `HOST_PASSWORD_HASH`
and gets Flask's signed session cookie holding a random host id and the login time. Visitors
never get that cookie: only the host views write the session. The same cookie identifies the
host's Socket.IO connection, through `host_from_environ`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from werkzeug.http import parse_cookie
from werkzeug.security import check_password_hash

if TYPE_CHECKING:
    from flask import Request
    from flask.sessions import SecureCookieSession

    from .sharedhosts import SharedRevoked, SharedThrottle

HOST_KEY = "host"
SINCE_KEY = "since"
# Addresses whose failures are remembered at once; the oldest are forgotten past it.
THROTTLE_ADDRESSES = 4096
# Logged-out host ids remembered until their cookie would have expired anyway.
REVOKED_MAX = 4096

log = logging.getLogger("gallery.hosts")


class HostSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its own salt and Secure whenever the request is."""

    salt = "gallery-host"

    def open_session(self, app: Flask, incoming: Request) -> SecureCookieSession | None:
        """Open the signed session; without its cookie (most page requests, every page of
        an archive) an empty one, without building the signer first."""
        if app.secret_key and not incoming.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, incoming)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Mark the cookie Secure when configured so or when the request came over HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def password_configured(config: Mapping[str, Any]) -> bool:
    """Tell whether a host password is set; without one the console stays closed."""
    return bool(config.get("HOST_PASSWORD_HASH") or config.get("HOST_PASSWORD"))


def check_password(config: Mapping[str, Any], given: str) -> bool:
    """Compare `given` with the configured password (the hash wins), in constant time."""
    hashed = config.get("HOST_PASSWORD_HASH")
    if hashed:
        return check_password_hash(hashed, given)
    plain = config.get("HOST_PASSWORD")
    if not plain:
        return False
    # Digests of equal length, so the comparison's time says nothing of the password's length.
    expected = hashlib.sha256(str(plain).encode()).digest()
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), expected)


def _check_hash_config(config: Mapping[str, Any]) -> None:
    """Refuse to start with a password hash werkzeug cannot check, rather than stay closed."""
    hashed = config.get("HOST_PASSWORD_HASH")
    if not hashed:
        return
    try:
        valid = str(hashed).count("$") >= 2
        check_password_hash(str(hashed), "")
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(
            "GALLERY_HOST_PASSWORD_HASH is not a password hash: make one with "
            "`gallery hash-password`"
        )


def client_key(address: str | None) -> str:
    """Return the throttling key of a client address: IPv6 clients count by their /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "-"
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)


class Throttle:
    """Counts login failures per client; `limit` failures within `window` seconds lock it out.

    The table is bounded: past `capacity` clients the least recently failing is forgotten.
    """

    def __init__(self, limit: int, window: float, capacity: int = THROTTLE_ADDRESSES) -> None:
        self.limit = max(1, limit)
        self.window = window
        self.capacity = capacity
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Return the seconds `key` must wait before trying again, 0 when it may try now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._failures.get(key)
            if failures is None or len(failures) < self.limit:
                return 0
            wait = failures[0] + self.window - now
            if wait <= 0:
                return 0
            return max(1, int(wait + 0.999))

    def failed(self, key: str, now: float | None = None) -> None:
        """Record one failure of `key`."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._failures.pop(key, None)
            if failures is None:
                failures = deque(maxlen=self.limit)
                while len(self._failures) >= self.capacity:
                    self._failures.popitem(last=False)
            failures.append(now)
            self._failures[key] = failures

    def succeeded(self, key: str) -> None:
        """Forget the failures of `key` after it logged in."""
        with self._lock:
            self._failures.pop(key, None)

    def __len__(self) -> int:
        """Return how many clients are remembered."""
        return len(self._failures)


@dataclass
class Hosts:
    """The console's state in one app: the login throttle and the host ids logged out.

    `shared`: with servers sharing Redis, the host ids logged out on any of them.
    """

    throttle: Throttle | SharedThrottle
    lifetime: float
    revoked: OrderedDict[str, float]
    shared: SharedRevoked | None = field(default=None)

    def revoke(self, host: str, now: float | None = None) -> None:
        """Remember that `host` logged out, so a copy of its cookie no longer counts."""
        if self.shared is not None:
            try:
                self.shared.add(host, self.lifetime)
            except Exception:
                log.warning("Host logout: Redis is away; only this server knows of it")
        now = time.time() if now is None else now
        while len(self.revoked) >= REVOKED_MAX:
            self.revoked.popitem(last=False)
        self.revoked[host] = now + self.lifetime
        for old, until in list(self.revoked.items()):
            if until > now:
                break
            del self.revoked[old]

    def host_of(self, data: Any, now: float | None = None) -> str | None:
        """Return the host id a decoded session holds, if its login is recent and not revoked."""
        if not isinstance(data, Mapping):
            return None
        host, since = data.get(HOST_KEY), data.get(SINCE_KEY)
        if not isinstance(host, str) or not host or not isinstance(since, int | float):
            return None
        now = time.time() if now is None else now
        # Absolute expiry: using the console does not extend a login.
        if not since <= now < since + self.lifetime or host in self.revoked:
            return None
        if self.shared is not None and host in self.shared:
            return None
        return host


def hosts_of(app: Flask) -> Hosts:
    """Return the console state of `app`."""
    return app.extensions["gallery.hosts"]


def login() -> str:
    """Start a host session in Flask's session for this request; return the new host id."""
    host = secrets.token_urlsafe(12)
    session.clear()
    session[HOST_KEY] = host
    session[SINCE_KEY] = int(time.time())
    session.permanent = True
    return host


def logout(app: Flask) -> None:
    """End this request's host session, revoking its host id."""
    host = session.get(HOST_KEY)
    if isinstance(host, str):
        hosts_of(app).revoke(host)
    session.clear()


def current_host(app: Flask) -> str | None:
    """Return the host id of this request's session, or None for a visitor."""
    return hosts_of(app).host_of(dict(session))


def host_from_environ(app: Flask, environ: Mapping[str, Any]) -> str | None:
    """Recognise a host from a WSGI environ's Cookie header: its host id, or None.

    Forged, tampered, expired or logged-out cookies give None. Works outside any request
    context (e.g. in a Socket.IO connect handler).
    """
    if not password_configured(app.config):
        return None
    name = app.config["SESSION_COOKIE_NAME"]
    value = parse_cookie(str(environ.get("HTTP_COOKIE") or "")).get(name)
    if not value:
        return None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    if serializer is None:
        return None
    hosts = hosts_of(app)
    try:
        data = serializer.loads(value, max_age=int(hosts.lifetime))
    except BadSignature:
        return None
    return hosts.host_of(data)


def init_app(app: Flask) -> None:
    """Check the password settings and give the app its host sessions and throttle."""
    config = app.config
    _check_hash_config(config)
    app.session_interface = HostSessionInterface()
    lifetime = app.permanent_session_lifetime.total_seconds()
    throttle = Throttle(int(config["HOST_LOGIN_FAILURES"]), float(config["HOST_LOGIN_WINDOW"]))
    app.extensions["gallery.hosts"] = Hosts(throttle, lifetime, OrderedDict())
