"""PNG images go into the catalogue's PDF as they are, with the same pixels."""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from weasyprint import HTML
from weasyprint.images import RasterImage

from gallery.catalogue.pngs import compressed_rows, pngs_as_they_are
from gallery.catalogue.qr import qr_data_uri


def png(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def idat(data: bytes) -> bytes:
    """Return the IDAT chunks' data of a PNG, read with no code of the module under test."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return b"".join(chunks)


def damaged(data: bytes) -> bytes:
    """Return a PNG with one byte of its first IDAT chunk changed, its checksum left."""
    at = data.index(b"IDAT") + 6
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def interlaced(data: bytes) -> bytes:
    """Return a PNG whose header says its rows are interlaced (Pillow writes none)."""
    header = data[12:28] + b"\x01"
    return data[:12] + header + zlib.crc32(header).to_bytes(4, "big") + data[33:]


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_qr_code_and_an_rgb_image_reach_the_pdf_as_they_are_with_their_pixels(
    tmp_path: Path,
) -> None:
    code = base64.b64decode(qr_data_uri("https://example.org/lanterns").split(",", 1)[1])
    colours = png(Image.frombytes("RGB", (3, 2), bytes(range(0, 180, 10))))
    sources = [code, colours]
    images = "".join(
        f'<img src="data:image/png;base64,{base64.b64encode(data).decode()}">' for data in sources
    )
    with pngs_as_they_are():
        HTML(string=f"<p>{images}</p>").write_pdf(tmp_path / "x.pdf")
    with pikepdf.open(tmp_path / "x.pdf") as pdf:
        found = {
            (int(x.Width), int(x.Height)): x
            for x in pdf.pages[0].Resources.XObject.values()
            if x.Subtype == "/Image"
        }
        for data in sources:
            image = found[opened(data).size]
            assert image.read_raw_bytes() == idat(data)  # not encoded again
            pixels = pikepdf.PdfImage(image).as_pil_image()
            assert pixels.tobytes() == opened(data).convert(pixels.mode).tobytes()


@pytest.mark.parametrize(
    "data",
    [
        png(Image.new("P", (4, 4))),
        png(Image.new("RGBA", (4, 4))),
        png(Image.new("I;16", (4, 4))),
        png(Image.new("1", (4, 4))),
        png(Image.new("L", (4, 4)), transparency=0),
        interlaced(png(Image.new("L", (64, 64)))),
        png(Image.new("L", (64, 64), 90))[:-20],
        damaged(png(Image.new("RGB", (16, 16), (10, 20, 30)))),
    ],
    ids=["palette", "alpha", "16-bit", "1-bit", "transparent", "interlaced", "cut", "damaged"],
)
def test_other_pngs_are_left_to_weasyprint(data: bytes) -> None:
    assert compressed_rows(opened(data)) is None


def test_a_plain_grey_png_gives_its_compressed_rows() -> None:
    data = png(Image.new("L", (5, 3), 200))
    assert compressed_rows(opened(data)) == idat(data)


def test_weasyprint_gets_its_own_encoder_back() -> None:
    own = RasterImage.__dict__["_get_png_data"]
    with pytest.raises(RuntimeError), pngs_as_they_are():
        assert RasterImage.__dict__["_get_png_data"] is not own
        raise RuntimeError
    assert RasterImage.__dict__["_get_png_data"] is own
