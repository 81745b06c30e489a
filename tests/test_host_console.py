"""The host console's page and forms: each form calls the Demo Day service once, with the
host's id, or refuses and calls nothing."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gallery import hosts
from gallery.presence import Refused
from gallery.records import records_of

from .host_helpers import csrf, host_app, host_cookie, log_in


class Recorder:
    """A Demo Day service that records the calls it gets and can refuse them."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.refuse: str | None = None

    def _call(self, *call: Any) -> dict[str, Any]:
        if self.refuse:
            raise Refused(self.refuse)
        self.calls.append(call)
        return {"ok": True}

    def live(self, actor: str, session_id: str, state: str) -> dict[str, Any]:
        return self._call("live", actor, session_id, state)

    def spotlight(self, actor: str, exhibit: str | None) -> dict[str, Any]:
        return self._call("spotlight", actor, exhibit)

    def announce(self, actor: str, text: str) -> dict[str, Any]:
        return self._call("announce", actor, text)

    def gather(self, actor: str, room: str) -> dict[str, Any]:
        return self._call("gather", actor, room)

    def stop_tour(self) -> dict[str, Any]:
        return self._call("stop_tour")

    def moderate(self, actor: str, question_id: int, status: str) -> dict[str, Any]:
        return self._call("moderate", actor, question_id, status)

    def hide_chat(self, actor: str, message_id: int) -> dict[str, Any]:
        return self._call("hide_chat", actor, message_id)

    def mute(self, actor: str, visitor: str, minutes: int) -> dict[str, Any]:
        return self._call("mute", actor, visitor, minutes)


@pytest.fixture
def app(tmp_path) -> Flask:
    app = host_app(DATABASE_URL=f"sqlite:///{tmp_path / 'records.sqlite3'}")
    app.extensions["gallery.demoday"] = Recorder()
    return app


@pytest.fixture
def demoday(app: Flask) -> Recorder:
    return app.extensions["gallery.demoday"]


