"""The host console's door: password, CSRF, throttling, the session cookie and its checks."""

from __future__ import annotations

import time

import pytest
from flask import Flask, g
from werkzeug.security import check_password_hash, generate_password_hash

from gallery import hosts, security
from gallery.cli import cli

from .host_helpers import PASSWORD, csrf, host_app, host_cookie, log_in

# --- closed without a password ------------------------------------------------------------


@pytest.mark.parametrize("config", [{}, {"HOST_PASSWORD": ""}, {"HOST_PASSWORD_HASH": ""}])
def test_without_a_password_the_console_is_closed(config: dict) -> None:
    app = host_app(**({"HOST_PASSWORD": None} | config))
    client = app.test_client()
    page = client.get("/host/login")
    assert page.status_code == 404
    assert "The host console is closed" in page.get_data(as_text=True)
    assert client.get("/host/").status_code == 404
    assert host_cookie(client, app) is None
    value = _signed(app, {"host": "h", "since": int(time.time())})
    assert hosts.host_from_environ(app, _environ(value)) is None


@pytest.mark.parametrize("password", ["", "None", "none", PASSWORD])
def test_closed_console_refuses_a_login_with_a_valid_csrf_token(password: str) -> None:
    app = host_app(HOST_PASSWORD=None)
    client = app.test_client()
    with app.test_request_context():
        token = security.csrf_token()
        cookie = security._serializer().dumps(g.csrf_raw)
    client.set_cookie(security.CSRF_COOKIE, cookie)
    response = client.post("/host/login", data={"csrf_token": token, "password": password})
    assert response.status_code == 404
    assert host_cookie(client, app) is None


# --- logging in -------------------------------------------------------------------------


