"""Merge the PDFs of a catalogue's parts into one tagged PDF, with pikepdf.

The first part (cover and contents) gives the document its catalogue: language, metadata,
viewer preferences, the mark that it is tagged, and the root of its structure tree. Each
other part brings its pages, its structure elements (each still on its own page: pikepdf
maps the part's objects to their copies) under the same document element, and its entries
of the parent tree, renumbered: pages first, in order, then the link annotations. The named
destinations of every part make one name tree, so the contents' links, which name their
targets, lead to the merged pages; the outline is made anew from every page's bookmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pikepdf

from .parts import Laid

# PDF points per CSS pixel: 72 per inch against 96.
SCALE = 0.75


def merge(files: Sequence[Path], laid: Sequence[Laid], out: Path) -> None:
    """Write to `out` the parts in `files` as one document; `laid` says what each holds."""
    with pikepdf.open(files[0]) as merged:
        total = sum(part.pages for part in laid)
        tree = merged.Root.StructTreeRoot
        document = tree.K[0]
        pages: list[Any] = []
        links: list[Any] = []
        names: dict[str, Any] = {}
        offset = 0
        for index, path in enumerate(files):
            part = merged if index == 0 else pikepdf.open(path)
            try:
                if index:
                    merged.pages.extend(part.pages)
                    copied = merged.copy_foreign(part.Root.StructTreeRoot)
                    for element in copied.K[0].K:
                        element.P = document
                        document.K.append(element)
                else:
                    copied = tree
                count = laid[index].pages
                keys = _Keys(count, offset, total + len(links))
                renumbered = _renumber(
                    copied.ParentTree, merged.pages[offset : offset + count], keys
                )
                for key, value in sorted(renumbered.items()):
                    (pages if key < total else links).append((key, value))
                dests = part.Root.get("/Names", {}).get("/Dests")
                for name, destination in _flat_names(dests):
                    if name not in names:
                        names[name] = _copied(merged, destination) if index else destination
            finally:
                if index:
                    part.close()
            offset += laid[index].pages
        tree.ParentTree = merged.make_indirect(
            pikepdf.Dictionary(Nums=pikepdf.Array([x for entry in pages + links for x in entry]))
        )
        tree.ParentTreeNextKey = total + len(links)
        if "/Names" not in merged.Root:
            merged.Root.Names = pikepdf.Dictionary()
        merged.Root.Names.Dests = merged.make_indirect(
            pikepdf.Dictionary(
                Names=pikepdf.Array(
                    [x for name in sorted(names) for x in (pikepdf.String(name), names[name])]
                )
            )
        )
        _outline(merged, laid)
        merged.save(
            out,
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )


class _Keys:
    """A part's keys in the parent tree, renumbered for the merged document: WeasyPrint gives
    each page its number in the part, then numbers the link annotations on after the pages;
    here pages move by `offset`, and annotations come after every page of the document."""

    def __init__(self, pages: int, offset: int, first_link: int) -> None:
        self.pages, self.offset, self.first_link = pages, offset, first_link

    def __call__(self, key: int) -> int:
        """Return the merged document's key for a part's key."""
        key = int(key)
        return self.offset + key if key < self.pages else self.first_link + key - self.pages


def _renumber(tree: Any, pages: Sequence[Any], keys: _Keys) -> dict[int, Any]:
    """Renumber a part's pages and link annotations; return its parent tree renumbered."""
    for page in pages:
        page.obj.StructParents = keys(page.obj.StructParents)
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = keys(annotation.StructParent)
    nums = list(tree.Nums)
    return {keys(key): value for key, value in zip(nums[::2], nums[1::2], strict=True)}


def _copied(merged: pikepdf.Pdf, destination: Any) -> Any:
    """Return a part's destination (its page, then a place on it) for the merged document."""
    if destination.is_indirect:
        return merged.copy_foreign(destination)
    page, *place = list(destination)
    return pikepdf.Array([merged.copy_foreign(page), *place])


def _flat_names(dests: Any) -> list[tuple[str, Any]]:
    """Return the (name, destination) pairs of a name tree (WeasyPrint writes one level)."""
    if dests is None:
        return []
    pairs = list(zip(dests.Names[::2], dests.Names[1::2], strict=True)) if "/Names" in dests else []
    for kid in dests.get("/Kids", []):
        pairs += _flat_names(kid)
    return [(str(name), destination) for name, destination in pairs]


def _outline(merged: pikepdf.Pdf, laid: Sequence[Laid]) -> None:
    """Make the outline anew from every page's bookmarks, as WeasyPrint nests them."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list[Any] = []
    skipped: list[int] = []
    last = [root]
    previous = 0
    number = 0
    for part in laid:
        for height, bookmarks in part.bookmarks:
            matrix = Matrix(a=SCALE, d=-SCALE, f=height * SCALE)
            page = SimpleNamespace(bookmarks=bookmarks)
            previous = make_page_bookmark_tree(page, skipped, last, previous, number, matrix)
            number += 1
    if "/Outlines" in merged.Root:
        del merged.Root.Outlines
    # Each page looked up once: pikepdf finds an item's page by its number, item by item
    # (a third of the merge's time at 2,000 pages, with 6,000 items).
    objects = [page.obj for page in merged.pages]
    with merged.open_outline() as outline:
        outline.root.extend(_items(root, objects))


def _items(subtrees: list[Any], pages: Sequence[Any]) -> list[pikepdf.OutlineItem]:
    """Return outline items for WeasyPrint's bookmark subtrees, on the merged `pages`."""
    items = []
    for label, (page, x, y), children, state in subtrees:
        # What pikepdf makes of a page number, "XYZ", left, top and zoom 0.
        item = pikepdf.OutlineItem(label, pikepdf.Array([pages[page], pikepdf.Name.XYZ, x, y, 0]))
        item.children.extend(_items(children, pages))
        item.is_closed = state == "closed"
        items.append(item)
    return items
