"""The questions of a session over HTTP: the JSON list and the page without JavaScript."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from gallery.records import records_of


def seed(app: Flask) -> tuple[int, int, int]:
    """Ask three questions of `opening`: one voted, one answered, one hidden."""
    demoday = app.extensions["gallery.demoday"]
    first = demoday.ask("v:1", "Ada <b>", "opening", "Why <script>?")["id"]
    voted = demoday.ask("v:2", "Bob", "opening", "How?")["id"]
    hidden = demoday.ask("v:3", "Eve", "opening", "Spam")["id"]
    demoday.vote("v:1", voted)
    demoday.moderate("alice", first, "answered")
    demoday.moderate("alice", hidden, "hidden")
    return first, voted, hidden


def test_questions_json_lists_the_visible_questions(app: Flask, client: FlaskClient) -> None:
    first, voted, _hidden = seed(app)
    response = client.get("/api/sessions/opening/questions.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {
        "session": "opening",
        "items": [
            {"id": voted, "text": "How?", "name": "Bob", "votes": 1, "status": "open"},
            {
                "id": first,
                "text": "Why <script>?",
                "name": "Ada <b>",
                "votes": 0,
                "status": "answered",
            },
        ],
    }


def test_unknown_sessions_are_404(client: FlaskClient) -> None:
    assert client.get("/api/sessions/nope/questions.json").status_code == 404
    assert client.get("/en/sessions/nope/questions/").status_code == 404
    assert client.get("/de/sessions/opening/questions/").status_code == 404


def test_the_questions_page_shows_them_escaped_and_is_never_cached(
    app: Flask, client: FlaskClient
) -> None:
    seed(app)
    response = client.get("/en/sessions/opening/questions/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert "<h1>Questions: Opening</h1>" in html
    assert html.index("How?") < html.index("Why &lt;script&gt;?")
    assert "asked by Ada &lt;b&gt;" in html and "<strong>answered</strong>" in html
    assert "Spam" not in html
    assert '<a href="/en/rooms/stage/">Back to Stage</a>' in html
    fresh = app.extensions["gallery.demoday"].ask("v:9", "Zoe", "opening", "Later?")
    assert "Later?" in client.get("/en/sessions/opening/questions/").get_data(as_text=True)
    assert records_of(app).question(fresh["id"]) is not None


def test_the_french_page_is_in_french(app: Flask, client: FlaskClient) -> None:
    html = client.get("/fr/sessions/opening/questions/").get_data(as_text=True)
    assert "Pas encore de question." in html and 'lang="fr"' in html
