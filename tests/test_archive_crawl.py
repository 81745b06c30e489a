"""The crawl of `gallery build`: its work shared between processes in chunks gives the same
bytes as one process alone, and no URL writes outside the archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from gallery.archive import BuildError, build_archive
from gallery.archive import crawl as module
from gallery.archive.build import archive_app
from gallery.content import workers

from .conftest import BASIC

ROOMS, EXHIBITS = 4, 20  # 2 x (4 x 21) + 3 pages: enough for two workers


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exhibition of a few full rooms, in two languages, with the basic one's theme."""
    root = tmp_path_factory.mktemp("parallel") / "rooms"
    root.mkdir()
    (root / "gallery.yaml").write_text(
        "title:\n  fr: Grande galerie\n  en: Great gallery\nlanguages: [fr, en]\n"
        "agenda:\n  - id: talk\n    title: Talk\n"
        "    starts: 2030-06-17T10:00:00+02:00\n    ends: 2030-06-17T10:45:00+02:00\n",
        encoding="utf-8",
    )
    image = (BASIC / "02-lab" / "lantern.png").read_bytes()
    for r in range(1, ROOMS + 1):
        folder = root / f"{r:02d}-room-{r}"
        folder.mkdir()
        doors = ", ".join(f"room-{d}" for d in (r - 1, r + 1) if 1 <= d <= ROOMS)
        (folder / "room.md").write_text(
            f"---\ntitle:\n  fr: Salle {r}\n  en: Room {r}\ndoors: [{doors}]\n---\nSalle {r}.\n",
            encoding="utf-8",
        )
        (folder / "image.png").write_bytes(image)
        for e in range(1, EXHIBITS + 1):
            (folder / f"{e:02d}-exhibit-{r}-{e}.md").write_text(
                f"---\ntitle: Projet {r}.{e}\nimage: image.png\nimage_alt: Une lanterne\n"
                f"links:\n  - title: Site\n    url: https://example.org/{r}/{e}\n"
                f"---\nLe projet *{r}.{e}*.\n",
                encoding="utf-8",
            )
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_forked_workers_build_the_same_bytes_as_one_process(
    rooms: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[str] = []
    real = workers.multiprocessing.get_context

    def get_context(method: str):
        forks.append(method)
        return real(method)

    monkeypatch.setattr(workers.multiprocessing, "get_context", get_context)
    monkeypatch.setattr(module.os, "cpu_count", lambda: 1)
    build_archive(rooms, tmp_path / "alone", data=str(tmp_path / "data"))
    assert forks == []
    monkeypatch.setattr(module.os, "cpu_count", lambda: 2)
    build_archive(rooms, tmp_path / "shared", data=str(tmp_path / "data"))
    assert forks == ["fork"]
    alone, shared = _tree(tmp_path / "alone"), _tree(tmp_path / "shared")
    assert len(alone) > 3 * 2 * ROOMS * EXHIBITS
    assert shared == alone


@pytest.mark.parametrize("count", [0, 1, 63, 65, 130, 200, 4210])
def test_pages_are_shared_in_chunks_that_shrink_at_the_end(count: int) -> None:
    paths = [f"/fr/{n}/" for n in range(count)]
    chunks = module._chunks(paths, 2)
    assert [path for chunk in chunks for path in chunk] == paths  # each once, in order
    sizes = [len(chunk) for chunk in chunks]
    assert all(size <= module.CHUNK for size in sizes)
    # The last pages, two full chunks' worth, go in quarter chunks.
    short = [size for size in sizes if size <= module.CHUNK // 4]
    assert sizes[-len(short) or len(sizes) :] == short
    assert sum(short) >= min(count, 2 * module.CHUNK)


def test_pages_rendered_by_parallel_workers_are_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module.os, "cpu_count", lambda: 1)
    build_archive(BASIC, tmp_path / "alone", data=str(tmp_path / "data"))
    monkeypatch.setattr(module, "CHUNK", 2)  # many chunks, so that workers share them
    monkeypatch.setattr(module.os, "cpu_count", lambda: 2)
    build_archive(BASIC, tmp_path / "forked", data=str(tmp_path / "data"))
    assert _tree(tmp_path / "forked") == _tree(tmp_path / "alone")


@pytest.mark.parametrize("file", ["../escape.html", "fr/../../escape.html", "/tmp/escape.html"])
def test_no_url_writes_outside_the_archive(tmp_path: Path, file: str) -> None:
    out = tmp_path / "site"
    out.mkdir()
    crawl = module.Crawl(archive_app(BASIC, str(tmp_path / "data")), out, None)
    with pytest.raises(BuildError, match="would be written outside the archive"):
        crawl.write(file, b"x")
    assert sorted(p.name for p in tmp_path.rglob("escape.html")) == []
