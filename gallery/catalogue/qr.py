"""QR codes for printed URLs, as PNG images a PDF can embed (encoded by segno)."""

from __future__ import annotations

import base64
import io

# Pixels per module: a code printed 18 mm wide (33 modules) gets about 370 dpi, sharp on
# paper; `image-rendering: pixelated` in the stylesheet keeps viewers from blurring it.
SCALE = 8
BORDER = 2
DARK = 0x1D  # the grey of the catalogue's ink, #1f1c18


def qr_data_uri(url: str) -> str:
    """Return a `data:` URI of a PNG QR code for `url`: dark modules, a quiet zone of 2."""
    import segno
    from PIL import Image

    code = segno.make(url, error="m", micro=False)
    # An 8-bit grey PNG: WeasyPrint embeds it as it is, where segno's palette PNGs would be
    # converted to RGB and encoded again (2 ms each, 4,000 codes in a large exhibition).
    size = code.symbol_size(scale=1, border=BORDER)[0]
    modules = bytes(
        DARK if dark else 0xFF for row in code.matrix_iter(scale=1, border=BORDER) for dark in row
    )
    image = Image.frombytes("L", (size, size), modules)
    image = image.resize((size * SCALE, size * SCALE), Image.Resampling.NEAREST)
    png = io.BytesIO()
    image.save(png, format="PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
