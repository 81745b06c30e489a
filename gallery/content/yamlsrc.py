"""Reading room files: size and UTF-8 checks, front matter, and YAML nodes with marks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .report import Doc, Report, Where
from .yamlhelp import GENERIC_HINT, explain

try:
    from yaml.cyaml import CParser

    FAST = True
except ImportError:  # PyYAML built without libyaml: the pure Python parser alone
    CParser = yaml.parser.Parser  # type: ignore[assignment,misc]
    FAST = False

# Room files are small; bigger is a mistake or an attack (and YAML/Markdown parsing is slow).
MAX_BYTES = 128 * 1024
DEEP_HINT = "a room file needs a few levels of lists and maps: check the brackets"
ALIAS_HINT = "a * or & at the start of a value marks a YAML alias: put the value in quotes"

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("alias")
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """A composer that refuses aliases, so no "billion laughs" can expand."""

    def compose_node(self, parent: Node | None, index: object) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return super().compose_node(parent, index)


class _FastLoader(Composer, CParser, SafeConstructor, Resolver):
    """The same composer over libyaml's parser: a room file of thousands reads ~20 times
    faster. Only files that parse go this way; any other is read again by `_Loader`, whose
    errors are the ones explained to organisers."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def compose_node(self, parent: Node | None, index: object) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return Composer.compose_node(self, parent, index)


class _NativeLoader(CParser, SafeConstructor, Resolver):  # type: ignore[misc,valid-type]
    """libyaml composing the nodes too, about four times quicker than `_FastLoader`: only for
    text without an anchor (`&`), where an alias cannot resolve (it fails, and is read again)."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_constructor = SafeConstructor()


def read_text(
    root: Path, rel: str, report: Report, resolved_root: Path | None = None
) -> str | None:
    """Read a room file as UTF-8 text, reporting a file too large or not UTF-8;
    `resolved_root` is `root` resolved, when the caller knows it."""
    path = root / rel
    try:
        if not _inside(root, rel, resolved_root or root.resolve()):
            report.add(rel, 1, None, "error", "file leads outside the exhibition folder")
            return None
        size = path.stat().st_size
        if size > MAX_BYTES:
            report.add(
                rel, 1, None, "error", f"file is too large ({size} bytes, at most {MAX_BYTES})"
            )
            return None
        data = path.read_bytes()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        report.add(
            rel, 1, None, "error", f"cannot read file ({getattr(exc, 'strerror', None) or exc})"
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start]
        report.remember(rel, data.decode("utf-8", errors="replace"))
        report.add(
            rel,
            line,
            column,
            "error",
            f"file is not valid UTF-8 (byte 0x{bad:02x})",
            "save it as UTF-8 from your editor",
        )
        return None
    text = text.removeprefix("\ufeff")
    report.remember(rel, text)
    return text


def _inside(root: Path, rel: str, resolved_root: Path) -> bool:
    """Tell whether the file `rel` of the folder `root` resolves inside it."""
    # Without a link among the parts of `rel`, the file is where its name says: resolving
    # each part of the path from the top is for files with one (thousands are read).
    here = str(root)
    for part in rel.split("/"):
        here = os.path.join(here, part)
        if part in ("", ".", "..") or os.path.islink(here):
            return (root / rel).resolve().is_relative_to(resolved_root)
    return True


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its YAML front matter and its body."""

    yaml: str | None  # None when the file has no front matter
    yaml_offset: int  # file lines before the YAML text
    body: str
    body_offset: int  # file lines before the body


def split_front_matter(text: str, doc: Doc) -> FrontMatter | None:
    """Split `---` front matter from the body; report and return None if it is not closed."""
    lines = text.split("\n")
    if lines[0].rstrip("\r \t") != "---":
        return FrontMatter(None, 0, text, 0)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r \t") in ("---", "..."):
            return FrontMatter(
                "\n".join(lines[1:index]), 1, "\n".join(lines[index + 1 :]), index + 1
            )
    doc.error(1, "front matter is not closed (no closing '---' line)")
    return None


def parse_yaml(text: str, doc: Doc) -> tuple[bool, Node | None]:
    """Compose YAML text into nodes; return (ok, node), node None for an empty document."""
    if FAST:
        try:
            fast = _NativeLoader(text) if "&" not in text else _FastLoader(text)
            return True, fast.get_single_node()
        except (yaml.YAMLError, _AliasFound, RecursionError, UnicodeError):
            pass  # read again below, to say exactly what is wrong
    loader = None
    try:
        loader = _Loader(text)  # the reader checks every character here already
        return True, loader.get_single_node()
    except _AliasFound as exc:
        doc.error(exc.mark, "yaml aliases are not allowed", ALIAS_HINT)
    except yaml.MarkedYAMLError as exc:
        found = explain(exc, text, doc.offset)
        where: Where = found.line + 1 + doc.offset  # a file line, when no column is known
        if found.column is not None:
            where = Mark("", 0, found.line, found.column - 1, None, None)
        doc.error(where, found.message, found.hint)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + doc.offset
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        doc.error(
            Mark("", exc.position, line - 1 - doc.offset, column - 1, None, None),
            f"the file holds an invisible control character (U+{char:04X}) YAML does not accept",
            "delete it: an editor that shows invisible characters helps",
        )
    except yaml.YAMLError as exc:
        doc.error(1, f"YAML cannot read this file ({exc})", GENERIC_HINT)
    except RecursionError:
        doc.error(1, "lists and maps are nested too deeply", DEEP_HINT)
    finally:
        if loader is not None:
            loader.dispose()
    return False, None


def is_null(node: Node | None) -> bool:
    """Tell whether a node is absent or an empty/null scalar."""
    return node is None or (isinstance(node, ScalarNode) and node.tag == NULL)


def kind_of(node: Node | None) -> str:
    """Name what a node holds, for messages: "a text", "a list", "nothing"..."""
    if is_null(node):
        return "nothing"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a map"
    assert isinstance(node, ScalarNode)
    return {INT: "a number", FLOAT: "a number", BOOL: "a boolean", TIMESTAMP: "a date"}.get(
        node.tag, "a text"
    )


def scalar_value(node: ScalarNode) -> object:
    """Return the Python value of a scalar (str, int, float, bool, None, date or datetime).

    Raises ValueError for a value that looks like a date but is not one.
    """
    tag = node.tag
    try:
        if tag == INT:
            return _constructor.construct_yaml_int(node)
        if tag == FLOAT:
            return _constructor.construct_yaml_float(node)
    except ValueError:
        return node.value
    if tag == BOOL:
        return _constructor.construct_yaml_bool(node)
    if tag == NULL:
        return None
    if tag == TIMESTAMP:
        try:
            return _constructor.construct_yaml_timestamp(node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(str(exc)) from exc
    return node.value


def plain(node: Node | None) -> object:
    """Return a node as plain data (scalars as their source text), to compare two values."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return None if node.tag == NULL else node.value
    if isinstance(node, SequenceNode):
        return [plain(item) for item in node.value]
    return [(plain(k), plain(v)) for k, v in node.value]
