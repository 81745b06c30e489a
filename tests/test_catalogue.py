"""`gallery catalogue`: the printed PDF, its text in both languages, its tags and QR codes."""

from __future__ import annotations

import base64
import gc
import io
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pydyf
import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from gallery.catalogue import CatalogueError, qr, write_catalogue
from gallery.catalogue.leaders import leaders_as_one_text
from gallery.catalogue.qr import SCALE, qr_codes, qr_data_uri
from gallery.cli import cli
from gallery.content import workers

from .conftest import BASIC


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("catalogue")
    made = {}
    for lang in ("fr", "en"):
        made[lang] = folder / f"{lang}.pdf"
        write_catalogue(BASIC, made[lang], lang, url="https://expo.example.org/2021")
    return made


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_french_catalogue_holds_the_exhibition_in_french(catalogues) -> None:
    text = text_of(catalogues["fr"])
    for expected in (
        "CATALOGUE DE L’EXPOSITION",
        "Galerie d’essai",
        "Sommaire",
        "Laboratoire",
        "Lanternes",
        "Programme du Demo Day",
        "Ada Lovelace",
        "https://expo.example.org/2021/fr/rooms/lab/lanterns/",
    ):
        assert expected in text, expected
    assert "Test gallery" not in text


def test_the_english_catalogue_holds_the_exhibition_in_english(catalogues) -> None:
    text = text_of(catalogues["en"])
    for expected in ("EXHIBITION CATALOGUE", "Test gallery", "Contents", "Lanterns"):
        assert expected in text, expected
    assert "Galerie d’essai" not in text


def test_the_contents_give_the_page_of_each_exhibit(catalogues) -> None:
    reader = PdfReader(catalogues["en"])
    contents = reader.pages[1].extract_text()
    found = re.search(r"Lanterns[\s.]*(\d+)", contents)
    assert found, contents
    page = int(found.group(1))
    assert "Lanterns" in reader.pages[page - 1].extract_text()


def test_the_contents_leaders_are_drawn_as_one_text_each(catalogues) -> None:
    # WeasyPrint draws a leader as one text per repetition of its string: a line of the
    # contents was about 110 texts, most of the CPU of the contents' pages.
    page = PdfReader(catalogues["en"]).pages[1]
    lines = [line for line in page.extract_text().splitlines() if ".." in line]
    assert lines
    texts = page.get_contents().get_data().count(b"\nBT\n")
    assert texts < 6 * len(lines), (texts, len(lines))


