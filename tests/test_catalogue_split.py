"""`gallery catalogue` laid out in parts by forked workers and merged: still one document."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from gallery.catalogue import memory, split, write_catalogue
from gallery.catalogue import parts as parting
from gallery.catalogue.parts import Part, contents_anchors, numbering, room_pages

ROOMS, EXHIBITS = 5, 2
# A line of the contents: a room's or exhibit's title, leader dots, its page number.
ENTRY = r"((?:Room|Project|Salle|Projet) \d+(?:\.\d+)?)[\s.]+(\d+)"


def exhibition(root: Path) -> Path:
    """Write a small exhibition in French and English, with an introduction and talks."""
    root.mkdir()
    (root / "gallery.yaml").write_text(
        "title:\n  fr: Grande galerie\n  en: Great gallery\nlanguages: [fr, en]\n"
        "timezone: Europe/Paris\nintroduction:\n  fr: Une exposition.\n  en: An exhibition.\n"
        "agenda:\n"
        + "".join(
            f"  - id: talk-{n}\n    title: Talk {n}\n"
            f"    starts: 2030-06-17T{10 + n}:00:00+02:00\n"
            f"    ends: 2030-06-17T{10 + n}:45:00+02:00\n"
            for n in range(2)
        ),
        encoding="utf-8",
    )
    for r in range(1, ROOMS + 1):
        folder = root / f"{r:02d}-room-{r}"
        folder.mkdir()
        (folder / "room.md").write_text(
            f"---\ntitle:\n  fr: Salle {r}\n  en: Room {r}\n---\nLa salle {r}.\n", encoding="utf-8"
        )
        for e in range(1, EXHIBITS + 1):
            (folder / f"{e:02d}-work-{r}-{e}.md").write_text(
                f"---\ntitle:\n  fr: Projet {r}.{e}\n  en: Project {r}.{e}\n"
                f"links:\n  - title: Site\n    url: https://example.org/{r}/{e}\n---\n"
                "Un texte.\n",
                encoding="utf-8",
            )
    return root


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("split")
    root = exhibition(folder / "rooms")
    pdfs = {}
    for name, lang, count in (("en", "en", 1), ("en-parts", "en", 3), ("fr-parts", "fr", 2)):
        pdfs[name] = folder / f"{name}.pdf"
        write_catalogue(root, pdfs[name], lang, url="https://expo.example.org/", parts=count)
    pdfs["root"] = root
    return pdfs


def texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def contents(pages: list[str]) -> dict[str, int]:
    """Return each entry of the contents with its page number, as printed."""
    found = {}
    for page in pages[1:4]:
        for title, number in re.findall(ENTRY, page):
            found[title] = int(number)
    return found


def heading_page(pages: list[str], title: str) -> int:
    """Return the number of the first page with `title` as a line of its own: the page of
    that room's or exhibit's heading (the contents add dots and a number to theirs)."""
    for number, page in enumerate(pages, start=1):
        if title in (line.strip() for line in page.splitlines()):
            return number
    raise AssertionError(f"no page has the heading {title}")


def test_laid_out_in_parts_it_reads_as_laid_out_whole(made) -> None:
    whole, merged = texts(made["en"]), texts(made["en-parts"])
    # The page count, every page's running number and the contents' numbers are in the text.
    assert len(merged) == len(whole) == 1 + 1 + 1 + ROOMS * (1 + EXHIBITS) + 1
    assert merged == whole
    for number, page in enumerate(merged[1:], start=2):
        assert page.rstrip().endswith(str(number)), (number, page[-80:])


def test_the_contents_give_the_page_each_heading_is_on(made) -> None:
    pages = texts(made["en-parts"])
    listed = contents(pages)
    assert len(listed) == ROOMS * (1 + EXHIBITS)
    for title, number in listed.items():
        assert heading_page(pages, title) == number, title
    assert listed["Room 3"] < listed["Project 3.1"] < listed["Project 3.2"] < listed["Room 4"]


def destination_pages(reader: PdfReader, page_index: int) -> dict[str, int]:
    """Return the named targets of a page's links with the page (from 1) each leads to."""
    found = {}
    for annotation in reader.pages[page_index].get("/Annots", []):
        annotation = annotation.get_object()
        if "/Dest" in annotation:
            name = str(annotation["/Dest"])
            found[name] = reader.get_destination_page_number(reader.named_destinations[name]) + 1
    return found


def test_the_contents_links_lead_to_the_merged_pages(made) -> None:
    reader = PdfReader(made["en-parts"])
    pages = texts(made["en-parts"])
    links = destination_pages(reader, 1)
    assert len(links) == 1 + ROOMS * (1 + EXHIBITS) + 1  # introduction, rooms, works, talks
    for r in range(1, ROOMS + 1):
        assert links[f"room-room-{r}"] == heading_page(pages, f"Room {r}")
        for e in range(1, EXHIBITS + 1):
            exhibit = heading_page(pages, f"Project {r}.{e}")
            assert links[f"exhibit-room-{r}-work-{r}-{e}"] == exhibit
    assert "Demo Day programme" in pages[links["programme"] - 1]
    assert links == destination_pages(PdfReader(made["en"]), 1)


