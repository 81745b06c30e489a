"""The host console `/host/`: one page of controls, each a POST form that works without
JavaScript (it redirects back with a status message) and answers JSON to host.js.

Every action calls the Demo Day service, as the host socket events do; a refusal changes
nothing and comes back as an error message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    url_for,
)

from .. import console, hosts
from ..presence import Refused, StoreUnavailable
from ..records import STATUSES, ChatMessage, records_of, render
from ..site import current_programme, current_site
from .host import guard, host_required, render_host

bp = Blueprint("console", __name__, url_prefix="/host")
guard(bp)

ANNOUNCE_MAX = 500
EXPORT_TYPES = {"csv": "text/csv", "json": "application/json"}


@bp.get("/")
@host_required
def page() -> Response:
    """The console: agenda, stage, announcements, moderation and attendance."""
    exhibition = current_site().exhibition
    context = console.console_context(
        current_app, exhibition, request.args.get("session"), current_programme()
    )
    return render_host("host/console.html", title="Host console", **context)


def _done(message: str, anchor: str, ok: bool = True, session: str | None = None) -> Response:
    """Answer an action: JSON for host.js, else a redirect back to its part of the console."""
    if request.accept_mimetypes.best == "application/json":
        response = jsonify({"ok": ok, "message": message})
        response.status_code = 200 if ok else 400
        return response
    flash(message, "status" if ok else "error")
    session = session or request.form.get("session") or None
    return redirect(url_for("console.page", session=session) + f"#{anchor}", code=303)


def _act(anchor: str, message: str, call: Callable[[console.HostActions, str], Any]) -> Response:
    """Run an action with the Demo Day service and the host's id; report `message` if done."""
    actions = console.actions_of(current_app)
    if actions is None:
        return _done("The live Demo Day is not running on this server.", anchor, ok=False)
    actor = hosts.current_host(current_app) or ""
    try:
        call(actions, actor)
    except Refused as refused:
        return _done(f"Not done: {refused.error}.", anchor, ok=False)
    except StoreUnavailable:
        return _done("Not done: the other servers cannot be reached; try again.", anchor, ok=False)
    return _done(message, anchor)


def _refuse(message: str, anchor: str) -> Response:
    """Report a form refused at the edge, before the service is asked."""
    return _done(f"Not done: {message}.", anchor, ok=False)


def _session_title(session_id: str) -> str | None:
    """Return the English title of an agenda session, None if it is not on the agenda."""
    for row in console.agenda_rows(current_site().exhibition, {}):
        if row.session.id == session_id:
            return row.title
    return None


@bp.post("/sessions/<session_id>/state")
@host_required
def session_state(session_id: str) -> Response:
    """Set a session live or ended (`live` to everyone)."""
    state = request.form.get("state", "")
    title = _session_title(session_id)
    if title is None:
        return _refuse("unknown session", "agenda")
    if state not in ("live", "ended"):
        return _refuse("choose live or ended", "agenda")
    verb = "is live" if state == "live" else "has ended"
    return _act("agenda", f"“{title}” {verb}.", lambda a, actor: a.live(actor, session_id, state))


@bp.post("/spotlight")
@host_required
def spotlight() -> Response:
    """Spotlight an exhibit, or clear the spotlight (`spotlight` to everyone)."""
    exhibit = request.form.get("exhibit", "").strip() or None
    if "clear" in request.form:
        exhibit = None
    message = f"Spotlight on {exhibit}." if exhibit else "Spotlight cleared."
    return _act("stage", message, lambda a, actor: a.spotlight(actor, exhibit))


@bp.post("/announce")
@host_required
def announce() -> Response:
    """Send everyone an announcement (`announcement`)."""
    text = " ".join(request.form.get("text", "").split())
    if not text:
        return _refuse("the announcement is empty", "announce")
    if len(text) > ANNOUNCE_MAX:
        return _refuse(f"the announcement is over {ANNOUNCE_MAX} characters", "announce")
    return _act("announce", "Announcement sent.", lambda a, actor: a.announce(actor, text))


@bp.post("/gather")
@host_required
def gather() -> Response:
    """Invite everyone to a room (`gather`); visitors choose whether to follow."""
    room = request.form.get("room", "")
    found = current_site().exhibition.room(room)
    if found is None:
        return _refuse("unknown room", "announce")
    return _act(
        "announce", f"Everyone is invited to {room}.", lambda a, actor: a.gather(actor, room)
    )


@bp.post("/tour/stop")
@host_required
def stop_tour() -> Response:
    """End the guided tour (`tour` {touring: false})."""
    return _act("announce", "The tour has ended.", lambda a, _actor: a.stop_tour())


@bp.post("/questions/<int:question_id>/status")
@host_required
def question_status(question_id: int) -> Response:
    """Mark a question answered, hidden, or open again."""
    status = request.form.get("status", "")
    if status not in STATUSES:
        return _refuse("unknown status", "questions")
    words = {"open": "reopened", "answered": "marked answered", "hidden": "hidden"}
    return _act(
        "questions",
        f"Question {words[status]}.",
        lambda a, actor: a.moderate(actor, question_id, status),
    )


@bp.post("/chat/<int:message_id>/hide")
@host_required
def hide_chat(message_id: int) -> Response:
    """Hide a chat message from every visitor."""
    return _act("chat", "Message hidden.", lambda a, actor: a.hide_chat(actor, message_id))


def _minutes() -> int | None:
    """Return the mute length of the form, None unless it is one the console offers."""
    raw = request.form.get("minutes", "")
    value = int(raw) if raw.isdigit() else -1
    return value if value in (*console.MUTE_MINUTES, 0) else None


def _mute(visitor: str | None, anchor: str) -> Response:
    """Mute the visitor behind a message or question for the form's minutes."""
    minutes = _minutes()
    if visitor is None:
        return _refuse("unknown message or question", anchor)
    if minutes is None:
        return _refuse("choose how long", anchor)
    message = f"Visitor muted for {minutes} minutes." if minutes else "Mute lifted."
    return _act(anchor, message, lambda a, actor: a.mute(actor, visitor, minutes))


@bp.post("/chat/<int:message_id>/mute")
@host_required
def mute_chatter(message_id: int) -> Response:
    """Mute the visitor who wrote a chat message."""
    found = _chat_message(message_id)
    return _mute(found.visitor if found else None, "chat")


@bp.post("/questions/<int:question_id>/mute")
@host_required
def mute_asker(question_id: int) -> Response:
    """Mute the visitor who asked a question."""
    found = records_of(current_app).question(question_id)
    return _mute(found.visitor if found else None, "questions")


def _chat_message(message_id: int) -> ChatMessage | None:
    """Return the recent chat message with this id, None if it is not among those shown."""
    records = records_of(current_app)
    for slug, _title in console.chat_places(current_site().exhibition):
        for message in records.recent_chat(slug, console.CHAT_SHOWN * 4):
            if message.id == message_id:
                return message
    return None


@bp.get("/sessions/<session_id>/questions.<fmt>")
@host_required
def export(session_id: str, fmt: str) -> Response:
    """Download every question of a session, hidden ones too, as CSV or JSON."""
    if fmt not in EXPORT_TYPES or _session_title(session_id) is None:
        abort(404)
    text = render(records_of(current_app).export(session_id), fmt)
    response = Response(text, mimetype=EXPORT_TYPES[fmt])
    name = "".join(c for c in session_id if c.isascii() and (c.isalnum() or c in "-_")) or "session"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-questions.{fmt}"'
    return response