def test_login_form_is_labelled_and_carries_a_csrf_token() -> None:
    client = host_app().test_client()
    response = client.get("/host/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="password">' in html and 'id="password" name="password"' in html
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert 'name="csrf_token"' in html
    assert 'role="status"' in html


def test_the_right_password_logs_in_and_opens_the_console() -> None:
    app = host_app()
    client = app.test_client()
    response = log_in(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/host/"  # relative
    console = client.get("/host/")
    assert console.status_code == 200
    assert "You are logged in." in console.get_data(as_text=True)
    assert hosts.host_from_environ(app, {"HTTP_COOKIE": f"gallery_host={host_cookie(client, app)}"})


def test_a_wrong_password_is_refused_and_announced() -> None:
    app = host_app()
    client = app.test_client()
    response = log_in(client, "wrong")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="password-error"' in html
    assert "<title>Error:" in html
    assert host_cookie(client, app) is None
    assert client.get("/host/").status_code == 303


@pytest.mark.parametrize("prefix", ["", "x", " "])
def test_a_password_that_only_starts_or_ends_right_is_refused(prefix: str) -> None:
    client = host_app().test_client()
    assert log_in(client, prefix + PASSWORD[:-1]).status_code == 403
    assert log_in(client, PASSWORD + prefix + "!").status_code == 403


def test_a_hash_from_generate_password_hash_works() -> None:
    app = host_app(HOST_PASSWORD=None, HOST_PASSWORD_HASH=generate_password_hash("s3cret"))
    assert log_in(app.test_client(), "s3cret").status_code == 303
    assert log_in(app.test_client(), "S3cret").status_code == 403


def test_the_hash_wins_over_the_plain_password() -> None:
    app = host_app(HOST_PASSWORD="plain", HOST_PASSWORD_HASH=generate_password_hash("hashed"))
    assert log_in(app.test_client(), "plain").status_code == 403
    assert log_in(app.test_client(), "hashed").status_code == 303


@pytest.mark.parametrize("bad", ["s3cret", "nope$salt$hash", "$$"])
def test_a_hash_that_is_no_hash_stops_the_start(bad: str) -> None:
    with pytest.raises(ValueError, match="gallery hash-password"):
        host_app(HOST_PASSWORD_HASH=bad)


def test_environment_variables_set_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GALLERY_HOST_PASSWORD_HASH", generate_password_hash("from-env"))
    app = host_app(HOST_PASSWORD=None)
    assert log_in(app.test_client(), "from-env").status_code == 303


def test_hash_password_command_prints_a_hash_and_hides_the_password(runner) -> None:
    result = runner.invoke(cli, ["hash-password"], input="s3cret\ns3cret\n")
    assert result.exit_code == 0, result.output
    printed = result.output.strip().splitlines()[-1]
    assert check_password_hash(printed, "s3cret")
    assert "s3cret" not in result.output
    mismatch = runner.invoke(cli, ["hash-password"], input="one\ntwo\none\none\n")
    assert check_password_hash(mismatch.output.strip().splitlines()[-1], "one")


# --- CSRF ------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "forged", "other-visitor"])
def test_login_without_its_csrf_token_is_refused(token: str | None) -> None:
    app = host_app()
    client = app.test_client()
    csrf(client)
    if token == "other-visitor":
        token = csrf(app.test_client())
    data = {"password": PASSWORD} | ({"csrf_token": token} if token is not None else {})
    assert client.post("/host/login", data=data).status_code == 400
    assert host_cookie(client, app) is None


@pytest.mark.parametrize("token", [None, "forged"])
def test_logout_without_its_csrf_token_is_refused(token: str | None) -> None:
    app = host_app()
    client = app.test_client()
    log_in(client)
    data = {"csrf_token": token} if token is not None else {}
    assert client.post("/host/logout", data=data).status_code == 400
    assert client.get("/host/").status_code == 200


# --- throttling ---------------------------------------------------------------------------


def test_repeated_failures_get_429_and_lock_out_the_right_password() -> None:
    app = host_app(HOST_LOGIN_FAILURES=3, HOST_LOGIN_WINDOW=300)
    client = app.test_client()
    for _ in range(3):
        assert log_in(client, "guess").status_code == 403
    locked = log_in(client, PASSWORD)
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 300
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    assert host_cookie(client, app) is None
    assert client.get("/host/").status_code == 303
    # Another address is not locked out.
    other = log_in(app.test_client(), environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 303


def test_a_login_forgets_earlier_failures() -> None:
    app = host_app(HOST_LOGIN_FAILURES=3)
    client = app.test_client()
    log_in(client, "guess")
    log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 303
    assert len(hosts.hosts_of(app).throttle) == 0


def test_the_throttle_lets_a_client_try_again_after_its_window() -> None:
    throttle = hosts.Throttle(limit=2, window=60)
    throttle.failed("a", now=0)
    assert throttle.retry_after("a", now=1) == 0
    throttle.failed("a", now=10)
    assert throttle.retry_after("a", now=11) == 49
    assert throttle.retry_after("a", now=59.5) == 1
    assert throttle.retry_after("a", now=60) == 0  # the first failure slid out of the window
    throttle.failed("a", now=61)
    assert throttle.retry_after("a", now=62) == 8


def test_the_throttle_table_is_bounded() -> None:
    throttle = hosts.Throttle(limit=5, window=60, capacity=100)
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}", now=n)
    assert len(throttle) == 100
    assert all(len(failures) <= 5 for failures in throttle._failures.values())


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        (None, "-"),
    ],
)
def test_ipv6_clients_are_throttled_by_their_slash_64(address: str | None, key: str) -> None:
    assert hosts.client_key(address) == key


# --- the cookie ---------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_samesite_and_lasts_twelve_hours() -> None:
    app = host_app()
    client = app.test_client()
    response = log_in(client)
    header = next(v for v in response.headers.getlist("Set-Cookie") if "gallery_host=" in v)
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    assert "Secure" not in header  # plain HTTP on a development machine
    cookie = client.get_cookie("gallery_host")
    assert cookie.expires is not None
    assert 11.9 * 3600 < cookie.expires.timestamp() - time.time() <= 12 * 3600 + 5