def outline(reader: PdfReader, items: list | None = None, depth: int = 0) -> list:
    entries = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            entries += outline(reader, item, depth + 1)
        else:
            entries.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return entries


def test_the_outline_covers_the_whole_document(made) -> None:
    merged = outline(PdfReader(made["en-parts"]))
    pages = texts(made["en-parts"])
    assert merged == outline(PdfReader(made["en"]))
    assert merged[0] == (0, "Great gallery", 1)
    rooms = [(title, page) for depth, title, page in merged if title.startswith("Room ")]
    assert rooms == [(f"Room {r}", heading_page(pages, f"Room {r}")) for r in range(1, 6)]
    for _, title, page in merged:
        assert title.upper() in pages[page - 1].upper(), title


def test_the_structure_tree_covers_every_merged_page(made) -> None:
    reader = PdfReader(made["en-parts"])
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    links = 0
    for number, page in enumerate(reader.pages):
        marked = re.findall(rb"/MCID (\d+)", page.get_contents().get_data())
        elements = parents[page["/StructParents"]]
        assert len(elements) == len(marked) > 0, number
        assert {numbers[e.get_object().raw_get("/Pg").idnum] for e in elements} == {number}
        for annotation in page.get("/Annots", []):
            link = parents[annotation.get_object()["/StructParent"]]
            assert numbers[link.raw_get("/Pg").idnum] == number
            kids = [kid.get_object() for kid in link["/K"] if isinstance(kid, IndirectObject)]
            objects = [kid.raw_get("/Obj").idnum for kid in kids if kid.get("/Type") == "/OBJR"]
            assert annotation.idnum in objects
            links += 1
    assert len(parents) == len(reader.pages) + links == tree["/ParentTreeNextKey"]
    reference = tree["/K"][0]
    document = reference.get_object()
    assert document["/S"] == "/Document"
    # Every part's elements hang from the one document element, in page order.
    pages_in_order = [numbers[kid.get_object().raw_get("/Pg").idnum] for kid in document["/K"]]
    assert pages_in_order == sorted(pages_in_order)
    assert set(pages_in_order) == set(range(len(reader.pages)))
    assert {kid.get_object().raw_get("/P").idnum for kid in document["/K"]} == {reference.idnum}


def test_the_merged_pdf_keeps_its_language_tags_and_metadata(made) -> None:
    for name, lang, title in (("en-parts", "en", "Great gallery"), ("fr-parts", "fr", "Grande")):
        reader = PdfReader(made[name])
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        assert title in reader.metadata.title
        assert b"pdfuaid" in root["/Metadata"].get_data()


def test_the_french_catalogue_in_parts_is_in_french(made) -> None:
    pages = texts(made["fr-parts"])
    text = "\n".join(pages)
    for expected in ("Grande galerie", "Sommaire", "Salle 5", "Projet 5.2", "Programme du"):
        assert expected in text, expected
    assert "Great gallery" not in text
    listed = contents(pages)
    assert len(listed) == ROOMS * (1 + EXHIBITS)
    assert all(heading_page(pages, title) == n for title, n in listed.items())


