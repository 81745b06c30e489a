"""PNG images into the catalogue's PDF as they are, not decoded and compressed again.

A PDF takes a PNG's compressed rows as they are (`/FlateDecode` with a PNG predictor), but
WeasyPrint decodes every PNG and has Pillow encode it again as it writes the PDF: about a
millisecond for each QR code (two on most exhibit pages), a few percent of a catalogue's
CPU. While a catalogue is written, an 8-bit grey or RGB PNG without interlacing or
transparency, whole and with every chunk's checksum right, gives its compressed rows (its
IDAT chunks) instead; any other image goes the usual way. The pixels are the same (qr.py
compresses its codes nearly as small as Pillow's default would); WeasyPrint is pinned
below 71.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# IHDR colour types the PDF reads as WeasyPrint describes them: grey and RGB, 8 bits each.
COLOURS = {0: "L", 2: "RGB"}


@contextmanager
def pngs_as_they_are() -> Iterator[None]:
    """Let WeasyPrint embed plain PNGs' compressed rows without decoding them."""
    from weasyprint.images import RasterImage

    own = RasterImage.__dict__["_get_png_data"]

    def png_data(pillow_image: Any) -> bytes:
        rows = compressed_rows(pillow_image)
        return own.__func__(pillow_image) if rows is None else rows

    RasterImage._get_png_data = staticmethod(png_data)
    try:
        yield
    finally:
        RasterImage._get_png_data = own


def compressed_rows(image: Any) -> bytes | None:
    """Return the IDAT data of a PNG image opened from bytes, 8-bit grey or RGB, without
    interlacing or transparency; None for any other image."""
    source = getattr(image, "fp", None)
    if image.format != "PNG" or not isinstance(source, io.BytesIO):
        return None
    data = source.getvalue()
    if not data.startswith(SIGNATURE):
        return None
    rows, at, header = [], len(SIGNATURE), False
    while at + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        end = at + 8 + length
        body = data[at + 8 : end]
        # A cut or damaged file (room files are hostile) goes the usual way: WeasyPrint
        # decodes it and says what is wrong, where its rows here would go in as they are.
        if end + 4 > len(data) or zlib.crc32(data[at + 4 : end]) != int.from_bytes(
            data[end : end + 4], "big"
        ):
            return None
        if kind == b"IHDR":
            depth, colour, _, _, interlace = struct.unpack_from(">BBBBB", body, 8)
            if depth != 8 or interlace or COLOURS.get(colour) != image.mode:
                return None
            header = True
        elif kind == b"tRNS":
            return None
        elif kind == b"IDAT":
            rows.append(body)
        elif kind == b"IEND":
            break
        at += 12 + length
    return b"".join(rows) if header and rows else None
