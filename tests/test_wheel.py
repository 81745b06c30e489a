"""The wheel carries templates, static files and the sample rooms, and serves from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from .servers import free_port, wait_for_http

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the project's wheel once, as `pip install .` would."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (found,) = out.glob("gallery-*.whl")
    return found


def test_wheel_holds_templates_static_and_rooms(wheel: Path) -> None:
    """Templates, static files and the sample exhibition are packaged inside `gallery/`."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "gallery/templates/base.html" in names
    assert "gallery/rooms/gallery.yaml" in names
    assert "gallery/scaffold/exhibition/gallery.yaml" in names
    assert "gallery/scaffold/exhibition/01-hall/welcome.webm" in names
    assert "gallery/scaffold/room.md" in names
    assert "gallery/scaffold/exhibit.md" in names
    assert {f"gallery/locale/{lang}.po" for lang in ("de", "en", "es", "fr", "it", "nl")} <= names
    assert any(n.startswith("gallery/static/css/") for n in names)
    assert "gallery/records/migrations/env.py" in names
    assert "gallery/records/migrations/script.py.mako" in names
    assert "gallery/records/migrations/versions/0001_first_tables.py" in names
    assert "gallery/records/migrations/versions/0002_session_states.py" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_serves_the_sample(wheel: Path, tmp_path: Path) -> None:
    """A fresh venv with the wheel serves the bundled sample from an unrelated directory.

    It also creates its database with the migrations the wheel ships, and `gallery new`
    writes an exhibition from the templates it ships.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    port = free_port()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
    env["GALLERY_DATA_DIR"] = str(tmp_path / "data")
    server = subprocess.Popen(
        [str(venv / "bin" / "gallery"), "serve", "--port", str(port), "--no-reload"],
        cwd=elsewhere,
        env=env,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/") as response:
            html = response.read().decode()
        assert response.status == 200
        assert "Entrepreneurs d’intérêt général" in html or "EIG" in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css") as response:
            assert response.status == 200
        assert (tmp_path / "data" / "gallery.sqlite3").is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)
    gallery = str(venv / "bin" / "gallery")
    subprocess.run([gallery, "new", "expo"], cwd=elsewhere, env=env, check=True)
    subprocess.run([gallery, "new-room", "lab", "--in", "expo"], cwd=elsewhere, env=env, check=True)
    checked = subprocess.run(
        [gallery, "check", "--strict"],
        cwd=elsewhere / "expo",
        env=env,
        capture_output=True,
        text=True,
    )
    assert (checked.returncode, checked.stdout) == (
        0,
        "Checked expo/ (the current folder): 0 errors, 0 warnings in 5 files\n",
    )