def test_the_session_cookie_is_secure_over_https() -> None:
    client = host_app().test_client()
    response = log_in(client, base_url="https://gallery.example")
    header = next(v for v in response.headers.getlist("Set-Cookie") if "gallery_host=" in v)
    assert "Secure" in header


def test_behind_a_trusted_tls_proxy_the_cookie_is_secure() -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9"}
    trusting = host_app(TRUSTED_PROXIES=1).test_client()
    response = log_in(trusting, headers=forwarded)
    assert any("Secure" in v for v in response.headers.getlist("Set-Cookie") if "gallery_host" in v)
    # Without the setting the forwarded headers are the client's words: ignored.
    naive = host_app().test_client()
    response = log_in(naive, headers=forwarded)
    header = next(v for v in response.headers.getlist("Set-Cookie") if "gallery_host=" in v)
    assert "Secure" not in header


def test_behind_a_trusted_proxy_failures_count_per_forwarded_client() -> None:
    app = host_app(TRUSTED_PROXIES=1, HOST_LOGIN_FAILURES=2)
    for _ in range(2):
        log_in(app.test_client(), "guess", headers={"X-Forwarded-For": "198.51.100.1"})
    locked = log_in(app.test_client(), headers={"X-Forwarded-For": "198.51.100.1"})
    assert locked.status_code == 429
    other = log_in(app.test_client(), headers={"X-Forwarded-For": "198.51.100.2"})
    assert other.status_code == 303


def test_the_cookie_can_be_required_secure_always() -> None:
    response = log_in(host_app(SESSION_COOKIE_SECURE=True).test_client())
    assert any("Secure" in v for v in response.headers.getlist("Set-Cookie") if "gallery_host" in v)


# --- recognising a host from a socket's environ -------------------------------------------


def _environ(value: str, name: str = "gallery_host") -> dict:
    return {"HTTP_COOKIE": f"theme=dark; {name}={value}; other=1"}


def _signed(app: Flask, data: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(data)


def test_host_from_environ_returns_the_host_id_of_a_login() -> None:
    app = host_app()
    client = app.test_client()
    log_in(client)
    host = hosts.host_from_environ(app, _environ(host_cookie(client, app)))
    assert isinstance(host, str) and len(host) >= 16


def test_each_login_gets_its_own_host_id_and_sessions_are_independent() -> None:
    app = host_app()
    first, second = app.test_client(), app.test_client()
    log_in(first)
    log_in(second)
    one = hosts.host_from_environ(app, _environ(host_cookie(first, app)))
    two = hosts.host_from_environ(app, _environ(host_cookie(second, app)))
    assert one and two and one != two
    first.post("/host/logout", data={"csrf_token": csrf(first, "/host/")})
    assert first.get("/host/").status_code == 303
    assert second.get("/host/").status_code == 200


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "forged",
        "eyJob3N0IjoieCIsInNpbmNlIjoxfQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ],
)
def test_host_from_environ_refuses_forged_cookies(cookie: str) -> None:
    assert hosts.host_from_environ(host_app(), _environ(cookie)) is None


def test_host_from_environ_refuses_no_cookie_header() -> None:
    assert hosts.host_from_environ(host_app(), {}) is None


def test_host_from_environ_refuses_a_tampered_cookie() -> None:
    app = host_app()
    client = app.test_client()
    log_in(client)
    value = host_cookie(client, app)
    payload, stamp, signature = value.rsplit(".", 2)
    other = app.session_interface.get_signing_serializer(app).dumps(
        {"host": "intruder", "since": int(time.time())}
    )
    for tampered in (
        payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + f".{stamp}.{signature}",
        f"{other.rsplit('.', 2)[0]}.{stamp}.{signature}",
        f"{payload}.{stamp}.{signature[:-1]}",
    ):
        assert hosts.host_from_environ(app, _environ(tampered)) is None


