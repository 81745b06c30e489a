"""Building small exhibitions for content tests: the basic fixture with files changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from gallery.content import LoadResult, load_exhibition

BASIC = Path(__file__).resolve().parent / "exhibitions" / "basic"


def exhibition(tmp_path: Path, files: dict[str, str | bytes | None]) -> Path:
    """Copy the basic fixture to tmp_path/x and write (or, for None, delete) `files` in it."""
    root = tmp_path / "x"
    shutil.copytree(BASIC, root)
    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def load(tmp_path: Path, files: dict[str, str | bytes | None]) -> LoadResult:
    """Load the basic fixture with `files` changed, files named under "x"."""
    return load_exhibition(exhibition(tmp_path, files), display="x")


def messages(tmp_path: Path, files: dict[str, str | bytes | None]) -> list[str]:
    """Return the diagnostics of the changed basic fixture as printed lines."""
    return [str(d) for d in load(tmp_path, files).diagnostics]


def media_href(rel: str, root: Path = BASIC) -> str:
    """Return the URL pages give the media file `rel` of `root`: its path and its version."""
    from gallery.content.paths import file_version
    from gallery.content.urllayout import media_url

    return media_url(rel, file_version(root / rel))
