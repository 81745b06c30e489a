"""Remake the placeholder image and video of `gallery new`'s exhibition, drawn in Chromium.

    .venv/bin/python scripts/scaffold_media.py [--chromium /usr/bin/chromium]

The image is a screenshot of a small HTML card; the video records the same card on a canvas
for four seconds (WebM, no sound) through the browser's MediaRecorder. Both are written to
scaffold/exhibition/01-hall/.
"""

from __future__ import annotations

import argparse
import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scaffold" / "exhibition" / "01-hall"
CARD = """<!doctype html><meta charset="utf-8"><style>
html,body{margin:0;width:1200px;height:800px}
body{display:grid;place-items:center;background:#efe9df;font-family:Georgia,serif;color:#2b2a28}
.frame{width:900px;height:560px;border:14px solid #2b2a28;background:#fbf8f3;display:grid;
place-items:center;box-shadow:0 24px 40px rgba(0,0,0,.18)}
.frame div{text-align:center}.big{font-size:64px;letter-spacing:.02em}
.small{font:24px/1.4 system-ui,sans-serif;color:#6b665e;margin-top:18px}
</style><div class="frame"><div><div class="big">Your exhibit here</div>
<div class="small">Replace welcome.png with a photograph of the work</div></div></div>"""
RECORD = """async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 640; canvas.height = 360;
  const g = canvas.getContext('2d');
  const stream = canvas.captureStream(25);
  const recorder = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8',
                                              videoBitsPerSecond: 150000});
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const done = new Promise((resolve) => { recorder.onstop = resolve; });
  const start = performance.now();
  function draw() {
    const t = (performance.now() - start) / 1000;
    g.fillStyle = '#efe9df'; g.fillRect(0, 0, 640, 360);
    g.fillStyle = '#2b2a28'; g.fillRect(80, 50, 480, 260);
    g.fillStyle = '#fbf8f3'; g.fillRect(92, 62, 456, 236);
    g.fillStyle = '#2b2a28'; g.textAlign = 'center';
    g.font = '34px Georgia, serif';
    g.fillText(t < 2 ? 'Your video here' : 'With captions', 320, 175);
    g.fillStyle = '#b5562b';
    g.fillRect(92, 290, 456 * Math.min(t / 4, 1), 8);
    if (t < 4) requestAnimationFrame(draw); else recorder.stop();
  }
  recorder.start(); draw();
  await done;
  const buffer = await new Blob(chunks, {type: 'video/webm'}).arrayBuffer();
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}"""


def main() -> None:
    """Draw the image and record the video."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.set_content(CARD)
        page.screenshot(path=str(OUT / "welcome.png"))
        (OUT / "welcome.webm").write_bytes(base64.b64decode(page.evaluate(RECORD)))
        browser.close()


if __name__ == "__main__":
    main()
