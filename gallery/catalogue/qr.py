"""QR codes for printed URLs, as PNG images a PDF can embed (encoded by segno)."""

from __future__ import annotations

import base64
import io
import os
import zlib
from collections.abc import Iterable, Sequence

from ..content.workers import Workers, batches, can_fork

# Pixels per module: a code printed 18 mm wide (33 modules) gets about 370 dpi, sharp on
# paper; `image-rendering: pixelated` in the stylesheet keeps viewers from blurring it.
SCALE = 8
BORDER = 2
DARK = 0x1D  # the grey of the catalogue's ink, #1f1c18
LIGHT = 0xFF
TONES = bytes((LIGHT, DARK)) + bytes(254)
# Below this many codes, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def qr_data_uri(url: str) -> str:
    """Return a `data:` URI of a PNG QR code for `url`: dark modules, a quiet zone of 2."""
    import segno
    from PIL import Image, ImageOps

    from .masks import quick_masks

    # segno's own code and mask, the mask chosen in a fraction of segno's time.
    with quick_masks():
        code = segno.make(url, error="m", micro=False)
    # An 8-bit grey PNG: WeasyPrint embeds it as it is, where segno's palette PNGs would be
    # converted to RGB and encoded again (2 ms each, 4,000 codes in a large exhibition).
    # The modules (0 light, 1 dark, a row per bytearray) become grey levels in one pass of
    # C: iterating them in Python took half a millisecond a code.
    size = len(code.matrix)
    modules = b"".join(code.matrix).translate(TONES)
    image = Image.frombytes("L", (size, size), modules)
    image = image.resize((size * SCALE, size * SCALE), Image.Resampling.NEAREST)
    image = ImageOps.expand(image, border=BORDER * SCALE, fill=LIGHT)
    png = io.BytesIO()
    # The PDF takes these compressed rows as they are (pngs.py). zlib's run-length strategy
    # at its quickest level suits a code's runs of equal pixels: nearly the size of the
    # default level (a tenth more) in about half its time.
    image.save(png, format="PNG", compress_level=1, compress_type=zlib.Z_RLE)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def qr_codes(urls: Iterable[str]) -> dict[str, str]:
    """Return the QR code of each of `urls` as a `data:` URI, made on every core when many.

    A code takes about 2.5 ms of Python (segno, its mask chosen by masks.py, and Pillow):
    10 s for the 4,000 links of 2,000 exhibits on one core.
    """
    distinct = sorted(set(urls))
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(distinct) < PARALLEL_FROM or not can_fork():
        return {url: qr_data_uri(url) for url in distinct}
    # Forked workers start at once and share the loaded modules; they only run segno and Pillow.
    with Workers(workers, _qr_batch) as pool:
        made = [uri for uris in pool.map(batches(distinct, workers * 4)) for uri in uris]
    return dict(zip(distinct, made, strict=True))


def _qr_batch(urls: Sequence[str]) -> list[str]:
    """Return the QR code of each of `urls`, in a worker."""
    return [qr_data_uri(url) for url in urls]
