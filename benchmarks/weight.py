"""Page weight as a visitor's browser feels it: bytes, requests, first paint, layout shift.

Not a test. Run from the repository root (Debian's Chromium, through Playwright):

    python benchmarks/weight.py [--rooms DIR] [--runs 5] [--lang fr]

It starts `gallery serve` on the exhibition (the sample by default), then, for the lobby, a
room and an exhibit, opens each page in a fresh browser context (cold: empty cache), once
more in the same context (warm: a second visit, as when a visitor comes back to a page),
and in another fresh context right after another page (walked in: the lobby before a room
or an exhibit, a room before the lobby, so the shared files are in the cache), waiting
each time for the live parts to connect. From Chromium's Performance API
it reads the bytes transferred (`transferSize` of the navigation and of every resource,
headers included; 0 for what the cache answered), the requests that reached the network,
the first contentful paint, and the layout shifts (`layout-shift` entries, summed as CLS).
The live socket itself (one WebSocket) is not a resource entry and is not counted.
It prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHROMIUM = "/usr/bin/chromium"

PAGES = {
    "lobby": "/{lang}/",
    "room": "/{lang}/rooms/eclairer/",
    "exhibit": "/{lang}/rooms/eclairer/atlas-culture/",
}
# The state of the page's socket once its live parts show (the lobby is in no room).
LIVE_STATE = {"lobby": "online", "room": "entered", "exhibit": "entered"}

# Installed before any page script: collects layout shifts from the first paint on.
OBSERVE_SHIFTS = """
window.__shifts = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""

READ_FIGURES = """() => {
  const entries = [
    ...performance.getEntriesByType("navigation"),
    ...performance.getEntriesByType("resource"),
  ];
  const network = entries.filter((e) => e.transferSize > 0);
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    bytes: network.reduce((sum, e) => sum + e.transferSize, 0),
    requests: network.length,
    cached: entries.length - network.length,
    fcp: paint ? paint.startTime : null,
    cls: window.__shifts,
    urls: network.map((e) => [e.name, e.transferSize]),
  };
}"""


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 120.0) -> None:
    """Return once `url` answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def visit(page, url: str, kind: str) -> dict:
    """Open `url` in `page`, wait for its live parts, return the figures of that load."""
    page.goto(url, wait_until="load")
    page.wait_for_selector(f"html[data-live-state={LIVE_STATE[kind]}]", state="attached")
    page.wait_for_load_state("networkidle")
    # Layout shifts are reported after the frame that made them: let one more frame pass.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    return page.evaluate(READ_FIGURES)


def measure(browser, base: str, lang: str, kind: str) -> dict[str, dict]:
    """Return the cold, warm and walked-in figures of one page, from fresh contexts."""
    url = base + PAGES[kind].format(lang=lang)
    figures = {}
    context = browser.new_context(locale=f"{lang}-FR" if lang == "fr" else lang)
    context.add_init_script(OBSERVE_SHIFTS)
    try:
        page = context.new_page()
        figures["cold"] = visit(page, url, kind)
        # A second visit: a new navigation in the same context, the HTTP cache kept.
        page.goto("about:blank")
        figures["warm"] = visit(page, url, kind)
    finally:
        context.close()
    # Walked in: the page opened after another one (the lobby, or a room for the lobby).
    context = browser.new_context(locale=f"{lang}-FR" if lang == "fr" else lang)
    context.add_init_script(OBSERVE_SHIFTS)
    try:
        page = context.new_page()
        before = "room" if kind == "lobby" else "lobby"
        visit(page, base + PAGES[before].format(lang=lang), before)
        figures["walked in"] = visit(page, url, kind)
    finally:
        context.close()
    return figures


def main() -> int:
    """Run the measurements and print them."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", default=str(REPO / "rooms"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--urls", action="store_true", help="list what each load fetched")
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gallery", "serve", args.rooms, "--port", str(port), "--no-reload"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[tuple[str, str], list[dict]] = {}
    try:
        wait_for(base + "/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                for run in range(1, args.runs + 1):
                    for kind in PAGES:
                        for state, figures in measure(browser, base, args.lang, kind).items():
                            results.setdefault((kind, state), []).append(figures)
                            print(
                                f"run {run} {kind:8} {state:9}: {figures['bytes']:7,} B"
                                f" {figures['requests']:3} requests"
                                f" ({figures['cached']} from cache)"
                                f"  FCP {figures['fcp'] or 0:6.0f} ms  CLS {figures['cls']:.4f}"
                            )
                            if args.urls:
                                print(json.dumps(figures["urls"], indent=1))
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait()

    print()
    print("| page | visit | bytes transferred | requests | first contentful paint | CLS |")
    print("|---|---|---:|---:|---:|---:|")
    for (kind, state), runs in results.items():
        size = statistics.median(r["bytes"] for r in runs)
        count = statistics.median(r["requests"] for r in runs)
        fcp = statistics.median(r["fcp"] or 0 for r in runs)
        cls = max(r["cls"] for r in runs)
        print(f"| {kind} | {state} | {size / 1024:.1f} KB | {count:g} | {fcp:.0f} ms | {cls:.3f} |")
    print(f"medians of {args.runs} runs; CLS is the largest of the runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
