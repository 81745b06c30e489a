"""Remake the screenshots of what lasts after the event: the archive, the catalogue, the report.

    .venv/bin/pip install -e '.[docs]'   # pypdfium2, to draw a catalogue page as a picture
    .venv/bin/python scripts/after_screenshots.py [--out docs] [--chromium /usr/bin/chromium]

Builds the sample exhibition's archive and opens a room page from the disk, prints the French
catalogue and draws one exhibit page of it, and writes the attendance report of an afternoon
of made-up counts (a seeded random walk, so the pictures stay the same), photographed at
1280x900. The PNGs are squeezed with pngquant and optipng when they are installed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from screenshots import squeeze  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}
START = datetime(2021, 6, 17, 12, 0, tzinfo=UTC)


def seed_attendance(data: Path) -> None:
    """Record an afternoon of counts: visitors arrive for the Demo Day, then drift away."""
    from gallery.app import create_app
    from gallery.records.attendance import ExhibitTime, record_sample

    app = create_app({"ROOMS": str(ROOT / "rooms"), "DATA_DIR": str(data)})
    records = app.extensions["gallery.records"]
    exhibition = app.extensions["gallery.site"].exhibition
    exhibits = [(room.slug, e.slug) for room in exhibition.rooms for e in room.exhibits]
    rooms = [room.slug for room in exhibition.rooms]
    rng = random.Random(17)
    for minute in range(0, 300, 5):
        at = START + timedelta(minutes=minute)
        crowd = int(40 + 260 * max(0.0, 1 - abs(minute - 150) / 150) + rng.randint(0, 20))
        weights = [
            rng.random() + (3 if room == "demo-day" and 120 < minute < 200 else 0.5)
            for room in rooms
        ]
        share = sum(weights)
        counts = {room: round(crowd * w / share) for room, w in zip(rooms, weights, strict=True)}
        hour = at.replace(minute=0)
        times = [
            ExhibitTime(hour, room, slug, rng.randint(1, 12), rng.randint(60, 900))
            for room, slug in exhibits
        ]
        record_sample(
            records.engine,
            at,
            counts,
            sum(counts.values()),
            sum(counts.values()) + rng.randint(0, 15),
            times,
        )
    for n in range(12):
        asked = records.add_question("round-table", f"k{n}", "—", f"Question {n}")
        for voter in range(rng.randint(0, 9)):
            records.vote(asked.id, f"v{n}-{voter}")


def main() -> None:
    """Build, print and report, then photograph the three."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)

    import pypdfium2
    from playwright.sync_api import sync_playwright

    from gallery.app import create_app
    from gallery.archive import build_archive
    from gallery.attendance.page import write_report
    from gallery.catalogue import write_catalogue

    with tempfile.TemporaryDirectory(prefix="gallery-after-") as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        data.mkdir()
        seed_attendance(data)
        archive = tmp / "archive"
        build_archive(ROOT / "rooms", archive, data=str(data))
        pdf = tmp / "catalogue.pdf"
        write_catalogue(ROOT / "rooms", pdf, "fr", url="https://galerie-eig4.example.org")
        report = tmp / "report.html"
        app = create_app({"ROOMS": str(ROOT / "rooms"), "DATA_DIR": str(data)})
        write_report(app, report, "fr")

        shots = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=args.chromium, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport=VIEWPORT, locale="fr-FR")
            page.goto((archive / "fr" / "rooms" / "donnees" / "index.html").as_uri())
            shots.append(out / "archive.png")
            page.screenshot(path=shots[-1])
            page.goto(report.as_uri())
            shots.append(out / "report.png")
            page.screenshot(path=shots[-1])
            browser.close()

        document = pypdfium2.PdfDocument(str(pdf))
        # An exhibit's page with its links and their QR codes.
        texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        index = next(
            i for i, text in enumerate(texts) if i > 2 and "MonitorFish" in text and "LIENS" in text
        )
        shots.append(out / "catalogue.png")
        document[index].render(scale=1.6).to_pil().save(shots[-1])
    for shot in shots:
        squeeze(shot)
        print(shot)


if __name__ == "__main__":
    main()
