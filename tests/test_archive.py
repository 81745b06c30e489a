"""`gallery build`: the static archive, its links, its determinism, and what it refuses."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

import brotli
import pytest

from gallery.archive import BuildError, build_archive, relink_html, url_to_file
from gallery.archive.build import MARKER
from gallery.archive.relink import relative
from gallery.cli import cli

from .conftest import BASIC, SAMPLE

LINK = re.compile(r'(?:href|src|poster)="([^"]*)"')


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive") / "site"
    build_archive(BASIC, out, data=str(tmp_path_factory.mktemp("data")))
    return out


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/fr/", "fr/index.html"),
        ("/fr/rooms/lab/", "fr/rooms/lab/index.html"),
        ("/media/02-lab/lantern%20one.png", "media/02-lab/lantern one.png"),
        ("/static/css/site.css?v=abc", "static/css/site.css"),
        ("/fr/rooms/lab/#doors", "fr/rooms/lab/index.html"),
    ],
)
def test_url_to_file(url: str, file: str) -> None:
    assert url_to_file(url) == file


@pytest.mark.parametrize(
    ("url", "page", "link"),
    [
        ("/fr/rooms/lab/", "fr/rooms/hall/index.html", "../lab/index.html"),
        ("/fr/", "fr/rooms/hall/index.html", "../../index.html"),
        ("/static/css/site.css?v=1", "fr/index.html", "../static/css/site.css?v=1"),
        ("/fr/rooms/lab/#main", "fr/rooms/lab/index.html", "index.html#main"),
        ("/", "404.html", "index.html"),
    ],
)
def test_links_become_relative_to_the_page(url: str, page: str, link: str) -> None:
    assert relative(url, page) == link


def test_relink_leaves_other_sites_and_fragments_alone() -> None:
    html = (
        '<a href="https://example.org/x">a</a><a href="//cdn.example/x">b</a><a href="#top">c</a>'
        '<img src="/media/a.png" srcset="/media/a.png 1x, /media/a@2x.png 2x">'
        "<p style=\"background: url('/media/b.png')\">"
    )
    assert relink_html(html, "fr/index.html") == (
        '<a href="https://example.org/x">a</a><a href="//cdn.example/x">b</a><a href="#top">c</a>'
        '<img src="../media/a.png" srcset="../media/a.png 1x, ../media/a@2x.png 2x">'
        "<p style=\"background: url('../media/b.png')\">"
    )


@pytest.mark.parametrize(
    ("html", "relinked"),
    [
        ('<a xhref="/fr/">', '<a xhref="/fr/">'),  # the end of another name
        ('<a data_src="/fr/" src="/fr/">', '<a data_src="/fr/" src="index.html">'),
        ('<a href="/fr/"src="/fr/">', '<a href="index.html"src="index.html">'),
        ('<img srcset="/a.png 1x,/b.png  2x">', '<img srcset="../a.png 1x, ../b.png 2x">'),
        ('<p>href=href="/fr/" data="/fr/', '<p>href=href="index.html" data="/fr/'),
        ('<form action="/fr/" data-x="/fr/">', '<form action="index.html" data-x="/fr/">'),
        ('href="/fr/"', 'href="index.html"'),  # at the very start
    ],
)
def test_relink_finds_attribute_names_as_a_scan_from_each_name_would(
    html: str, relinked: str
) -> None:
    assert relink_html(html, "fr/index.html") == relinked


def _relinked_by_name_scan(html: str, page: str) -> tuple[str, list[str]]:
    """Relink with the plain pattern that starts at each attribute name (slower, simpler)."""
    seen: list[str] = []
    pattern = re.compile(r'(?P<name>href|src|poster|action|data|srcset)="(?P<value>[^"]*)"')

    def rewrite(url: str) -> str:
        seen.append(url)
        return relative(url, page)

    def attribute(found: re.Match[str]) -> str:
        start, name, value = found.start(), found["name"], found["value"]
        if start and (html[start - 1].isalnum() or html[start - 1] == "_"):
            return found[0]
        if name != "srcset":
            own = value.startswith("/") and not value.startswith("//")
            return f'{name}="{rewrite(value)}"' if own else found[0]
        parts = []
        for candidate in value.split(","):
            words = candidate.strip().split()
            if words and words[0].startswith("/") and not words[0].startswith("//"):
                words[0] = rewrite(words[0])
            parts.append(" ".join(words))
        return f'srcset="{", ".join(parts)}"'

    return pattern.sub(attribute, html), seen


def test_relink_matches_a_scan_from_each_name_on_jumbled_markup() -> None:
    import random

    pieces = ['="', '"', "href", "src", "srcset", "data", "poster", "action", "x", "_", " "]
    pieces += ["/fr/", "/media/a.png", "//cdn/x", "1x,", "=", "<a ", ">", "é"]
    shuffle = random.Random(10)
    for _ in range(3000):
        html = "".join(shuffle.choice(pieces) for _ in range(shuffle.randint(1, 30)))
        seen: list[str] = []
        relinked = relink_html(html, "fr/rooms/index.html", seen.append)
        assert (relinked, seen) == _relinked_by_name_scan(html, "fr/rooms/index.html"), html


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_page_of_every_language_is_written(archive: Path) -> None:
    files = {str(p.relative_to(archive)) for p in pages(archive)}
    for lang in ("fr", "en"):
        assert {
            f"{lang}/index.html",
            f"{lang}/agenda/index.html",
            f"{lang}/rooms/hall/index.html",
            f"{lang}/rooms/lab/index.html",
            f"{lang}/rooms/lab/lanterns/index.html",
            f"{lang}/rooms/stage/index.html",
            f"{lang}/sessions/opening/questions/index.html",
        } <= files
    assert {"index.html", "404.html"} <= files
    assert (archive / MARKER).is_file()


def test_every_internal_link_and_file_resolves_and_nothing_is_live(archive: Path) -> None:
    for page in pages(archive):
        html = page.read_text(encoding="utf-8")
        assert "socket.io" not in html and "live.js" not in html, page
        for link in LINK.findall(html):
            if link.startswith(("#", "mailto:", "http:", "https:", "//")) or "{" in link:
                continue
            assert not link.startswith("/"), f"{page}: absolute link {link}"
            target = (page.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{page}: {link} leads nowhere"
            assert archive.resolve() in target.parents, f"{page}: {link} leaves the archive"


def test_the_archive_says_it_is_one(archive: Path) -> None:
    lobby = (archive / "en" / "index.html").read_text(encoding="utf-8")
    assert "It stays here as an archive" in lobby


def test_text_files_are_precompressed_beside_themselves(archive: Path) -> None:
    page = archive / "fr" / "rooms" / "lab" / "index.html"
    body = page.read_bytes()
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == body
    assert brotli.decompress(page.with_name("index.html.br").read_bytes()) == body
    assert not any(archive.rglob("*.png.gz")), "images are compressed already"


def test_the_same_files_build_the_same_bytes(archive: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_archive(BASIC, again, data=str(tmp_path / "data"))

    def tree(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(again) == tree(archive)


def test_a_folder_that_is_not_a_build_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="exists and is not a previous build"):
        build_archive(BASIC, out, data=str(tmp_path / "data"))
    assert (out / "notes.txt").read_text() == "mine"
    build_archive(BASIC, out, force=True, data=str(tmp_path / "data"))
    assert not (out / "notes.txt").exists() and (out / MARKER).is_file()


def test_a_previous_build_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_archive(BASIC, out, data=str(tmp_path / "data"))
    (out / "stale.html").write_text("old")
    build_archive(BASIC, out, data=str(tmp_path / "data"))
    assert not (out / "stale.html").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_exhibition_folder_is_never_an_output(tmp_path: Path) -> None:
    rooms = tmp_path / "expo" / "rooms"
    shutil.copytree(BASIC, rooms)
    for out in (rooms, rooms.parent):
        with pytest.raises(BuildError, match="may not hold the exhibition itself"):
            build_archive(rooms, out, force=True, data=str(tmp_path / "data"))
    assert (rooms / "gallery.yaml").is_file()


def test_a_failed_build_leaves_the_previous_one_and_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rooms = tmp_path / "rooms"
    shutil.copytree(BASIC, rooms)
    out = tmp_path / "site"
    build_archive(rooms, out, data=str(tmp_path / "data"))
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    from gallery.archive.crawl import Crawl

    real = Crawl.asset

    def deleting(self, path: str) -> None:
        # A media file goes away while the build runs.
        for media in rooms.rglob("*.png"):
            media.unlink()
        real(self, path)

    monkeypatch.setattr(Crawl, "asset", deleting)
    with pytest.raises(BuildError, match="cannot be read"):
        build_archive(rooms, out, data=str(tmp_path / "data"))
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "rooms", "site"]


def test_invalid_room_files_are_refused_with_the_check_messages(tmp_path: Path, runner) -> None:
    rooms = tmp_path / "rooms"
    shutil.copytree(BASIC, rooms)
    (rooms / "02-lab" / "room.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(rooms), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "02-lab/room.md:2:" in result.output and "error" in result.output
    assert not (tmp_path / "site").exists()


def test_the_command_says_what_it_built(tmp_path: Path, runner) -> None:
    out = tmp_path / "site"
    result = runner.invoke(
        cli, ["build", str(SAMPLE), "--out", str(out), "--data", str(tmp_path / "data")]
    )
    assert result.exit_code == 0, result.output
    assert re.search(
        rf"Built {re.escape(str(out))}: \d+ pages, \d+ files, [\d.]+ MB\.", result.output
    )


def test_the_command_leaves_the_previous_build_to_a_process_of_its_own(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gallery.archive import sweep

    out = tmp_path / "site"
    command = ["build", str(BASIC), "--out", str(out), "--data", str(tmp_path / "data")]
    assert runner.invoke(cli, command).exit_code == 0
    (out / "stale.html").write_text("old")
    handed: list[tuple[Path, bool, bool, subprocess.Popen[bytes] | None]] = []
    real = sweep.remove_later

    def later(folder: Path) -> subprocess.Popen[bytes] | None:
        # The new build is in place and the previous one aside when its deletion starts.
        aside = (folder / "previous" / "stale.html").is_file()
        handed.append((folder, aside, (out / "stale.html").exists(), real(folder)))
        return handed[-1][3]

    monkeypatch.setattr(sweep, "remove_later", later)
    result = runner.invoke(cli, command)
    assert result.exit_code == 0, result.output
    [(folder, aside, stale, process)] = handed
    assert aside and not stale and folder.parent == tmp_path and folder.name.startswith(".")
    assert process is not None
    assert os.getsid(process.pid) != os.getsid(0)  # a Ctrl-C in the terminal spares it
    assert process.wait(timeout=60) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]
    assert (out / MARKER).is_file() and not (out / "stale.html").exists()


def test_a_previous_build_is_deleted_at_once_when_no_process_can_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gallery.archive import sweep

    def refused(*args, **kwargs) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    folder = tmp_path / ".site.old-x"
    (folder / "previous" / "fr").mkdir(parents=True)
    (folder / "previous" / "fr" / "index.html").write_text("old")
    monkeypatch.setattr(sweep.subprocess, "Popen", refused)
    assert sweep.remove_later(folder) is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "nowhere", "--out", "x"], "nowhere: no gallery.yaml in this directory"),
        (["build", str(BASIC)], "Missing option '--out'"),
    ],
)
def test_bad_arguments_get_a_message_and_no_traceback(runner, args, message) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_questions_of_each_session_are_kept_without_the_hidden_ones(tmp_path: Path) -> None:
    from gallery.records import SqlRecords

    data = tmp_path / "data"
    data.mkdir()
    records = SqlRecords(f"sqlite:///{data / 'gallery.sqlite3'}")
    records.upgrade()
    kept = records.add_question("opening", "key-1", "Ada", "Will the lanterns stay lit?")
    hidden = records.add_question("opening", "key-2", "Bob", "Spam, spam, spam")
    records.set_status(kept.id, "answered", by="host")
    records.set_status(hidden.id, "hidden", by="host")
    records.close()
    out = tmp_path / "site"
    build_archive(BASIC, out, data=str(data))
    page = (out / "en" / "sessions" / "opening" / "questions" / "index.html").read_text("utf-8")
    assert "Will the lanterns stay lit?" in page
    assert "Spam" not in page
    stage = (out / "en" / "rooms" / "stage" / "index.html").read_text("utf-8")
    assert 'href="../../sessions/opening/questions/index.html"' in stage
