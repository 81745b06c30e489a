"""The host console's door: login, logout, and what every console page shares.

Console pages are rendered per request, never cached (Cache-Control: no-store) and never
offered to the front cache. With no password configured every console URL answers 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import hosts
from ..pagecache import SLOT
from ..site import current_site
from ..theme import theme_version

bp = Blueprint("host", __name__, url_prefix="/host")

F = TypeVar("F", bound=Callable[..., Any])

# The console is in English; the exhibition's texts keep their own language marks.
CONSOLE_LANG = "en"


def render_host(template: str, status: int = 200, **context: Any) -> Response:
    """Render a console page: base.html's frame, this request's status messages, no slots."""
    snapshot = current_site().snapshot
    context.setdefault("title", "")
    messages = get_flashed_messages(with_categories=True)
    html = render_template(
        template,
        exhibition=snapshot.exhibition,
        theme_version=theme_version(snapshot),
        lang=CONSOLE_LANG,
        page="host",
        alternates=[],
        room=None,
        exhibit=None,
        messages=messages,
        **context,
    )
    # The visitors' live scripts have no place in the console: drop their slot.
    return Response(SLOT.sub("", html), status=status, mimetype="text/html")


def host_required(view: F) -> F:
    """Let only a logged-in host through: others are sent to the login form, or refused."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if hosts.current_host(current_app) is None:
            if request.method in ("GET", "HEAD"):
                return redirect(url_for("host.login"), code=303)
            return render_host("host/refused.html", status=403, title="Not logged in")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _closed_without_password() -> Response | None:
    """Answer every console URL with 404 while no password is configured."""
    if not hosts.password_configured(current_app.config):
        return render_host("host/closed.html", status=404, title="Host console closed")
    return None


def _never_stored(response: Response) -> Response:
    """Keep console pages out of every cache: they show live, per-host state."""
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Cookie")
    return response


def guard(blueprint: Blueprint) -> None:
    """Make a console blueprint closed without a password and never cached."""
    blueprint.before_request(_closed_without_password)
    blueprint.after_request(_never_stored)


guard(bp)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    """The login form (GET); checks the password (POST), throttling failures per address."""
    app = current_app
    if request.method == "GET":
        if hosts.current_host(app) is not None:
            return redirect(url_for("console.page"), code=303)
        return render_host("host/login.html", title="Host login")
    state = hosts.hosts_of(app)
    key = hosts.client_key(request.remote_addr)
    wait = state.throttle.retry_after(key)
    if wait:
        # Locked out: the password is not even looked at, right or wrong.
        minutes = (wait + 59) // 60
        error = f"Too many failed attempts. Try again in {minutes} minute{'s' * (minutes > 1)}."
        response = render_host("host/login.html", status=429, title="Host login", error=error)
        response.headers["Retry-After"] = str(wait)
        return response
    given = request.form.get("password", "")
    if not hosts.check_password(app.config, given):
        state.throttle.failed(key)
        error = "That password is not right." if given else "Enter the host password."
        return render_host("host/login.html", status=403, title="Host login", error=error)
    state.throttle.succeeded(key)
    hosts.login()
    flash("You are logged in.", "status")
    return redirect(url_for("console.page"), code=303)


@bp.post("/logout")
def logout() -> Response:
    """Log this host out (a POST with the CSRF token) and show the login form."""
    hosts.logout(current_app)
    flash("You are logged out.", "status")
    return redirect(url_for("host.login"), code=303)
