"""QR codes for printed URLs, as SVG images a PDF can embed (drawn by segno)."""

from __future__ import annotations

import base64

import segno


def qr_data_uri(url: str) -> str:
    """Return a `data:` URI of an SVG QR code for `url`: black modules, a quiet zone of 2."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=2, dark="#1f1c18", light=None, omitsize=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
