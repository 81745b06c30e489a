"""The rehearsal clock: parsing, the CLI option and GALLERY_CLOCK, and the app's one "now"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from gallery import create_app
from gallery.cli import cli
from gallery.clock import (
    FrozenClock,
    RehearsalClock,
    SystemClock,
    make_clock,
    parse_moment,
)
from gallery.extensions import socketio

from .conftest import BASIC

REHEARSAL = datetime(2021, 6, 17, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2021-06-17T14:00+02:00",
        "2021-06-17T14:00:00+02:00",
        "2021-06-17T12:00Z",
        " 2021-06-17T12:00:00+00:00 ",
    ],
)
def test_parse_moment_reads_iso_moments_with_an_offset(text: str) -> None:
    assert parse_moment(text) == REHEARSAL


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2021-06-17T14:00",
            "moment '2021-06-17T14:00' has no UTC offset (add one, e.g. +02:00 or Z)",
        ),
        ("tomorrow", "invalid moment 'tomorrow' (expected e.g. 2021-06-17T14:00+02:00)"),
        (
            "2021-13-17T14:00+02:00",
            "invalid moment '2021-13-17T14:00+02:00' (expected e.g. 2021-06-17T14:00+02:00)",
        ),
    ],
)
def test_parse_moment_refuses_ambiguous_or_broken_moments(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_moment(text)
    assert str(error.value) == message


def test_a_rehearsal_clock_starts_at_its_moment_and_runs_on() -> None:
    clock = RehearsalClock(REHEARSAL)
    first = clock.now()
    second = clock.now()
    assert REHEARSAL <= first <= second
    assert (second - REHEARSAL).total_seconds() < 5


def test_make_clock_reads_the_setting() -> None:
    assert isinstance(make_clock(None), SystemClock)
    assert isinstance(make_clock(""), SystemClock)
    assert make_clock("2021-06-17T14:00+02:00").now() >= REHEARSAL
    frozen = FrozenClock(REHEARSAL)
    assert make_clock(frozen) is frozen
    with pytest.raises(TypeError):
        make_clock(42)


def test_a_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock("2021-06-17T14:00+02:00")
    assert clock.now() == REHEARSAL
    clock.advance(90)
    assert clock.now() == datetime(2021, 6, 17, 12, 1, 30, tzinfo=UTC)
    clock.set("2021-06-17T15:00+02:00")
    assert clock.now() == datetime(2021, 6, 17, 13, 0, tzinfo=UTC)


def test_the_app_uses_real_time_without_a_clock_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GALLERY_CLOCK", raising=False)
    app = create_app({"TESTING": True, "ROOMS": str(BASIC)})
    now = app.extensions["gallery.clock"].now()
    assert abs((now - datetime.now(UTC)).total_seconds()) < 5


def test_gallery_clock_in_the_environment_sets_the_app_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GALLERY_CLOCK", "2021-06-17T14:00+02:00")
    app = create_app({"TESTING": True, "ROOMS": str(BASIC)})
    now = app.extensions["gallery.clock"].now()
    assert now >= REHEARSAL and (now - REHEARSAL).total_seconds() < 5


def test_a_clock_in_the_config_mapping_is_the_apps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALLERY_CLOCK", "2030-01-01T00:00Z")
    clock = FrozenClock(REHEARSAL)
    app = create_app({"TESTING": True, "ROOMS": str(BASIC), "CLOCK": clock})
    assert app.extensions["gallery.clock"] is clock


def test_chat_messages_are_stamped_by_the_app_clock() -> None:
    clock = FrozenClock("2021-06-17T14:05+02:00")
    app = create_app({"TESTING": True, "ROOMS": str(BASIC), "SECRET_KEY": "t", "CLOCK": clock})
    sio = socketio.test_client(app)
    try:
        assert sio.emit("enter", {"room": "hall", "name": "Ada"}, callback=True)["ok"]
        assert sio.emit("chat", {"text": "Bonjour"}, callback=True) == {"ok": True}
        [message] = sio.emit("enter", {"room": "hall"}, callback=True)["chat"]
        assert message["at"] == "2021-06-17T12:05:00Z"
    finally:
        sio.disconnect()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the server run by `gallery serve` with a recorder of its arguments."""
    calls: list[dict] = []
    monkeypatch.setattr("gallery.serve.run", lambda root, **kwargs: calls.append(kwargs))
    monkeypatch.delenv("GALLERY_CLOCK", raising=False)
    return calls


def test_serve_clock_option_reaches_the_app(runner: CliRunner, served: list[dict]) -> None:
    result = runner.invoke(cli, ["serve", str(BASIC), "--clock", "2021-06-17T14:00+02:00"])
    assert result.exit_code == 0, result.output
    assert served[0]["clock"] == "2021-06-17T14:00+02:00"


def test_serve_reads_gallery_clock(runner: CliRunner, served: list[dict]) -> None:
    result = runner.invoke(
        cli, ["serve", str(BASIC)], env={"GALLERY_CLOCK": "2021-06-17T14:00+02:00"}
    )
    assert result.exit_code == 0, result.output
    assert served[0]["clock"] == "2021-06-17T14:00+02:00"


def test_serve_without_clock_runs_on_real_time(runner: CliRunner, served: list[dict]) -> None:
    result = runner.invoke(cli, ["serve", str(BASIC)])
    assert result.exit_code == 0, result.output
    assert served[0]["clock"] is None


def test_serve_refuses_a_clock_without_offset(
    runner: CliRunner, served: list[dict], tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["serve", str(BASIC), "--clock", "2021-06-17T14:00"])
    assert result.exit_code == 2
    assert "has no UTC offset" in result.output
    assert served == []
