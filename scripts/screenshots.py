"""Remake the screenshots in docs/: the gallery's pages, the live stage and the host console,
and the preview's errors panel.

    .venv/bin/python scripts/screenshots.py [--out docs] [--chromium /usr/bin/chromium]

Serves the sample exhibition as if it were 14:35 on its Demo Day (the round table is on),
with a throwaway data folder holding a few questions and chat messages, logs a host in and
puts an exhibit in the spotlight, then photographs pages at 1280x900: the lobby, a room, an
exhibit and the stage (each also at 390x844, a phone, as NAME-phone.png), with two other
visitors walking the gallery, the stage under an announcement, its questions and the
console. Then previews a copy of the sample (`gallery serve --reload`), breaks one of its
files and photographs the errors over the page. The PNGs are squeezed with pngquant and
optipng when they are installed (Debian packages of those names).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOMENT = "2021-06-17T14:35+02:00"
SESSION = "round-table"
SPOTLIGHT = "risques/monitorfish"
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The pages every visitor walks through, photographed at both sizes: (file name, path).
TOUR = [
    ("lobby", "/fr/"),
    ("room", "/fr/rooms/donnees/"),
    ("exhibit", "/fr/rooms/eclairer/atlas-culture/"),
    ("stage", "/fr/rooms/demo-day/"),
]
# Other visitors in the gallery while the pictures are taken: (name, where they stand).
VISITOR = "Chloé"  # who holds the camera
WALKERS = [("Awa", "/fr/rooms/donnees/"), ("Bastien", "/fr/rooms/eclairer/atlas-culture/")]
ZONE = "Europe/Paris"  # the exhibition's, for the times the browser prints
ANNOUNCEMENT = "Posez vos questions sous la scène\u00a0: les intervenants y répondent à 15 h 15."

# (visitor key, name, question, votes): what the room asked before the photograph.
QUESTIONS = [
    ("v1", "Awa", "Comment avez-vous gardé le lien avec les agents en télétravail\u00a0?", 4),
    ("v2", "Bastien", "Qu’est devenu MonitorFish après le programme\u00a0?", 7),
    ("v3", "Chloé", "Quel conseil donneriez-vous à la prochaine promotion\u00a0?", 2),
]
CHAT = [
    ("v4", "Diane", "demo-day", "Bonjour à toutes et à tous\u00a0!"),
    ("v5", "Émile", "demo-day", "Le son est bon de mon côté."),
]


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Poll `url` until it answers, failing if the server exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)  # the server gives no event to await before it listens
    raise SystemExit(f"{url} did not answer within {timeout} s")


def seed(data: Path) -> None:
    """Record the questions, votes and chat shown, stamped at the rehearsed moment."""
    from gallery.clock import parse_moment
    from gallery.config import database_url, load_config
    from gallery.records import SqlRecords

    moment = parse_moment(MOMENT)
    records = SqlRecords(database_url(load_config({"DATA_DIR": str(data)})), clock=lambda: moment)
    try:
        for visitor, name, text, votes in QUESTIONS:
            question = records.add_question(SESSION, visitor, name, text)
            for n in range(votes):
                records.vote(question.id, f"voter-{n}")
        for visitor, name, room, text in CHAT:
            records.add_chat(room, visitor, name, text)
    finally:
        records.close()


def squeeze(path: Path) -> None:
    """Make a PNG smaller with pngquant, then optipng, when they are installed."""
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--quality=70-95", "--ext", ".png", path],
            check=False,
        )
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", path], check=True)


def remember(name: str) -> str:
    """A script giving a browser page a visitor who chose a pseudonym on an earlier visit."""
    identity = json.dumps({"name": name, "number": 1, "invisible": False})
    return f"localStorage.setItem('gallery.live.identity', {json.dumps(identity)})"


def settle(page) -> None:
    """Wait until a page has its images, its typefaces and, when live, its connection."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    if page.evaluate("Boolean(window.galleryLive)"):
        page.wait_for_function("window.galleryLive?.socket?.connected === true")
        page.wait_for_load_state("networkidle")


def tour(browser, base: str, out: Path) -> list[Path]:
    """Photograph the lobby, a room, an exhibit and the stage, on a desktop and a phone."""
    walkers = []
    for name, path in WALKERS:
        walker = browser.new_page(viewport=VIEWPORT, locale="fr-FR", timezone_id=ZONE)
        walker.add_init_script(remember(name))
        walker.goto(base + path)
        settle(walker)
        walkers.append(walker)
    made = []
    for suffix, viewport, phone in (("", VIEWPORT, False), ("-phone", PHONE, True)):
        context = browser.new_context(
            viewport=viewport, locale="fr-FR", timezone_id=ZONE, is_mobile=phone, has_touch=phone
        )
        page = context.new_page()
        page.add_init_script(remember(VISITOR))
        for name, path in TOUR:
            if name == "stage" and not phone:
                continue  # photographed under the hosts' announcement below
            page.goto(base + path)
            settle(page)
            made.append(out / f"{name}{suffix}.png")
            page.screenshot(path=made[-1])
        context.close()
    for walker in walkers:
        walker.close()
    return made


