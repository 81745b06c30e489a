"""The systemd units and settings in deploy/ agree with the gallery and with nginx's file."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from gallery.config import DEFAULTS

from .deploy_helpers import DEPLOY

UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def settings(name: str) -> dict[str, str]:
    lines = (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {key: value for key, value in pairs}


@pytest.mark.parametrize("unit", UNITS, ids=[unit.name for unit in UNITS])
def test_systemd_accepts_the_unit(unit) -> None:
    """`systemd-analyze verify` finds nothing wrong but the programs this machine lacks."""
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, cwd=unit.parent
    )
    complaints = [
        line
        for line in (checked.stdout + checked.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert complaints == []


def test_the_process_unit_runs_what_the_tests_run() -> None:
    unit = (DEPLOY / "systemd" / "gallery@.service").read_text(encoding="utf-8")
    start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    words = shlex.split(start.removeprefix("ExecStart="))
    assert words[0].endswith("/bin/gunicorn")
    assert words[words.index("--config") + 1].endswith("/deploy/gunicorn.conf.py")
    assert words[words.index("--bind") + 1] == "127.0.0.1:%i"
    assert words[-1] == "gallery.wsgi:application"


def test_the_settings_are_the_gallerys() -> None:
    for name in ("gallery.env", "gallery-8001.env"):
        for key in settings(name):
            assert key.startswith("GALLERY_") and key.removeprefix("GALLERY_") in DEFAULTS, key


def test_nginx_serves_the_folder_the_gallery_keeps() -> None:
    pages = settings("gallery-8001.env")["GALLERY_PAGES_DIR"]
    conf = (DEPLOY / "nginx" / "gallery.conf").read_text(encoding="utf-8")
    assert f"root {pages}/current;" in conf
    unit = (DEPLOY / "systemd" / "gallery@.service").read_text(encoding="utf-8")
    assert pages in next(line for line in unit.splitlines() if line.startswith("ReadWritePaths"))
    assert "server 127.0.0.1:8001;" in conf
