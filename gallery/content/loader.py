"""Reads an exhibition folder into an `Exhibition`, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from yaml.nodes import Node

from .aliases import check_aliases, check_links
from .context import Context
from .diagnostics import Diagnostic
from .exhibits import EXHIBIT_KEYS, read_exhibit
from .forked import Relayed, read_folders
from .gallery_file import GALLERY_FILE, GalleryDraft, read_gallery
from .locale import has_interface, read_locale
from .model import Catalogue, Exhibit, Exhibition, Room
from .paths import Media
from .referenced import referenced_media
from .references import agenda, connect
from .report import Doc, Report
from .rooms import ROOM_KEYS, RoomDraft, read_room, valid_slug
from .schema import check_language, did_you_mean
from .sources import Source, read_markdown

NUMBERED = re.compile(r"(\d+)-(.*)")
TRANSLATION = re.compile(r"([^.]+)\.([^.]+)\.md")
SLUG_HELP = "use lowercase letters, digits and single hyphens"
IGNORED_HELP = "file ignored (exhibits are named NN-slug.md, translations slug.LANG.md)"


@dataclass(frozen=True)
class LoadResult:
    """What loading produced: the exhibition (None on errors) and all diagnostics."""

    exhibition: Exhibition | None
    diagnostics: tuple[Diagnostic, ...]
    files: int  # how many room files (YAML and Markdown) were read

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity error."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity warning."""
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return self.exhibition is not None and not self.errors


def _visible(path: Path) -> bool:
    """Tell whether a file or folder takes part (hidden ones are ignored)."""
    return not path.name.startswith(".")


def _listing(ctx: Context, folder: Path, rel: str, want_dirs: bool) -> list[str]:
    """Return the visible files (or folders) of `folder`, sorted; report an unreadable one."""
    try:
        return sorted(
            p.name
            for p in folder.iterdir()
            if _visible(p) and (p.is_dir() if want_dirs else p.is_file())
        )
    except OSError as exc:
        ctx.report.add(rel, 1, None, "error", f"cannot read folder ({exc.strerror or exc})")
        return []


def _translation_lang(ctx: Context, doc: Doc, lang: str, main: str) -> bool:
    """Check the language of a translation file name; tell whether to use it."""
    if ctx.languages is None:  # gallery.yaml is broken; its own errors say so
        return True
    if not check_language(doc, 1, lang, ctx.languages):
        return False
    if lang == ctx.default:
        doc.error(1, f"'{lang}' is the default language: write it in {main}")
        return False
    return True


