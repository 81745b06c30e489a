"""Writing a new exhibition, room or exhibit from the templates shipped with gallery.

The templates (the `scaffold` resource) are room files with `$name` fields filled here:
a title made from the slug, and dates around today for the new exhibition's agenda.
Nothing is ever overwritten.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from string import Template

from .content.loader import NUMBERED
from .content.rooms import valid_slug
from .resources import resource

TEXT_SUFFIXES = (".yaml", ".md")
SLUG_HELP = "use lowercase letters, digits and single hyphens, e.g. wind-turbines"


class ScaffoldError(Exception):
    """Raised when nothing can be written: a bad name, or a file that already exists."""


def title_of(slug: str) -> str:
    """Return a first title for a slug: "wind-turbines" gives "Wind turbines"."""
    return slug.replace("-", " ").capitalize()


def _fill(text: str, fields: dict[str, str]) -> str:
    """Fill a template's `$name` fields."""
    return Template(text).substitute(fields)


def _moment(day: datetime, hour: int) -> str:
    """Return `day` at `hour` o'clock as ISO 8601 with its offset."""
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def new_exhibition(target: Path, now: datetime | None = None) -> list[Path]:
    """Write the small sample of `gallery new` into `target`, which must be new or empty."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty: choose a new folder")
    now = now or datetime.now().astimezone()
    offset = now.strftime("%z")
    name = target.resolve().name
    fields = {
        "title": title_of(name) if valid_slug(name) else name,
        "opens": _moment(now, 9),
        "closes": _moment(now + timedelta(days=30), 18),
        "starts": _moment(now + timedelta(days=1), 14),
        "ends": (
            now.replace(hour=14, minute=30, second=0, microsecond=0) + timedelta(days=1)
        ).isoformat(),
        "offset": f"{offset[:3]}:{offset[3:]}",
    }
    source = resource("scaffold") / "exhibition"
    written = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in TEXT_SUFFIXES:
            out.write_text(_fill(path.read_text(encoding="utf-8"), fields), encoding="utf-8")
        else:
            shutil.copyfile(path, out)
        written.append(out)
    return written


def _slug(kind: str, slug: str) -> str:
    """Check a slug given on the command line."""
    if not valid_slug(slug):
        raise ScaffoldError(f"invalid {kind} slug '{slug}' ({SLUG_HELP})")
    return slug


def _numbered(names: list[str]) -> dict[str, tuple[int, str]]:
    """Return the slugs of NN-slug names, with their number and full name."""
    out = {}
    for name in names:
        found = NUMBERED.fullmatch(name)
        if found:
            out[found.group(2)] = (int(found.group(1)), name)
    return out


def _next(numbers: list[int]) -> str:
    """Return the number after the highest one, two digits at least."""
    return f"{max(numbers, default=0) + 1:02d}"


def _exhibition(root: Path) -> Path:
    """Check that `root` holds an exhibition."""
    if not (root / "gallery.yaml").is_file():
        raise ScaffoldError(f"{root}: no gallery.yaml here (start one with `gallery new DIR`)")
    return root


def new_room(root: Path, slug: str) -> Path:
    """Write NN-slug/room.md in the exhibition `root`, NN after the last room's number."""
    rooms = _numbered([p.name for p in _exhibition(root).iterdir() if p.is_dir()])
    if _slug("room", slug) in rooms:
        raise ScaffoldError(f"the room '{slug}' exists already ({rooms[slug][1]}/)")
    folder = root / f"{_next([n for n, _ in rooms.values()])}-{slug}"
    folder.mkdir()
    template = (resource("scaffold") / "room.md").read_text(encoding="utf-8")
    out = folder / "room.md"
    out.write_text(_fill(template, {"slug": slug, "title": title_of(slug)}), encoding="utf-8")
    return out


def new_exhibit(root: Path, room: str, slug: str) -> Path:
    """Write NN-slug.md in the room `room` (its slug or folder name) of the exhibition `root`."""
    rooms = _numbered([p.name for p in _exhibition(root).iterdir() if p.is_dir()])
    name = rooms[room][1] if room in rooms else room
    folder = root / name
    if not (folder / "room.md").is_file() or not NUMBERED.fullmatch(name):
        known = ", ".join(sorted(rooms)) or "none yet"
        raise ScaffoldError(f"no room '{room}' in {root} (its rooms: {known})")
    exhibits = _numbered([p.stem for p in folder.glob("*.md") if re.fullmatch(r"\d+-.*", p.stem)])
    if _slug("exhibit", slug) in exhibits:
        raise ScaffoldError(f"the exhibit '{slug}' exists already ({name}/{exhibits[slug][1]}.md)")
    out = folder / f"{_next([n for n, _ in exhibits.values()])}-{slug}.md"
    template = (resource("scaffold") / "exhibit.md").read_text(encoding="utf-8")
    out.write_text(_fill(template, {"slug": slug, "title": title_of(slug)}), encoding="utf-8")
    return out
