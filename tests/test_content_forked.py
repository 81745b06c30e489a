"""Room folders read by forked workers give what reading them in one process gives: the same
diagnostics, names known, aliases, links and rooms, in the same order."""
# ruff: noqa: E501 - expected messages read best whole, one per line

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gallery.content import forked, load_exhibition, loader, workers
from gallery.content.context import Context

from .content_helpers import exhibition

GOOD = {
    "04-annex/room.md": (
        "---\ntitle:\n  fr: Annexe\n  en: Annex\ndoors: [hall]\naliases: [old-annex]\n"
        "position: [3, 1]\n---\nVoir le [laboratoire](/fr/rooms/lab/).\n"
    ),
    "04-annex/room.en.md": "---\ntitle: Annex\n---\nSee the [lab](/en/rooms/lab/maps/).\n",
    "04-annex/01-kites.md": (
        "---\ntitle: Cerfs-volants\naliases: [lab/plans]\nteam: [Ada]\n---\n"
        "Comme les [lanternes](/fr/rooms/lab/lanterns/), ou [ceci](/fr/rooms/annex/).\n"
    ),
    "04-annex/kites.en.md": "---\ntitle: Kites\n---\nLike the [lanterns](/en/rooms/lab/lanterns/).\n",
    "04-annex/02-wings.md": "---\ntitle: Ailes\n---\nDes [cerfs-volants](01-kites.md).\n",
    "04-annex/wings.en.md": "---\ntitle: Wings\n---\nSome [kites](01-kites.md).\n",
    **{
        f"{n:02d}-wing-{n}/room.md": (
            f"---\ntitle:\n  fr: Aile {n}\n  en: Wing {n}\ndoors: [annex]\n---\n"
            f"Vers l’[aile suivante](/fr/rooms/wing-{5 + (n - 4) % 7}/).\n"
        )
        for n in range(5, 12)
    },
    "11-wing-11/01-kite.md": "---\ntitle: Cerf-volant\naliases: [annex/kites-old]\n---\nUn.\n",
    "11-wing-11/kite.en.md": "---\ntitle: Kite\n---\nOne, like [wing 5](/en/rooms/wing-5/).\n",
}