def _read_room_folder(ctx: Context, folder: Path, slug: str) -> RoomDraft | None:
    """Read room.md, the exhibits and all translations of one room folder."""
    base = folder.name
    exhibit_files: list[tuple[int, str, str, str]] = []  # (order, name, slug, rel)
    translations: dict[str, list[tuple[str, str]]] = {}  # slug or "room" -> [(lang, rel)]
    names = _listing(ctx, folder, f"{base}/room.md", want_dirs=False)
    if not names and not folder.is_dir():  # unreadable: what it holds is not known
        ctx.known.add(f"{slug}/*")
    for name in names:
        rel = f"{base}/{name}"
        if not name.endswith(".md") or name == "room.md":
            continue
        numbered = NUMBERED.fullmatch(name[: -len(".md")])
        translated = TRANSLATION.fullmatch(name)
        if numbered and "." not in numbered.group(2):
            exhibit_files.append((int(numbered.group(1)), name, numbered.group(2), rel))
        elif translated:
            translations.setdefault(translated.group(1), []).append((translated.group(2), rel))
        else:
            ctx.report.add(rel, 1, None, "warning", IGNORED_HELP)

    exhibits: list[Exhibit] = []
    seen: dict[str, str] = {}
    slugs = {slug_ for _, _, slug_, _ in exhibit_files}
    for _, name, exhibit_slug, rel in sorted(exhibit_files):
        source = read_markdown(ctx, rel, EXHIBIT_KEYS, "exhibit")
        doc = Doc(ctx.report, rel)
        if not valid_slug(exhibit_slug):
            doc.error(1, f"invalid exhibit slug '{exhibit_slug}' ({SLUG_HELP})")
            source = None
        elif exhibit_slug == "room":  # room.LANG.md translates room.md
            doc.error(1, "the exhibit slug 'room' is reserved (room.md describes the room)")
            source = None
        elif exhibit_slug in seen:
            doc.error(1, f"duplicate exhibit slug '{exhibit_slug}' (also {seen[exhibit_slug]})")
            source = None
        else:
            ctx.known.add(f"{slug}/{exhibit_slug}")
        seen.setdefault(exhibit_slug, name)
        found = _translations(
            ctx, translations.pop(exhibit_slug, []), EXHIBIT_KEYS, "exhibit", name
        )
        if source is not None:
            exhibit = read_exhibit(ctx, slug, exhibit_slug, source, found)
            if exhibit is not None:
                exhibits.append(exhibit)

    room_found = _translations(ctx, translations.pop("room", []), ROOM_KEYS, "room", "room.md")
    for unknown, files in translations.items():
        for _, rel in files:
            ctx.files += 1
            numbered = NUMBERED.fullmatch(unknown)
            if numbered and numbered.group(2) in slugs:
                hint = f"name translations without the number: {numbered.group(2)}.LANG.md"
            else:
                hint = did_you_mean(unknown, slugs)
            message = f"translation of unknown exhibit '{unknown}'"
            ctx.report.add(rel, 1, None, "error", message, hint)

    room_rel = f"{base}/room.md"
    if not (folder / "room.md").is_file():
        ctx.report.add(room_rel, 1, None, "error", "room folder has no room.md")
        return None
    source = read_markdown(ctx, room_rel, ROOM_KEYS, "room")
    if source is None:
        return None
    return read_room(ctx, slug, source, room_found, tuple(exhibits))


def _translations(
    ctx: Context, files: list[tuple[str, str]], keys: tuple[str, ...], context: str, main: str
) -> list[tuple[str, Source]]:
    """Read the translation files of one room or exhibit."""
    out = []
    for lang, rel in files:
        if not _translation_lang(ctx, Doc(ctx.report, rel), lang, main):
            ctx.files += 1
            continue
        source = read_markdown(ctx, rel, keys, context, translation=True)
        if source is not None:
            out.append((lang, source))
    return out


def _kept_draft(ctx: Context, name: str, room: Room) -> RoomDraft:
    """Return a draft of `room` as it was last loaded, standing in for the folder `name`."""
    ctx.known.add(room.slug)
    ctx.known.update(f"{room.slug}/{exhibit.slug}" for exhibit in room.exhibits)
    doors: list[tuple[str, Node | None]] = [(slug, None) for slug in room.doors]
    return RoomDraft(room, Doc(ctx.report, f"{name}/room.md"), doors, kept=True)


def _read_rooms(ctx: Context, keep: Mapping[str, Room | None], workers: int) -> list[RoomDraft]:
    """Read every NN-slug room folder in order, in up to `workers` processes; a folder named
    in `keep` is not read, its room given there (or none) stands in for it."""
    folders: list[tuple[int, str, str, Path]] = []
    for name in _listing(ctx, ctx.root, GALLERY_FILE, want_dirs=True):
        path = ctx.root / name
        numbered = NUMBERED.fullmatch(path.name)
        if numbered:
            folders.append((int(numbered.group(1)), path.name, numbered.group(2), path))
        elif (path / "room.md").is_file():
            message = f"room folder '{path.name}' needs a number prefix (e.g. 01-{path.name})"
            ctx.report.add(f"{path.name}/room.md", 1, None, "error", message)
            ctx.known.add(path.name)  # doors and the agenda may name it: one error is enough
    planned: list[RoomDraft | tuple[Path, str]] = []  # a kept room, or a folder to read
    seen: dict[str, str] = {}
    for _, name, slug, path in sorted(folders):
        rel = f"{name}/room.md"
        if name in keep and keep[name] is None:
            continue
        if not valid_slug(slug):
            ctx.report.add(rel, 1, None, "error", f"invalid room slug '{slug}' ({SLUG_HELP})")
            continue
        if slug in seen:
            ctx.report.add(
                rel, 1, None, "error", f"duplicate room slug '{slug}' (also {seen[slug]})"
            )
            continue
        seen[slug] = name
        kept = keep.get(name)
        if kept is not None and kept.slug == slug:
            planned.append(_kept_draft(ctx, name, kept))
            continue
        ctx.known.add(slug)
        planned.append((path, slug))
    folders = [entry for entry in planned if isinstance(entry, tuple)]
    read = iter(read_folders(ctx, folders, _read_room_folder, workers))
    drafts = [next(read) if isinstance(entry, tuple) else entry for entry in planned]
    return [draft for draft in drafts if draft is not None]


