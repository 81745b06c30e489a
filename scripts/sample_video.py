"""Remake the sample video of Atlas Culture and its French and English captions.

    .venv/bin/python scripts/sample_video.py [--rooms rooms] [--chromium /usr/bin/chromium]

24 seconds at 1280x720, without sound: the project's map of France fills up from Paris, its
cities light up, a ranking of territories draws itself, then a card names the Demo Day.
Each frame is the SVG of sample_art drawn by headless Chromium (with the gallery's own
typefaces) and piped into ffmpeg (Debian package `ffmpeg`), which encodes it as H.264.
The captions are written from the same storyboard, on the bottom line of the picture, away
from the title at its top.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sample_art import HEIGHT as ART_HEIGHT
from sample_art import WIDTH as ART_WIDTH
from sample_art import atlas_culture
from sample_svg import Palette, rect

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT, FPS, SECONDS = 1280, 720, 25, 24
COLOUR = "#8a3b00"  # the room's, as in its room.md
MAP_STARTS, MAP_ENDS = 2.5, 19.5
CARD_AT = 20.0
# Where the picture's text sits; the captions keep to the bottom line, below it.
CUE_SETTINGS = "line:-1 align:center"


@dataclass(frozen=True)
class Cue:
    """One caption: its start and end in seconds, and its text in each language."""

    start: float
    end: float
    fr: str
    en: str


STORYBOARD = (
    Cue(
        0,
        3,
        "[Sans son] Le titre « Atlas Culture » apparaît au-dessus d’une carte de France vide.",
        "[No sound] The title “Atlas Culture” appears above an empty map of France.",
    ),
    Cue(
        3,
        9,
        "La carte se remplit d’hexagones à partir de Paris : plus ils sont foncés, "
        "plus les lieux culturels sont nombreux.",
        "The map fills with hexagons, starting from Paris: the darker they are, "
        "the more cultural venues there are.",
    ),
    Cue(
        9,
        13,
        "Toute la France se couvre ; les hexagones foncés dessinent les grandes villes "
        "et leurs alentours.",
        "All of France is covered; the dark hexagons outline the main cities "
        "and their surroundings.",
    ),
    Cue(
        13,
        17,
        "Des points jaunes marquent les villes, d’autant plus grands qu’elles comptent de lieux.",
        "Yellow dots mark the cities, bigger where there are more venues.",
    ),
    Cue(
        17,
        20,
        "À gauche, un classement des territoires se dessine en barres.",
        "On the left, a ranking of the territories draws itself as bars.",
    ),
    Cue(
        20,
        24,
        "Une ligne s’ajoute sous le titre : « Demo Day, 17.06.2021 ».",
        "A line is added under the title: “Demo Day, 17.06.2021”.",
    ),
)


def _fade(seconds: float, start: float, length: float = 0.8) -> float:
    """Opacity of something fading in from `start`."""
    return min(1.0, max(0.0, (seconds - start) / length))


def frame(seconds: float) -> str:
    """The SVG of the picture at this moment of the video."""
    p = Palette(COLOUR)
    t = min(1.0, max(0.0, (seconds - MAP_STARTS) / (MAP_ENDS - MAP_STARTS)))
    scale = 1.2
    art = "".join(atlas_culture(p, t))
    left, top = 200, HEIGHT - ART_HEIGHT * scale
    title = _fade(seconds, 0.3)
    card = _fade(seconds, CARD_AT)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">'
        + rect(0, 0, WIDTH, HEIGHT, p.ground)
        + rect(0, HEIGHT - 60 * scale, WIDTH, 60 * scale, p.wash)
        + f'<svg x="{left}" y="{top:.0f}" width="{ART_WIDTH * scale:.0f}" '
        f'height="{ART_HEIGHT * scale:.0f}" viewBox="0 0 {ART_WIDTH} {ART_HEIGHT}">{art}</svg>'
        + f'<g opacity="{title:.2f}">'
        f'<text x="64" y="96" class="title" fill="{p.dark}">Atlas Culture</text>'
        f'<text x="66" y="136" class="line" fill="{p.base}">EIG 4 · 2020–2021</text></g>'
        + f'<text x="66" y="170" class="line" fill="{p.dark}" opacity="{card:.2f}">'
        "Demo Day · 17.06.2021</text>"
        "</svg>"
    )


def page_html() -> str:
    """The page each frame is drawn in, with the gallery's typefaces inlined."""
    fonts = ROOT / "static" / "fonts"

    def face(family: str, name: str) -> str:
        data = base64.b64encode((fonts / name).read_bytes()).decode()
        return (
            f'@font-face {{ font-family: "{family}"; font-weight: 200 900; '
            f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}'
        )

    return (
        "<!doctype html><html><head><style>"
        + face("Source Serif 4", "source-serif-4-latin-wght-normal.woff2")
        + face("Source Sans 3", "source-sans-3-latin-wght-normal.woff2")
        + "html, body { margin: 0; overflow: hidden; }"
        ".title { font: 600 64px 'Source Serif 4'; letter-spacing: -0.01em; }"
        ".line { font: 500 26px 'Source Sans 3'; letter-spacing: 0.02em; }"
        "</style></head><body></body></html>"
    )


def timestamp(seconds: float) -> str:
    """A WebVTT time, e.g. 00:00:03.000."""
    minutes, rest = divmod(seconds, 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}"


def captions(lang: str) -> str:
    """The WebVTT captions of the video in `lang`."""
    cues = [
        f"{timestamp(cue.start)} --> {timestamp(cue.end)} {CUE_SETTINGS}\n{getattr(cue, lang)}\n"
        for cue in STORYBOARD
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def render(out: Path, chromium: str) -> None:
    """Draw every frame in Chromium and encode them with ffmpeg into `out`."""
    from playwright.sync_api import sync_playwright

    encoder = subprocess.Popen(
        [
            *("ffmpeg", "-loglevel", "error", "-y", "-f", "image2pipe", "-framerate", str(FPS)),
            *("-i", "-", "-c:v", "libx264", "-preset", "slow", "-tune", "animation"),
            *("-crf", "30", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an", str(out)),
        ],
        stdin=subprocess.PIPE,
    )
    assert encoder.stdin is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_content(page_html())
        page.evaluate("document.fonts.load('600 64px \"Source Serif 4\"')")
        page.evaluate("document.fonts.load('500 26px \"Source Sans 3\"')")
        for index in range(FPS * SECONDS):
            page.evaluate("svg => { document.body.innerHTML = svg; }", frame(index / FPS))
            encoder.stdin.write(page.screenshot(type="png"))
        browser.close()
    encoder.stdin.close()
    if encoder.wait() != 0:
        raise SystemExit("ffmpeg failed")


def main() -> None:
    """Remake the video and its captions next to the Atlas Culture exhibit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=Path, default=ROOT / "rooms")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    folder = args.rooms / "02-eclairer"
    for lang in ("fr", "en"):
        (folder / f"atlas-culture.{lang}.vtt").write_text(captions(lang), encoding="utf-8")
    video = folder / "atlas-culture.mp4"
    render(video, args.chromium)
    print(f"{video}: {video.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
