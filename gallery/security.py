"""Security headers on every response, and a small CSRF token for POST forms."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, abort, current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.routing import RequestRedirect

from .content.model import Exhibition
from .content.urls import origin
from .site import current_site

# Third-party video players a click-to-load placeholder may open.
EMBED_HOSTS = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.dailymotion.com",
    "https://geo.dailymotion.com",
)

# One https origin as a CSP source: lowercase ASCII host name labels and an optional port.
CSP_ORIGIN = re.compile(
    r"https://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?"
)

CSP_CACHED_HOSTS = 16

CSRF_COOKIE = "gallery_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 8 * 3600
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Media files come from organisers: they may show, never run script.
MEDIA_CSP = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"
)

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        "interest-cohort=(), fullscreen=(self)"
    ),
}


def frame_hosts(exhibition: Exhibition) -> tuple[str, ...]:
    """Return the origins the exhibition's video embeds load from, known hosts first."""
    hosts = list(EMBED_HOSTS)
    videos = [ex.video for ex in exhibition.exhibits() if ex.video]
    # Demo Day streams may be embedded on the stage too.
    videos += [
        video
        for session in exhibition.agenda
        for video in (session.stream_video, session.replay_video)
        if video
    ]
    for video in videos:
        found = origin(video.embed_url) if video.embed_url else None
        # Checked again here: whatever built the model, only an origin may reach the header.
        if found and CSP_ORIGIN.fullmatch(found) and found not in hosts:
            hosts.append(found)
    return tuple(hosts)


def content_security_policy(exhibition: Exhibition, host: str) -> str:
    """Return the page CSP: same origin only, plus the exhibition's video players."""
    # Older browsers do not count ws(s):// as 'self', so name the socket origin.
    sockets = f"ws://{host} wss://{host}" if host else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"media-src {_media_sources(exhibition)}; font-src 'self'; "
        f"frame-src {' '.join(frame_hosts(exhibition))}; "
        f"connect-src 'self' {sockets}; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'; manifest-src 'self'"
    ).replace("  ", " ")


def exhibition_policy(exhibition: Exhibition) -> str:
    """Return the directives of the page CSP that depend on the exhibition, for a page served
    as a file (`gallery build --live`): a web server's fixed header allows any https player,
    and this policy, in the page's <meta>, narrows it to the exhibition's own."""
    return f"frame-src {' '.join(frame_hosts(exhibition))}; media-src {_media_sources(exhibition)}"


def _media_sources(exhibition: Exhibition) -> str:
    """Return the media-src sources: the site, and blob: when a session streams over HLS."""
    # hls.js feeds the <video> through Media Source Extensions, from a blob: URL.
    hls = any(
        video is not None and video.provider == "hls"
        for session in exhibition.agenda
        for video in (session.stream_video, session.replay_video)
    )
    return "'self' blob:" if hls else "'self'"


def _page_csp() -> str:
    """Return the CSP for this request, cached per content version and host."""
    snapshot = current_site().snapshot
    host = request.host
    # Host headers are the client's to choose: cache a few, never one per request.
    hosts: set[str] = snapshot.memo(("csp-hosts",), set)
    if host not in hosts and len(hosts) >= CSP_CACHED_HOSTS:
        return content_security_policy(snapshot.exhibition, _safe_host(host))
    hosts.add(host)
    return snapshot.memo(
        ("csp", host), lambda: content_security_policy(snapshot.exhibition, _safe_host(host))
    )


def _safe_host(host: str) -> str:
    """Keep a Host header only when it cannot break out of the CSP value."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
    return host if host and set(host) <= allowed else ""


def add_headers(response: Response) -> Response:
    """Add the security headers to a response; media responses keep their own CSP."""
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    for name, value in BASE_HEADERS.items():
        if name.lower() not in present:
            headers.add(name, value)
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", _page_csp())
    return response


class BaseHeaders:
    """WSGI middleware giving the base security headers to responses Flask never saw.

    Engine.IO answers /socket.io/ requests before Flask, so no after_request hook runs.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Call the app, adding each base header its response lacks."""

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            missing = [(k, v) for k, v in BASE_HEADERS.items() if k.lower() not in present]
            return start_response(status, [*headers, *missing], exc_info)

        return self.app(environ, start)


class SiteResponse(Response):
    """Flask's response, told never to turn a relative Location into an absolute one."""

    # Werkzeug would complete it from the Host header, which the client chooses.
    autocorrect_location_header = False


def _relative_routing_redirect() -> None:
    """Make Werkzeug's slash redirects relative before they are answered."""
    redirect = request.routing_exception
    if isinstance(redirect, RequestRedirect):
        # Werkzeug builds them from the Host header: keep only the path and query.
        parts = urlsplit(redirect.new_url)
        path = "/" + parts.path.lstrip("/")  # never "//host", which browsers read as a host
        redirect.new_url = urlunsplit(("", "", path, parts.query, parts.fragment))


# --- CSRF -----------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    """Return the serializer that signs CSRF tokens with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="gallery-csrf")


def _raw_from_cookie() -> str | None:
    """Return the unsigned token held by the visitor's cookie, if valid."""
    signed = request.cookies.get(CSRF_COOKIE)
    if not signed:
        return None
    try:
        return str(_serializer().loads(signed, max_age=CSRF_MAX_AGE))
    except BadSignature:
        return None


def csrf_token() -> str:
    """Return a signed token to put in a form's hidden field; sets its cookie if needed."""
    if "csrf_raw" not in g:
        raw = _raw_from_cookie()
        if raw is None:
            raw = secrets.token_urlsafe(32)
            g.csrf_set_cookie = True
        g.csrf_raw = raw
    return _serializer().dumps(g.csrf_raw)


def csrf_valid() -> bool:
    """Tell whether the request's form token matches its cookie token."""
    cookie = _raw_from_cookie()
    submitted = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token", "")
    if not cookie or not submitted:
        return False
    try:
        raw = str(_serializer().loads(submitted, max_age=CSRF_MAX_AGE))
    except BadSignature:
        return False
    return hmac.compare_digest(raw.encode(), cookie.encode())


def csrf_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as not needing a CSRF token (e.g. a JSON endpoint with its own check)."""
    view.csrf_exempt = True  # type: ignore[attr-defined]
    return view


def _check_csrf() -> None:
    """Refuse unsafe requests whose CSRF token is missing or wrong."""
    if request.method not in UNSAFE_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "csrf_exempt", False):
        return
    if not csrf_valid():
        abort(400, description="CSRF token missing or invalid.")


def _set_csrf_cookie(response: Response) -> Response:
    """Send the CSRF cookie when this request created a new token."""
    if g.get("csrf_set_cookie"):
        response.set_cookie(
            CSRF_COOKIE,
            _serializer().dumps(g.csrf_raw),
            max_age=CSRF_MAX_AGE,
            httponly=True,
            samesite="Strict",
            secure=request.is_secure,
        )
    return response


def init_app(app: Flask) -> None:
    """Install the header and CSRF hooks on the app."""
    app.before_request(_check_csrf)
    app.after_request(_set_csrf_cookie)
    app.after_request(add_headers)
    app.before_request(_relative_routing_redirect)
    app.response_class = SiteResponse
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["csrf_field"] = CSRF_FIELD