def photograph(base: str, password: str, out: Path, chromium: str) -> list[Path]:
    """Log a host in, spotlight an exhibit and photograph the stage and the console."""
    from playwright.sync_api import expect, sync_playwright

    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        made += tour(browser, base, out)
        host = browser.new_page(viewport=VIEWPORT, locale="en-GB", timezone_id=ZONE)
        host.goto(base + "/host/login")
        host.fill("#password", password)
        host.click("button[type=submit]")
        host.wait_for_url(base + "/host/")
        host.select_option("#spotlight-exhibit", SPOTLIGHT)
        host.get_by_role("button", name="Spotlight", exact=True).click()
        expect(host.locator("#host-status")).to_contain_text("Spotlight on")

        visitor = browser.new_page(viewport=VIEWPORT, locale="fr-FR", timezone_id=ZONE)
        visitor.add_init_script(remember(VISITOR))  # no first-entry welcome over the stage
        visitor.goto(base + "/fr/rooms/demo-day/")
        visitor.wait_for_load_state("networkidle")
        visitor.locator(".pitched").wait_for()
        visitor.wait_for_function("window.galleryLive?.socket?.connected === true")
        host.fill("#announce-text", ANNOUNCEMENT)
        host.get_by_role("button", name="Send announcement").click()
        visitor.locator("#live-announcement .live-announcement-text").wait_for()
        made.append(out / "stage.png")
        visitor.screenshot(path=made[-1])

        qa = visitor.locator("#live-qa")
        if qa.count():  # the Q&A under the stage, once its script has filled it
            qa.locator("#live-qa-list li").first.wait_for()
            qa.scroll_into_view_if_needed()
            made.append(out / "stage-questions.png")
            visitor.screenshot(path=made[-1])

        host.goto(base + "/host/")
        host.wait_for_load_state("networkidle")
        made.append(out / "console.png")
        # Taller than the screen, down to the end of the questions.
        bottom = host.locator("#questions").bounding_box()
        height = round(bottom["y"] + bottom["height"] + 24) if bottom else VIEWPORT["height"]
        host.screenshot(
            path=made[-1], full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height}
        )
        browser.close()
    return made


# The mistake the preview photograph shows: a misspelt key in an exhibit of the sample.
PREVIEW_PAGE = "/fr/rooms/eclairer/datalympics/"
PREVIEW_FILE = "02-eclairer/01-datalympics.md"


def photograph_preview(out: Path, chromium: str) -> Path:
    """Preview a copy of the sample, misspell a key in one of its files, and photograph the
    errors shown over the open page."""
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as work:
        rooms = Path(work) / "rooms"
        shutil.copytree(ROOT / "rooms", rooms)
        port = free_port()
        env = {**os.environ, "GALLERY_DATA_DIR": work, "GALLERY_RELOAD_INTERVAL": "0.1"}
        env.pop("GALLERY_DATABASE_URL", None)
        server = subprocess.Popen(
            [*(sys.executable, "-m", "gallery", "serve", str(rooms)), *("--port", str(port))],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz", server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport=VIEWPORT, locale="fr-FR", timezone_id=ZONE)
                page.goto(base + PREVIEW_PAGE)
                # Under the page's CSP, which forbids the eval of `wait_for_function`.
                expect(page.locator("html")).to_have_attribute("data-preview-checked", "1")
                broken = rooms / PREVIEW_FILE
                text = broken.read_text(encoding="utf-8")
                broken.write_text(text.replace("summary:", "sumary:", 1), encoding="utf-8")
                page.locator("#preview-problems .preview-problem").wait_for()
                path = out / "preview-errors.png"
                page.screenshot(path=path)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return path


def main() -> None:
    """Serve the sample under the rehearsal clock and remake the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    password = secrets.token_urlsafe(16)
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "GALLERY_DATA_DIR": data,
            "GALLERY_HOST_PASSWORD": password,
            "GALLERY_SECRET_KEY": secrets.token_hex(16),
        }
        env.pop("GALLERY_DATABASE_URL", None)
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gallery", "serve", str(ROOT / "rooms")),
                *("--port", str(port), "--no-reload", "--clock", MOMENT),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz", server)
            seed(Path(data))
            for path in photograph(base, password, args.out, args.chromium):
                squeeze(path)
                print(f"{path}: {path.stat().st_size // 1024} KB")
        finally:
            server.terminate()
            server.wait(timeout=10)
    path = photograph_preview(args.out, args.chromium)
    squeeze(path)
    print(f"{path}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
