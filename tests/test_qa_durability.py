"""A question acknowledged to a visitor survives a restart and a kill -9 right after the ack."""

from __future__ import annotations

import json
import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gallery.config import database_url
from gallery.records import SqlRecords

from .conftest import BASIC
from .servers import GalleryServer
from .wsclient import RawClient


@pytest.fixture
def server(tmp_path: Path) -> Iterator[GalleryServer]:
    """A real `gallery serve` keeping its records in tmp_path; killed at the end."""
    made = GalleryServer(BASIC, env={"GALLERY_DATA_DIR": str(tmp_path / "data")})
    made.start()
    yield made
    made.kill()


def questions(server: GalleryServer) -> list[dict]:
    """Read the session's questions from the server's JSON endpoint."""
    url = server.url + "/api/sessions/opening/questions.json"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)["items"]


def ask_and_vote(server: GalleryServer, text: str) -> tuple[int, dict]:
    """Ask a question, vote for it, and return its id and the vote's ack."""
    client = RawClient(server.port)
    try:
        ack = client.ack(client.emit("ask", {"session": "opening", "text": text}))
        assert ack["ok"] is True, ack
        vote = client.ack(client.emit("vote", {"question": ack["id"]}))
    finally:
        client.close()
    return ack["id"], vote


@pytest.mark.parametrize("stop", ["kill -9", "restart"])
def test_an_acknowledged_question_survives(server: GalleryServer, stop: str) -> None:
    """SIGKILL the moment the vote's ack arrives (or stop cleanly), start again: all is there."""
    question, vote = ask_and_vote(server, "Will it last?")
    assert vote == {"ok": True, "votes": 1}
    assert server.process is not None
    if stop == "kill -9":
        server.kill()
    else:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=10)
    server.start()
    assert questions(server) == [
        {
            "id": question,
            "text": "Will it last?",
            "name": questions(server)[0]["name"],
            "votes": 1,
            "status": "open",
        }
    ]
    # The server serves as before: a refusal, then a question again.
    client = RawClient(server.port)
    assert client.ack(client.emit("ask", {"session": "opening", "text": ""})) == {
        "ok": False,
        "error": "text empty",
    }
    client.close()
    later, _vote = ask_and_vote(server, "And after?")
    assert [q["id"] for q in questions(server)] == [question, later]


def test_a_session_the_host_ended_stays_ended_after_a_restart(server: GalleryServer) -> None:
    """The stage read back at start-up what the hosts decided, not only what the clock says."""
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=10)
    records = SqlRecords(database_url({"DATA_DIR": server.env["GALLERY_DATA_DIR"]}))
    try:
        records.set_session_state("opening", "live", by="host")
        records.set_session_state("opening", "ended", by="host")
    finally:
        records.close()
    server.start()
    with urllib.request.urlopen(server.url + "/api/stage.json", timeout=10) as response:
        stage = json.load(response)
    opening = next(s for s in stage["sessions"] if s["id"] == "opening")
    assert (opening["phase"], opening["by_host"]) == ("past", True)