def leader_boxes(document: Any) -> list[Any]:
    """Return the text boxes inside the leaders of a laid-out document, line by line."""
    found, stack = [], [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        if getattr(box, "is_leader", False):
            found.append(list(box.children))
        stack.extend(getattr(box, "children", ()))
    return sorted(found, key=lambda texts: texts[0].position_y)


@pytest.mark.parametrize("dots", [".", ". ", "-·"])
def test_a_joined_leader_holds_the_same_dots_at_the_same_places(dots: str) -> None:
    from weasyprint import HTML

    style = "a::after { content: leader('" + dots + "') ' 12' } p { width: 120mm }"
    html = (
        f"<style>{style}</style><p><a>Introduction</a></p>"
        "<p><b>A longer title, in bold</b> <a>and a link</a></p>"
    )
    copies = leader_boxes(HTML(string=html).render())
    with leaders_as_one_text():
        joined = leader_boxes(HTML(string=html).render())
    assert len(copies) == len(joined) == 2
    for each, (one,) in zip(copies, joined, strict=True):
        assert len(each) > 10
        assert one.text == dots * len(each)
        left = min(each, key=lambda box: box.position_x)
        right = max(each, key=lambda box: box.position_x)
        assert one.position_x == left.position_x
        assert one.position_y == right.position_y
        assert one.position_x + one.width == pytest.approx(right.position_x + right.width)


def test_the_pdf_is_tagged_and_says_its_language(catalogues) -> None:
    reader = PdfReader(catalogues["fr"])
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Galerie d’essai"


def test_links_and_pages_get_qr_codes() -> None:
    uri = qr_data_uri("https://expo.example.org/")
    assert uri.startswith("data:image/png;base64,")
    assert qr_data_uri("https://expo.example.org/") == uri
    assert qr_data_uri("https://expo.example.org/other") != uri


def test_many_qr_codes_are_made_on_every_core_and_each_is_the_one_of_its_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    urls = [f"https://example.org/{n}" for n in range(40)] * 2
    monkeypatch.setattr(qr, "PARALLEL_FROM", 10)
    monkeypatch.setattr(qr.os, "cpu_count", lambda: 2)
    forks: list[str] = []
    real = workers.multiprocessing.get_context
    monkeypatch.setattr(
        workers.multiprocessing, "get_context", lambda method: forks.append(method) or real(method)
    )
    made = qr_codes(urls)
    assert forks == ["fork"]
    assert made == {url: qr_data_uri(url) for url in urls}


def test_a_qr_code_is_a_grey_png_with_a_square_of_pixels_per_module() -> None:
    url = "https://expo.example.org/2021/fr/rooms/lab/lanterns/"
    image = Image.open(io.BytesIO(base64.b64decode(qr_data_uri(url).split(",", 1)[1])))
    modules = [list(row) for row in segno.make(url, error="m").matrix_iter(border=2)]
    assert image.mode == "L"  # embedded as it is, not converted to RGB and encoded again
    assert image.size == (len(modules) * SCALE, len(modules) * SCALE)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            for dy, dx in ((0, 0), (SCALE - 1, SCALE - 1)):
                pixel = image.getpixel((x * SCALE + dx, y * SCALE + dy))
                assert (pixel < 128) == bool(dark), (x, y)


def test_the_pdf_holds_the_qr_codes_as_images_drawn_without_smoothing(catalogues) -> None:
    url = "https://expo.example.org/2021/en/rooms/lab/lanterns/"
    page = next(page for page in PdfReader(catalogues["en"]).pages if url in page.extract_text())
    width = segno.make(url, error="m").symbol_size(border=2)[0] * SCALE
    codes = [
        image
        for image in (xobject.get_object() for xobject in page["/Resources"]["/XObject"].values())
        if image["/Subtype"] == "/Image" and image["/Width"] == width
    ]
    assert codes
    assert all(image["/ColorSpace"] == "/DeviceGray" for image in codes)
    assert all(image["/Interpolate"].value is False for image in codes)


def test_writing_asks_pydyf_for_the_page_list_once_per_page_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = pydyf.PDF.page_references
    calls = []

    def counted(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        calls.append(len(pdf.pages["Kids"]))
        return built.fget(pdf)

    monkeypatch.setattr(pydyf.PDF, "page_references", property(counted))
    write_catalogue(BASIC, tmp_path / "c.pdf", "en", url="https://expo.example.org/")
    # Built anew for each tagged element and link, it took time in the square of the pages.
    assert 0 < len(calls) == len(set(calls))
    assert pydyf.PDF.page_references.fget is counted


def test_no_cycle_collection_walks_the_laid_out_pages(tmp_path: Path) -> None:
    collected = []

    def watch(phase: str, info: dict) -> None:
        frame = sys._getframe(1)
        while frame and "weasyprint" not in frame.f_code.co_filename:
            frame = frame.f_back
        # Importing WeasyPrint is not laying out.
        if (
            phase == "start"
            and info["generation"] == 2
            and frame
            and frame.f_code.co_name != "<module>"
        ):
            collected.append(frame.f_code.co_name)

    kept = gc.get_threshold()
    gc.set_threshold(50, 1, 1)  # collections every 50 allocations, a full one every 100
    gc.callbacks.append(watch)
    try:
        write_catalogue(BASIC, tmp_path / "c.pdf", "en", url="https://expo.example.org/")
        assert gc.get_threshold() == (50, 1, 1)
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(watch)
        gc.set_threshold(*kept)
    # Each one walks every page laid out so far: a third of a large catalogue's CPU.
    assert collected == []


def test_the_command_writes_a_pdf_and_says_so(tmp_path: Path, runner) -> None:
    out = tmp_path / "catalogue.pdf"
    result = runner.invoke(cli, ["catalogue", str(BASIC), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"Wrote {re.escape(str(out))}: \d+ pages\.", result.output)
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "de"], "the exhibition is not written in 'de' (it is in fr, en)"),
        (["--url", "expo.example.org"], "Invalid value for '--url': must start with https://"),
    ],
)
def test_bad_options_get_a_message(tmp_path: Path, runner, args, message) -> None:
    out = tmp_path / "c.pdf"
    result = runner.invoke(cli, ["catalogue", str(BASIC), "--out", str(out), *args])
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_invalid_room_files_are_refused_with_the_check_messages(tmp_path: Path) -> None:
    rooms = tmp_path / "rooms"
    shutil.copytree(BASIC, rooms)
    (rooms / "02-lab" / "room.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"02-lab/room\.md:2:\d+: error"):
        write_catalogue(rooms, tmp_path / "c.pdf")
    assert not (tmp_path / "c.pdf").exists()