BROKEN = {
    **{rel: text for rel, text in GOOD.items() if rel != "10-wing-10/room.md"},
    # Errors and warnings of the readers, inside the folders the workers read.
    "05-wing-5/room.md": "---\ntitle: [Aile\ndoors: [annex]\n---\n",
    "06-wing-6/01-Bad_Slug.md": "---\ntitle: Mauvais\n---\n",
    "06-wing-6/readme.md": "---\ntitle: Lisez-moi\n---\n",
    "06-wing-6/ghost.en.md": "---\ntitle: Ghost\n---\n",
    "06-wing-6/room.de.md": "---\ntitle: Flügel\n---\n",
    "07-wing-7/01-twin.md": "---\ntitle: Un\nimage: nope.png\n---\n",
    "07-wing-7/02-twin.md": "---\ntitle: Deux\nimage: [x]\n---\n",
    "08-wing-8/room.md": (
        "---\ntitle: Aile 8\ndoors: [nowhere, annex, annex]\nposition: [3, 1]\n"
        "aliases: [hall, Bad]\n---\nVers [rien](/fr/rooms/gone/) et [là](/fr/rooms/lab/none/).\n"
    ),
    "09-wing-9/01-kite.md": "---\ntitle: Cerf\naliases: [lanterns, lab/lanterns]\nsize: 3\n---\n",
    "10-wing-10/01-lone.md": "---\ntitle: Seul\n---\n",
    # Read with 98 errors by a worker, then 3 more from the parent: 100 shown per file.
    "14-wing-14/room.md": "---\ntitle: Aile 14\ndoors: [no-1, no-2, no-3]\n"
    + "".join(f"key-{n}: {n}\n" for n in range(98))
    + "---\n",
    # Errors found by the parent: a slug twice, a bad slug, a folder without a number.
    "12-annex/room.md": "---\ntitle: Annexe bis\n---\n",
    "13-Bad_Room/room.md": "---\ntitle: Mauvaise\n---\n",
    "attic/room.md": "---\ntitle: Grenier\n---\n",
}


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each pool the loader starts; let two folders be enough for a worker."""
    started: list[str] = []
    real = workers.multiprocessing.get_context

    def get_context(method: str) -> Any:
        started.append(method)
        return real(method)

    monkeypatch.setattr(workers.multiprocessing, "get_context", get_context)
    monkeypatch.setattr(forked, "FOLDERS_PER_WORKER", 2)
    return started


def _load(monkeypatch: pytest.MonkeyPatch, root: Path, workers: int, **keep: Any) -> dict:
    """Load `root`; return everything the load left in its context, rooms and diagnostics."""
    contexts: list[Context] = []
    drafts: list[list] = []
    real_connect = loader.connect

    class Recorded(Context):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            contexts.append(self)

    def connect(ctx: Context, read: list) -> list:
        drafts.append(read)
        return real_connect(ctx, read)

    monkeypatch.setattr(loader, "Context", Recorded)
    monkeypatch.setattr(loader, "connect", connect)
    result = load_exhibition(root, display="x", keep=keep, workers=workers)
    (ctx,) = contexts
    docs = [d.doc for d in drafts[0]] if drafts else []
    docs += [a.doc for a in ctx.aliases] + [link.doc for link in ctx.page_links]
    # Every file's problems go to the one report, whoever read the file.
    assert all(doc.report is ctx.report for doc in docs)
    return {
        "result": result,
        "printed": [str(d) for d in result.diagnostics],
        # What `check` shows beside each line: the hint and the line of the file itself.
        "shown": [d.as_dict() for d in result.diagnostics],
        "total": ctx.report.total,
        "files": ctx.files,
        "known": ctx.known,
        "aliases": [
            (a.doc.rel, a.doc.position(a.node), a.written, a.old, a.new) for a in ctx.aliases
        ],
        "links": [
            (link.doc.rel, link.doc.position(link.where), link.url, link.lang, link.address)
            for link in ctx.page_links
        ],
        "drafts": [
            (d.room, d.doc.rel, [(slug, d.doc.position(n)) for slug, n in d.doors], d.kept)
            for d in (drafts[0] if drafts else [])
        ],
    }


@pytest.mark.parametrize("files", [GOOD, BROKEN], ids=["good", "broken"])
def test_forked_load_is_the_serial_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[str], files: dict
) -> None:
    root = exhibition(tmp_path, files)
    alone = _load(monkeypatch, root, 1)
    assert forks == []
    shared = _load(monkeypatch, root, 2)
    assert forks == ["fork"]
    assert shared == alone
    assert len(alone["drafts"]) >= 9 and alone["links"] and alone["aliases"]
    if files is GOOD:
        assert alone["printed"] == [] and alone["result"].exhibition is not None
        assert alone["result"].exhibition.room("annex").aliases == ("old-annex",)
    else:
        for line in (
            "x/05-wing-5/room.md:2:8: error: '[' opens a list that is not closed with ']' "
            "(add the ']', or put the value in quotes if it is a text)",
            "x/06-wing-6/ghost.en.md:1: error: translation of unknown exhibit 'ghost'",
            "x/06-wing-6/room.de.md:1: error: language 'de' is not declared in gallery.yaml",
            "x/07-wing-7/01-twin.md:3:8: error: file 'nope.png' not found",
            "x/07-wing-7/02-twin.md:1: error: duplicate exhibit slug 'twin' (also 01-twin.md)",
            "x/08-wing-8/room.md:3:9: error: unknown room 'nowhere'",
            "x/08-wing-8/room.md:4:11: warning: room 'wing-8' has the same position as 'annex'",
            "x/08-wing-8/room.md:5:11: error: alias 'hall' is the slug of a room",
            "x/08-wing-8/room.md:7:13: warning: link to '/fr/rooms/gone/': no room 'gone'",
            "x/09-wing-9/01-kite.md:3:21: error: alias 'lab/lanterns' is the slug of an exhibit",
            "x/10-wing-10/room.md:1: error: room folder has no room.md",
            "x/12-annex/room.md:1: error: duplicate room slug 'annex' (also 04-annex)",
            "x/attic/room.md:1: error: room folder 'attic' needs a number prefix (e.g. 01-attic)",
            "x/14-wing-14/room.md:3:15: error: unknown room 'no-2'",
            "x/14-wing-14/room.md:3: error: too many problems in this file; the rest are not reported",
        ):
            assert line in alone["printed"]


def test_kept_rooms_stand_in_among_forked_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[str]
) -> None:
    root = exhibition(tmp_path, BROKEN)
    lab = load_exhibition(exhibition(tmp_path / "basic", {})).exhibition.room("lab")
    keep = {"02-lab": lab, "05-wing-5": None, "07-wing-7": None}
    alone = _load(monkeypatch, root, 1, **keep)
    shared = _load(monkeypatch, root, 2, **keep)
    assert forks == ["fork"]
    assert shared == alone
    assert [kept for *_, kept in alone["drafts"]].count(True) == 1


def test_a_workers_crash_is_reported_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[str]
) -> None:
    root = exhibition(tmp_path, BROKEN)
    real = loader.read_room

    def read_room(ctx: Context, slug: str, *args: Any) -> Any:
        if slug == "wing-8":
            raise KeyError("boom")
        return real(ctx, slug, *args)

    monkeypatch.setattr(loader, "read_room", read_room)
    alone = _load(monkeypatch, root, 1)
    shared = _load(monkeypatch, root, 2)
    assert forks == ["fork"]
    assert shared == alone
    assert "x/gallery.yaml:1: error: internal error: KeyError: 'boom'" in alone["printed"]
    # The folders before the crash were read, those after it not.
    assert any("06-wing-6" in line for line in alone["printed"])
    assert not any("09-wing-9" in line for line in alone["printed"])
