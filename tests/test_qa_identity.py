"""The stable anonymous visitor key drawn from the token in the Socket.IO `auth`."""

from __future__ import annotations

from typing import Any

import pytest

from gallery.qa import visitor_key

TOKEN = "Zm9vYmFyYmF6cXV4LTEyMzQ1"


def test_the_same_token_gives_the_same_key() -> None:
    key = visitor_key("secret", {"token": TOKEN})
    assert key == visitor_key(b"secret", {"token": TOKEN, "other": 1})
    assert key is not None and key.startswith("v:") and TOKEN not in key


def test_the_key_depends_on_the_secret_and_the_token() -> None:
    key = visitor_key("secret", {"token": TOKEN})
    assert visitor_key("other secret", {"token": TOKEN}) != key
    assert visitor_key("secret", {"token": TOKEN + "x"}) != key


@pytest.mark.parametrize(
    "auth",
    [
        None,
        "token",
        {},
        {"token": None},
        {"token": 12},
        {"token": "short"},
        {"token": "x" * 129},
        {"token": "has spaces in it, too"},
        {"token": "é" * 20},
    ],
)
def test_no_key_without_a_well_formed_token(auth: Any) -> None:
    assert visitor_key("secret", auth) is None
