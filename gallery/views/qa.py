"""The questions of a Demo Day session, for clients without a socket and pages without JS."""

from __future__ import annotations

import orjson
from flask import Blueprint, Response, abort, current_app, url_for

from ..content import urllayout
from ..content.model import Session
from ..pagecache import render_fresh
from ..presence import Refused
from ..qa import stage_room
from ..site import current_demoday, current_site

bp = Blueprint("qa", __name__)


def _session_or_404(session_id: str) -> Session:
    """Return the agenda session with this id, or answer 404."""
    try:
        return current_demoday().session(session_id)
    except Refused:
        abort(404)


@bp.get("/api/sessions/<session>/questions.json")
def questions_json(session: str) -> Response:
    """Return `{session, items}`: the visible questions, most votes first; never cached."""
    found = _session_or_404(session)
    data = {"session": found.id, "items": current_demoday().questions(found.id)}
    response = current_app.response_class(orjson.dumps(data), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(urllayout.QUESTIONS)
def questions_page(lang: str, session: str) -> Response:
    """A session's questions as a page: readable without JavaScript, fresh on every visit."""
    exhibition = current_site().exhibition
    if lang not in exhibition.languages:
        abort(404)
    found = _session_or_404(session)
    room = stage_room(exhibition, found)
    return render_fresh(
        "questions.html",
        dict(
            lang=lang,
            page="questions",
            alternates=[
                (code, url_for("qa.questions_page", lang=code, session=found.id))
                for code in exhibition.languages
            ],
            session=found,
            stage=exhibition.room(room) if room else None,
            questions=current_demoday().questions(found.id),
        ),
    )