def load_exhibition(
    root: Path | str,
    display: str | None = None,
    keep: Mapping[str, Room | None] | None = None,
    workers: int = 1,
) -> LoadResult:
    """Load the exhibition in `root`; diagnostics name files under `display` (default: root).

    `keep` maps room folder names to the room to use instead of reading the folder, or to
    None to leave the folder out (see `lastgood`). With `workers` above 1, room folders are
    read in that many forked processes (`forked`), for the same result: only in a process
    that may fork (no other threads at work).
    """
    root = Path(root)
    report = Report(str(root) if display is None else display)
    ctx = Context(root, report, Media.at(root))
    try:
        exhibition = _load(ctx, keep or {}, workers)
    except Exception as exc:  # a bug must not hide every other diagnostic behind a traceback
        kind = exc.name if isinstance(exc, Relayed) else type(exc).__name__
        report.add(GALLERY_FILE, 1, None, "error", f"internal error: {kind}: {exc}")
        exhibition = None
    if report.has_errors():
        exhibition = None
    return LoadResult(exhibition, report.sorted(), ctx.files)


def _load(ctx: Context, keep: Mapping[str, Room | None], workers: int) -> Exhibition | None:
    """Read gallery.yaml and every room, then check what they refer to."""
    if not ctx.root.is_dir():
        ctx.report.add("", 1, None, "error", "not a folder")
        return None
    gallery = read_gallery(ctx)
    drafts = connect(ctx, _read_rooms(ctx, keep, workers))
    check_aliases(ctx.aliases, ctx.known)
    check_links(ctx.page_links, [d.room for d in drafts], ctx.known)
    if not drafts and (ctx.root / GALLERY_FILE).is_file():
        gallery.doc.error(1, "the exhibition has no rooms (folders named NN-slug with a room.md)")
    slugs = [d.room.slug for d in drafts]
    entrance = slugs[0] if slugs else None
    if gallery.entrance is not None:
        slug, node = gallery.entrance
        if slug in slugs:
            entrance = slug
        elif slug not in ctx.known:
            gallery.doc.error(node, f"unknown room '{slug}'", did_you_mean(slug, slugs))
    sessions = agenda(ctx, gallery, drafts)
    interface = read_locale(ctx)
    _interface_languages(gallery, interface)
    if not gallery.ok or ctx.report.has_errors() or ctx.languages is None:
        return None
    exhibition = Exhibition(
        root=ctx.root,
        title=ctx.ltext(gallery.title),
        languages=ctx.languages,
        rooms=tuple(d.room for d in drafts),
        subtitle=ctx.ltext(gallery.subtitle),
        introduction=ctx.ltext(gallery.introduction),
        entrance=entrance,
        opens=gallery.opens,
        closes=gallery.closes,
        timezone=gallery.timezone,
        contact=gallery.contact,
        agenda=sessions,
        interface=interface,
    )
    media = referenced_media(exhibition)
    return replace(exhibition, media=media, media_files=ctx.media.describe(media))


def _interface_languages(gallery: GalleryDraft, own: tuple[Catalogue, ...]) -> None:
    """Warn about each declared language whose pages would get another's buttons and menus."""
    for lang, node in gallery.language_nodes.items():
        if not has_interface(lang, own):
            gallery.doc.warning(
                node,
                f"no interface strings in '{lang}': buttons and menus show in English",
                f"translate them in locale/{lang}.po",
            )