def test_parts_laid_out_from_wrong_predictions_are_laid_out_again(
    made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every room predicted a page longer than it is: every number is wrong at first.
    monkeypatch.setattr(parting, "room_pages", lambda room: 2 + len(room.exhibits))
    monkeypatch.setattr(split, "room_pages", lambda room: 2 + len(room.exhibits))
    monkeypatch.setattr(split.os, "cpu_count", lambda: 2)
    rounds = []
    stale = split.stale

    def watched(*args):
        rounds.append(stale(*args))
        return rounds[-1]

    monkeypatch.setattr(split, "stale", watched)
    out = tmp_path / "c.pdf"
    write_catalogue(made["root"], out, "en", url="https://expo.example.org/", parts=3)
    assert texts(out) == texts(made["en"])
    # Once every part's pages are known, the front's contents and the parts after the first
    # (laid out from predicted numbers) are laid out again with the real ones.
    assert rounds[0][0] == 0 and 2 in rounds[0]
    assert rounds[-1] == [] and len(rounds) <= 3


def test_a_failing_part_stops_the_catalogue_and_leaves_nothing(
    made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(start: int, title: str | None) -> str:
        raise RuntimeError("broken part")

    monkeypatch.setattr(split, "stylesheet", broken)
    with pytest.raises(RuntimeError, match="broken part"):
        write_catalogue(made["root"], tmp_path / "c.pdf", "en", parts=2)
    assert list(tmp_path.iterdir()) == []


def test_small_catalogues_or_one_core_keep_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    room = type("R", (), {"exhibits": (1,) * 20, "slug": "r"})
    monkeypatch.setattr(split.os, "cpu_count", lambda: 2)
    assert split.part_count([room] * 5, None) == 1  # 105 pages
    # 210 pages: 1 beside the front, 2, and a stair of 2 as large as 1
    assert split.part_count([room] * 10, None) == 4
    assert split.part_count([room] * 100, None) == 8  # 2,100 pages: 1, 3 rounds of 2, 1
    assert split.part_count([room] * 10, 4) == 4
    monkeypatch.setattr(split.os, "cpu_count", lambda: 1)
    assert split.part_count([room] * 100, None) == 1


def test_rooms_are_shared_out_in_order_and_about_evenly() -> None:
    rooms = [type("R", (), {"exhibits": (1,) * n, "slug": f"r{n}"}) for n in (9, 1, 1, 1, 5, 5)]
    parts = parting.split(rooms, 3, programme=True)
    assert parts[0] == Part(front=True)
    assert [room for part in parts for room in part.rooms] == rooms
    assert [sum(room_pages(r) for r in part.rooms) for part in parts[1:]] == [10, 6, 12]
    assert [part.programme for part in parts] == [False, False, False, True]


def test_the_last_runs_are_smaller_and_smaller_so_the_workers_end_together() -> None:
    rooms = [type("R", (), {"exhibits": (1,) * 9, "slug": f"r{n}"}) for n in range(24)]
    parts = parting.split(rooms, 5, programme=False, tapered=2)
    assert [room for part in parts for room in part.rooms] == rooms
    assert [len(part.rooms) for part in parts[1:]] == [6, 6, 6, 4, 2]
    assert parting.run_weights(5, 2) == [1, 1, 1, 2 / 3, 1 / 3]
    assert parting.run_weights(2, 4) == [1, 0.5]  # always one whole run
    assert parting.run_weights(3, 0) == [1, 1, 1]


def test_numbers_follow_the_parts_laid_out_and_predict_the_others() -> None:
    rooms = [type("R", (), {"exhibits": (type("E", (), {"slug": "e"}),), "slug": s}) for s in "ab"]
    parts = parting.split(rooms, 2, programme=False)
    assert contents_anchors(parts, introduction=False) == [
        "room-a",
        "exhibit-a-e",
        "room-b",
        "exhibit-b-e",
    ]
    front = parting.Laid(4, {}, [], 1)
    starts, numbers = numbering(parts, {0: front}, introduction=False)
    assert starts == [1, 5, 7]
    assert numbers == {"room-a": 5, "exhibit-a-e": 6, "room-b": 7, "exhibit-b-e": 8}
    longer = parting.Laid(3, {"room-a": 0, "exhibit-a-e": 2}, [], 5)
    starts, numbers = numbering(parts, {0: front, 1: longer}, introduction=False)
    assert starts == [1, 5, 8] and numbers["exhibit-a-e"] == 7 and numbers["room-b"] == 8


def test_in_parts_the_memory_check_counts_the_parts_held_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(split.os, "cpu_count", lambda: 2)
    rooms = [type("R", (), {"exhibits": (1,) * 20, "slug": "r"})] * 100
    count = split.part_count(rooms, None)
    # Six runs of 14 or 15 rooms, then 9 and 5, two laid out at once: 2 x 15 rooms of 20.
    assert (count, split.held_exhibits(rooms, count)) == (8, 600)
    assert split.held_exhibits(rooms, 1) == 2000
    free = memory.needed(600)
    assert memory.shortage(2000, free, held=600) is None
    assert "a catalogue of 2,000 exhibits needs about" in memory.shortage(2000, free)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: one document")
def test_an_interrupted_catalogue_in_parts_stops_its_workers_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    root = tmp_path / "rooms"
    root.mkdir()
    (root / "gallery.yaml").write_text("title: Large\nlanguages: [en]\n", encoding="utf-8")
    for r in range(10):  # 210 pages: laid out in parts
        (root / f"{r:02d}-r{r}").mkdir()
        (root / f"{r:02d}-r{r}" / "room.md").write_text(f"---\ntitle: R{r}\n---\n")
        for e in range(20):
            (root / f"{r:02d}-r{r}" / f"{e:02d}-e{e}.md").write_text(f"---\ntitle: E{e}\n---\n")
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "gallery", "catalogue", str(root), "--out", str(out / "c.pdf")]
    catalogue = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the whole group: the command and its workers
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    children = Path(f"/proc/{catalogue.pid}/task/{catalogue.pid}/children")
    try:
        deadline = time.monotonic() + 120
        # Interrupted once a worker lays a part out.
        while not (any(out.glob(".c.pdf.parts-*")) and children.read_text().strip()):
            assert catalogue.poll() is None, catalogue.communicate()
            assert time.monotonic() < deadline, "no part was laid out"
            time.sleep(0.05)
        workers = [int(pid) for pid in children.read_text().split()]
        os.killpg(catalogue.pid, signal.SIGINT)
        _, errors = catalogue.communicate(timeout=60)
    finally:
        if catalogue.poll() is None:
            os.killpg(catalogue.pid, signal.SIGKILL)
            catalogue.wait()
    assert catalogue.returncode == 130
    assert "Interrupted: no catalogue was written." in errors
    assert "Traceback" not in errors
    assert list(out.iterdir()) == []
    # Stopped, not left to lay out on: gone (or dead, waiting to be reaped) within seconds.
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, [pid for pid in workers if alive(pid)]
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """Tell whether process `pid` runs still (a zombie does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