@pytest.fixture
def host(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert log_in(client).status_code == 303
    client.get("/host/")  # shows the login message once
    return client


@pytest.fixture
def seeded(app: Flask) -> dict[str, int]:
    records = records_of(app)
    first = records.add_question("opening", "visitor-a", "Ada", "First question?")
    second = records.add_question("opening", "visitor-b", "Bo", "Second question?")
    records.vote(second.id, "visitor-c")
    chat = records.add_chat("hall", "visitor-d", "Cy", "Hello all")
    return {"first": first.id, "second": second.id, "chat": chat.id}


def host_id(app: Flask, client: FlaskClient) -> str:
    return hosts.host_from_environ(app, {"HTTP_COOKIE": f"gallery_host={host_cookie(client, app)}"})


def post(client: FlaskClient, url: str, **data: Any) -> Any:
    return client.post(url, data={"csrf_token": csrf(client, "/host/"), **data})


# Every form of the console: (URL, form data, the call it makes with the host id as actor).
FORMS = [
    ("/host/sessions/opening/state", {"state": "live"}, ("live", "opening", "live")),
    ("/host/sessions/opening/state", {"state": "ended"}, ("live", "opening", "ended")),
    ("/host/spotlight", {"exhibit": "lab/maps"}, ("spotlight", "lab/maps")),
    ("/host/spotlight", {"exhibit": "lab/maps", "clear": "1"}, ("spotlight", None)),
    ("/host/announce", {"text": "  Pitches  start\nnow "}, ("announce", "Pitches start now")),
    ("/host/gather", {"room": "stage"}, ("gather", "stage")),
    ("/host/questions/{first}/status", {"status": "answered"}, ("moderate", "{first}", "answered")),
    ("/host/questions/{first}/status", {"status": "hidden"}, ("moderate", "{first}", "hidden")),
    ("/host/questions/{first}/status", {"status": "open"}, ("moderate", "{first}", "open")),
    ("/host/chat/{chat}/hide", {}, ("hide_chat", "{chat}")),
    ("/host/chat/{chat}/mute", {"minutes": "15"}, ("mute", "visitor-d", 15)),
    ("/host/questions/{second}/mute", {"minutes": "0"}, ("mute", "visitor-b", 0)),
]


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    return value


class Form(NamedTuple):
    """A form of the console, the seeded ids filled in: its URL, data and the call it makes."""

    url: str
    data: dict[str, str]
    call: tuple[Any, ...] | None


@pytest.fixture
def form(request: pytest.FixtureRequest, seeded: dict[str, int]) -> Form:
    """The form the test is parametrised with (indirectly, from FORMS), filled for `seeded`."""
    url, data, call = request.param
    filled = tuple(_fill(a, seeded) for a in call) if call is not None else None
    return Form(_fill(url, seeded), data, filled)


# Every form, stop the tour too (it acts as no one in particular: tested alone).
ALL_FORMS = [*FORMS, ("/host/tour/stop", {}, None)]


@pytest.mark.parametrize("form", FORMS, indirect=True)
def test_each_form_calls_the_service_as_the_host(
    app: Flask, host: FlaskClient, demoday: Recorder, form: Form
) -> None:
    response = post(host, form.url, **form.data)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/host/")
    assert form.call is not None
    name, *args = form.call
    expected = (name, *args)
    if name != "stop_tour":
        expected = (name, host_id(app, host), *expected[1:])
    assert demoday.calls == [expected]
    page = host.get("/host/").get_data(as_text=True)
    assert 'class="host-message host-message-status"' in page


def test_stop_tour_calls_the_service(host: FlaskClient, demoday: Recorder) -> None:
    assert post(host, "/host/tour/stop").status_code == 303
    assert demoday.calls == [("stop_tour",)]


@pytest.mark.parametrize("form", ALL_FORMS, indirect=True)
@pytest.mark.parametrize("token", [None, "forged", "other"])
def test_every_form_refuses_a_missing_or_wrong_csrf_token(
    app: Flask, host: FlaskClient, demoday: Recorder, form: Form, token: str | None
) -> None:
    if token == "other":
        token = csrf(app.test_client(), "/host/login")
    data = {**form.data, **({"csrf_token": token} if token else {})}
    assert host.post(form.url, data=data).status_code == 400
    assert demoday.calls == []


@pytest.mark.parametrize("form", ALL_FORMS, indirect=True)
def test_every_form_refuses_a_visitor(app: Flask, demoday: Recorder, form: Form) -> None:
    visitor = app.test_client()
    token = csrf(visitor, "/host/login")
    response = visitor.post(form.url, data={"csrf_token": token, **form.data})
    assert response.status_code == 403
    assert demoday.calls == []


@pytest.mark.parametrize(
    ("url", "data", "error"),
    [
        ("/host/sessions/nope/state", {"state": "live"}, "unknown session"),
        ("/host/sessions/opening/state", {"state": "paused"}, "choose live or ended"),
        ("/host/announce", {"text": "   "}, "the announcement is empty"),
        ("/host/announce", {"text": "x" * 501}, "over 500 characters"),
        ("/host/gather", {"room": "attic"}, "unknown room"),
        ("/host/questions/{first}/status", {"status": "deleted"}, "unknown status"),
        ("/host/questions/999/mute", {"minutes": "5"}, "unknown message or question"),
        ("/host/chat/999/mute", {"minutes": "5"}, "unknown message or question"),
        ("/host/chat/{chat}/mute", {"minutes": "7"}, "choose how long"),
        ("/host/chat/{chat}/mute", {"minutes": "-5"}, "choose how long"),
    ],
)
def test_bad_forms_are_refused_before_the_service(
    host: FlaskClient, demoday: Recorder, seeded: dict, url: str, data: dict, error: str
) -> None:
    response = post(host, _fill(url, seeded), **data)
    assert response.status_code == 303
    assert demoday.calls == []
    page = host.get("/host/").get_data(as_text=True)
    assert "host-message-error" in page and error in page


def test_a_refusal_of_the_service_is_reported(
    host: FlaskClient, demoday: Recorder, seeded: dict
) -> None:
    demoday.refuse = "unknown exhibit"
    response = post(host, "/host/spotlight", exhibit="lab/nothing")
    assert response.status_code == 303
    assert demoday.calls == []
    assert "Not done: unknown exhibit." in host.get("/host/").get_data(as_text=True)


def test_without_the_demo_day_service_forms_say_so(app: Flask, host: FlaskClient) -> None:
    del app.extensions["gallery.demoday"]
    page = host.get("/host/").get_data(as_text=True)
    assert "not running on this server" in page
    post(host, "/host/announce", text="Hello")
    assert "not running on this server" in host.get("/host/").get_data(as_text=True)


def test_forms_answer_json_to_scripts(host: FlaskClient, demoday: Recorder) -> None:
    token = csrf(host, "/host/")
    accept = {"Accept": "application/json"}
    done = host.post("/host/announce", data={"csrf_token": token, "text": "Hi"}, headers=accept)
    assert done.status_code == 200
    assert done.get_json() == {"ok": True, "message": "Announcement sent."}
    refused = host.post("/host/announce", data={"csrf_token": token, "text": ""}, headers=accept)
    assert refused.status_code == 400 and refused.get_json()["ok"] is False
    assert demoday.calls == [("announce", demoday.calls[0][1], "Hi")]


def test_the_console_lists_questions_by_votes_with_hidden_ones(
    app: Flask, host: FlaskClient, seeded: dict
) -> None:
    records_of(app).set_status(seeded["first"], "hidden", "someone")
    html = host.get("/host/?session=opening").get_data(as_text=True)
    rows = re.findall(r'data-question="(\d+)"', html)
    assert rows == [str(seeded["second"]), str(seeded["first"])]
    assert "host-question-hidden" in html and "Reopen" in html
    assert "Hello all" in html  # recent chat of the hall


def test_the_console_shows_the_agenda_rooms_exhibits_and_attendance(host: FlaskClient) -> None:
    html = host.get("/host/").get_data(as_text=True)
    for hook in ('id="agenda"', 'id="questions"', 'id="chat"', 'id="attendance"'):
        assert hook in html
    assert 'action="/host/sessions/opening/state"' in html
    assert '<option value="lab/maps"' in html
    assert 'data-room-now="stage"' in html
    assert 'href="/host/sessions/opening/questions.csv"' in html


def test_the_attendance_figures_say_how_often_they_are_saved(tmp_path) -> None:
    """The figures since the opening come from the last save: the console says how often."""
    app = host_app(DATABASE_URL=f"sqlite:///{tmp_path / 'records.sqlite3'}", ATTENDANCE_FLUSH=30.0)
    client = app.test_client()
    assert log_in(client).status_code == 303
    html = client.get("/host/").get_data(as_text=True)
    assert "saved every 30 s" in html and "up to the last save" in html


def test_exports_give_csv_and_json_to_hosts_only(
    app: Flask, host: FlaskClient, seeded: dict
) -> None:
    records_of(app).add_question("opening", "visitor-e", "Eve", "=HYPERLINK(1)")
    csv = host.get("/host/sessions/opening/questions.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    assert csv.headers["Cache-Control"] == "no-store"
    text = csv.get_data(as_text=True)
    assert "First question?" in text and "'=HYPERLINK(1)" in text
    data = host.get("/host/sessions/opening/questions.json").get_json()
    assert {row["text"] for row in data} >= {"First question?", "Second question?"}
    assert host.get("/host/sessions/nope/questions.csv").status_code == 404
    assert host.get("/host/sessions/opening/questions.xml").status_code == 404
    assert app.test_client().get("/host/sessions/opening/questions.csv").status_code == 303


def test_a_session_on_by_its_times_shows_live_and_can_be_ended(tmp_path) -> None:
    from gallery.clock import FrozenClock

    app = host_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'records.sqlite3'}",
        CLOCK=FrozenClock("2021-06-17T14:10+02:00"),
    )
    app.extensions["gallery.demoday"] = Recorder()
    client = app.test_client()
    log_in(client)
    html = client.get("/host/").get_data(as_text=True)
    row = html[html.index('class="host-row-live"') :]
    row = row[: row.index("</tr>")]
    assert 'Live</span><span class="host-meta">by its times' in row
    assert 'value="ended">End' in row and 'value="live">Go live' not in row
    assert '<option value="opening" selected>Opening (live)</option>' in html
