"""Markdown room files with front matter, and merging their translations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode

from .context import Context
from .markdown import render
from .report import Doc
from .schema import Fields, mapping, require, sequence, string, text
from .yamlsrc import is_null, kind_of, parse_yaml, plain, read_text, split_front_matter


@dataclass
class Source:
    """One Markdown room file: its front matter keys and its body."""

    doc: Doc
    node: Node | None  # the front matter map, None when empty or absent
    fields: Fields
    body: str
    body_offset: int


def read_markdown(
    ctx: Context, rel: str, allowed: Sequence[str], context: str, translation: bool = False
) -> Source | None:
    """Read a Markdown room file; return None (after reporting) when it cannot be used."""
    ctx.files += 1
    content = read_text(ctx.root, rel, ctx.report, ctx.media.resolved_root)
    if content is None:
        return None
    doc = Doc(ctx.report, rel)
    front = split_front_matter(content, doc)
    if front is None:
        return None
    if front.yaml is None:
        if not translation:
            doc.error(1, "missing front matter (start the file with a '---' line)")
            return None
        return Source(doc, None, {}, front.body, front.body_offset)
    doc.offset = front.yaml_offset
    ok, node = parse_yaml(front.yaml, doc)
    if not ok:
        return None
    fields: Fields | None = {}
    if node is not None:
        fields = mapping(doc, node, allowed, context)
        if fields is None:
            return None
    return Source(doc, node, fields, front.body, front.body_offset)


@dataclass
class Person:
    """A person being read: name, role per language."""

    name: str
    role: dict[str, str] = field(default_factory=dict)


@dataclass
class Titled:
    """A document or link being read: title per language, and its file or URL."""

    title: dict[str, str]
    target: str  # the file or URL as written
    resolved: str | None  # the file relative to the root, or the URL


PERSON_KEYS = ("name", "role")
ITEM_CONTEXT = {"documents": "document", "links": "link", "team": "person", "mentors": "person"}


def people(ctx: Context, doc: Doc, key: str, node: Node) -> list[Person]:
    """Read a list of names, or of {name, role}."""
    out = []
    for item in sequence(doc, key, node) or ():
        if isinstance(item, ScalarNode) and not is_null(item):
            out.append(Person(item.value))
            continue
        fields = mapping(doc, item, PERSON_KEYS, "person")
        if fields is None or not require(doc, fields, item, ("name",), "person"):
            continue
        name = string(doc, "name", fields["name"][1])
        role = (
            text(doc, "role", fields["role"][1], ctx.languages, ctx.default)
            if "role" in fields
            else {}
        )
        if name is not None:
            out.append(Person(name, role or {}))
    return out


def titled(
    ctx: Context,
    doc: Doc,
    key: str,
    node: Node,
    target: str,
    context: str,
    check: Callable[[Doc, Node, str], str | None],
) -> list[Titled]:
    """Read a list of {title, <target>} maps (documents, links)."""
    out = []
    for item in sequence(doc, key, node) or ():
        fields = mapping(doc, item, ("title", target), context)
        if fields is None:
            continue
        complete = require(doc, fields, item, ("title", target), context)
        title = (
            text(doc, "title", fields["title"][1], ctx.languages, ctx.default, True)
            if "title" in fields
            else None
        )
        value = string(doc, target, fields[target][1]) if target in fields else None
        resolved = check(doc, fields[target][1], value) if value is not None else None
        if complete and value is not None and title is not None:
            out.append(Titled(title, value, resolved))
    return out


def _translate_list(
    doc: Doc,
    key: str,
    node: Node,
    items: list[Person] | list[Titled],
    lang: str,
    main: str,
    target: str,
) -> None:
    """Set the texts of list items for `lang`, by position; the rest must match."""
    nodes = sequence(doc, key, node)
    if nodes is None:
        return
    if len(nodes) != len(items):
        doc.error(node, f"'{key}' has {len(nodes)} items here but {len(items)} in {main}")
        return
    for item_node, item in zip(nodes, items, strict=True):
        is_person = isinstance(item, Person)
        text_key = "role" if is_person else "title"
        if is_person and isinstance(item_node, ScalarNode) and not is_null(item_node):
            fields: Fields | None = {"name": (item_node, item_node)}  # a bare name
        else:
            fields = mapping(doc, item_node, (target, text_key), ITEM_CONTEXT.get(key, key))
        if fields is None:
            continue
        if target in fields:
            given = string(doc, target, fields[target][1])
            expected = item.name if is_person else item.target
            if given is not None and given != expected:
                doc.error(
                    fields[target][1], f"{target} '{given}' does not match '{expected}' in {main}"
                )
        if text_key in fields:
            value_node = fields[text_key][1]
            if isinstance(value_node, ScalarNode) and not is_null(value_node):
                if value_node.value.strip():
                    (item.role if is_person else item.title)[lang] = value_node.value
            else:
                doc.error(
                    value_node,
                    f"expected a text for '{text_key}' in a translation, got {kind_of(value_node)}",
                )


TEXT_KEYS = frozenset({"title", "summary", "organisation", "image_alt"})


@dataclass
class Draft:
    """Texts of a room or exhibit being read, per language, before translations merge."""

    main: Source
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    lists: dict[str, tuple[list, str]] = field(default_factory=dict)  # key -> (items, target)
    body: dict[str, str] = field(default_factory=dict)

    def translate(self, ctx: Context, source: Source, lang: str, main_name: str) -> None:
        """Merge a translation file: texts override for `lang`, its body replaces."""
        doc = source.doc
        for key, (key_node, node) in source.fields.items():
            if key in TEXT_KEYS:
                if isinstance(node, ScalarNode) and not is_null(node):
                    if node.value.strip():  # an empty translation keeps the fallback
                        self.texts.setdefault(key, {})[lang] = node.value
                else:
                    doc.error(
                        node, f"expected a text for '{key}' in a translation, got {kind_of(node)}"
                    )
            elif key in self.lists and key in self.main.fields:
                items, target = self.lists[key]
                _translate_list(doc, key, node, items, lang, main_name, target)
            else:
                original = self.main.fields.get(key)
                if original is None or plain(original[1]) != plain(node):
                    doc.error(
                        key_node, f"'{key}' cannot change in a translation (set it in {main_name})"
                    )
        if source.body.strip():
            self.body[lang] = render(
                source.body, doc, ctx.media, source.body_offset, lang, ctx.page_links
            )


def read_texts(ctx: Context, source: Source, keys: Sequence[str]) -> Draft:
    """Start a draft with the text keys and the body of the main file."""
    draft = Draft(source)
    for key in keys:
        if key in source.fields:
            node = source.fields[key][1]
            value = text(source.doc, key, node, ctx.languages, ctx.default, key == "title")
            if value is not None:
                draft.texts[key] = value
    if source.body.strip():
        draft.body[ctx.default] = render(
            source.body, source.doc, ctx.media, source.body_offset, ctx.default, ctx.page_links
        )
    return draft


def alt_warnings(ctx: Context, draft: Draft, image_node: Node | None) -> None:
    """Warn about an image whose alt text misses a declared language."""
    source = draft.main
    if "image_alt" in source.fields and "image" not in source.fields:
        source.doc.warning(
            source.fields["image_alt"][0], "'image_alt' is only used with an 'image'"
        )
    alt = draft.texts.get("image_alt")
    if image_node is None or not alt or ctx.languages is None:
        return
    where = source.fields["image_alt"][0] if "image_alt" in source.fields else image_node
    for lang in ctx.languages:
        if not alt.get(lang, "").strip():
            source.doc.warning(where, f"'image_alt' has no text in '{lang}'")