def test_host_from_environ_refuses_a_cookie_signed_with_another_key() -> None:
    other = host_app(SECRET_KEY="another key")
    value = _signed(other, {"host": "h", "since": int(time.time())})
    assert hosts.host_from_environ(other, _environ(value)) == "h"
    assert hosts.host_from_environ(host_app(), _environ(value)) is None


def test_host_from_environ_refuses_a_visitor_session_without_a_host() -> None:
    app = host_app()
    assert hosts.host_from_environ(app, _environ(_signed(app, {"_flashes": []}))) is None
    assert hosts.host_from_environ(app, _environ(_signed(app, {"host": 3, "since": 1}))) is None


def test_host_from_environ_refuses_an_expired_login() -> None:
    app = host_app(PERMANENT_SESSION_LIFETIME=3600)
    now = int(time.time())
    fresh = _signed(app, {"host": "h", "since": now - 3500})
    old = _signed(app, {"host": "h", "since": now - 3601})
    future = _signed(app, {"host": "h", "since": now + 3600})
    assert hosts.host_from_environ(app, _environ(fresh)) == "h"
    assert hosts.host_from_environ(app, _environ(old)) is None
    assert hosts.host_from_environ(app, _environ(future)) is None


def test_an_expired_login_no_longer_opens_the_console() -> None:
    app = host_app(PERMANENT_SESSION_LIFETIME=3600)
    client = app.test_client()
    client.set_cookie("gallery_host", _signed(app, {"host": "h", "since": int(time.time()) - 4000}))
    assert client.get("/host/").status_code == 303


def test_an_old_signature_is_refused_even_if_the_login_time_is_recent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = host_app(PERMANENT_SESSION_LIFETIME=3600)
    signer_time = time.time() - 7200
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: signer_time)
    value = _signed(app, {"host": "h", "since": int(time.time())})
    monkeypatch.undo()
    assert hosts.host_from_environ(app, _environ(value)) is None


def test_host_from_environ_refuses_a_logged_out_cookie() -> None:
    app = host_app()
    client = app.test_client()
    log_in(client)
    copied = host_cookie(client, app)
    response = client.post("/host/logout", data={"csrf_token": csrf(client, "/host/")})
    assert response.status_code == 303 and response.headers["Location"] == "/host/login"
    assert hosts.host_from_environ(app, _environ(copied)) is None
    thief = app.test_client()
    thief.set_cookie("gallery_host", copied)
    assert thief.get("/host/").status_code == 303
    assert "You are logged out." in client.get("/host/login").get_data(as_text=True)


def test_host_from_environ_closes_with_the_console() -> None:
    app = host_app()
    value = _signed(app, {"host": "h", "since": int(time.time())})
    app.config["HOST_PASSWORD"] = None
    assert hosts.host_from_environ(app, _environ(value)) is None


# --- caching and visitors ---------------------------------------------------------------


def test_host_pages_are_never_stored() -> None:
    app = host_app()
    client = app.test_client()
    assert client.get("/host/login").headers["Cache-Control"] == "no-store"
    log_in(client)
    console = client.get("/host/")
    assert console.headers["Cache-Control"] == "no-store"
    assert "Cookie" in console.headers.get("Vary", "")
    # The front cache keeps nothing of the console: a visitor gets the redirect, not the page.
    stranger = app.test_client()
    assert stranger.get("/host/").status_code == 303


@pytest.mark.parametrize("url", ["/fr/", "/fr/rooms/lab/", "/en/agenda/", "/api/presence.json"])
def test_visitors_pages_set_no_cookie_and_stay_cacheable(url: str) -> None:
    app = host_app()
    visitor = app.test_client()
    response = visitor.get(url)
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    # A logged-in host walking the gallery gets the same shareable pages.
    host = app.test_client()
    log_in(host)
    host.get("/host/")  # the login's status message is shown and gone
    response = host.get(url)
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
