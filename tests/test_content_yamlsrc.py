"""Reading room files safely: encodings, front matter, YAML marks and hostile input."""
# ruff: noqa: E501 - expected messages read best whole, one per line

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from yaml.nodes import ScalarNode

from gallery.content import load_exhibition
from gallery.content.report import Doc, Report
from gallery.content.yamlsrc import _inside, parse_yaml, read_text, scalar_value, split_front_matter

from .content_helpers import exhibition, load


def doc(offset: int = 0) -> Doc:
    """A document reporting under "x/f.md"."""
    return Doc(Report("x"), "f.md", offset)


def lines(d: Doc) -> list[str]:
    """The diagnostics of a document, as printed."""
    return [str(item) for item in d.report.items]


def test_front_matter_split_keeps_line_numbers() -> None:
    front = split_front_matter("---\ntitle: X\n---\nBody\n", doc())
    assert front is not None
    assert (front.yaml, front.yaml_offset, front.body, front.body_offset) == (
        "title: X",
        1,
        "Body\n",
        3,
    )


def test_front_matter_accepts_crlf_and_dots() -> None:
    front = split_front_matter("---\r\ntitle: X\r\n...\r\nBody", doc())
    assert front is not None
    assert front.body == "Body"
    assert front.body_offset == 3


def test_no_front_matter() -> None:
    front = split_front_matter("Body only", doc())
    assert front is not None
    assert front.yaml is None
    assert front.body == "Body only"


def test_yaml_marks_include_the_offset() -> None:
    d = doc(offset=1)
    assert parse_yaml("title: X\nsummary: [", d) == (False, None)
    assert lines(d) == [
        "x/f.md:3:10: error: '[' opens a list that is not closed with ']' (add the ']', or put the value in quotes if it is a text)"
    ]


def test_empty_yaml_is_no_node() -> None:
    assert parse_yaml("", doc()) == (True, None)


def test_several_documents_are_refused() -> None:
    d = doc()
    assert parse_yaml("title: X\n---\ntitle: Y\n", d) == (False, None)
    assert lines(d) == [
        "x/f.md:2:1: error: a '---' line starts a second block of YAML here (a file holds one block of YAML: remove this line)",
    ]


def test_tabs_are_a_yaml_error() -> None:
    d = doc()
    parse_yaml("title:\n\t- x\n", d)
    assert lines(d) == [
        "x/f.md:2:1: error: YAML indents with spaces, not tabs (replace the tab at the start of this line with spaces)"
    ]


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 12):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    d = doc()
    started = time.perf_counter()
    assert parse_yaml("\n".join(levels), d) == (False, None)
    assert time.perf_counter() - started < 1
    assert lines(d) == [
        "x/f.md:2:8: error: yaml aliases are not allowed (a * or & at the start of a value marks a YAML alias: put the value in quotes)"
    ]


def test_python_tags_are_never_constructed() -> None:
    ok, node = parse_yaml("!!python/object/apply:os.system ['echo pwned']", doc())
    assert ok
    assert node is not None
    assert node.tag == "tag:yaml.org,2002:python/object/apply:os.system"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2021-06-17", date(2021, 6, 17)),
        (
            "2021-06-17T14:00:00+02:00",
            datetime(2021, 6, 17, 14, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("12", 12),
        ("1.5", 1.5),
        ("yes", True),
        ("~", None),
        ("'12'", "12"),
    ],
)
def test_scalar_values(source: str, expected: object) -> None:
    ok, node = parse_yaml(source, doc())
    assert ok
    assert isinstance(node, ScalarNode)
    assert scalar_value(node) == expected


def test_scalar_value_of_an_impossible_date_raises_value_error() -> None:
    _, node = parse_yaml("2021-02-30", doc())
    assert isinstance(node, ScalarNode)
    with pytest.raises(ValueError):
        scalar_value(node)


def test_read_text_strips_the_bom(tmp_path: Path) -> None:
    (tmp_path / "f.md").write_bytes(b"\xef\xbb\xbf---\n")
    assert read_text(tmp_path, "f.md", Report("x")) == "---\n"


def test_read_text_reports_first_bad_byte(tmp_path: Path) -> None:
    (tmp_path / "f.md").write_bytes(b"one\ntwo\nth\x80ree\n")
    report = Report("x")
    assert read_text(tmp_path, "f.md", report) is None
    assert [str(d) for d in report.items] == [
        "x/f.md:3:3: error: file is not valid UTF-8 (byte 0x80) (save it as UTF-8 from your editor)"
    ]


# --- hostile room files, through the whole loader ---


def test_binary_file_as_exhibit(tmp_path: Path) -> None:
    png = (Path(__file__).parent / "exhibitions" / "basic" / "02-lab" / "lantern.png").read_bytes()
    result = load(tmp_path, {"02-lab/03-image.md": png})
    assert [str(d) for d in result.diagnostics] == [
        "x/02-lab/03-image.md:1:1: error: file is not valid UTF-8 (byte 0x89) (save it as UTF-8 from your editor)"
    ]


def test_empty_room_file(tmp_path: Path) -> None:
    result = load(tmp_path, {"01-hall/room.md": ""})
    assert [str(d) for d in result.diagnostics] == [
        "x/01-hall/room.md:1: error: missing front matter (start the file with a '---' line)"
    ]


def test_scalar_front_matter(tmp_path: Path) -> None:
    result = load(tmp_path, {"01-hall/room.md": "---\nhello\n---\n"})
    assert [str(d) for d in result.diagnostics] == [
        "x/01-hall/room.md:2:1: error: expected a map of keys for room, got a text"
    ]


def test_symlinks_out_of_the_exhibition(tmp_path: Path) -> None:
    (tmp_path / "outside.md").write_text("---\ntitle: Secret\n---\n")
    (tmp_path / "secret.png").write_bytes(b"png")
    root = exhibition(
        tmp_path,
        {"03-stage/room.md": "---\ntitle: S\nkind: stage\nimage: leak.png\nimage_alt: A\n---\n"},
    )
    (root / "02-lab" / "03-secret.md").symlink_to(tmp_path / "outside.md")
    (root / "03-stage" / "leak.png").symlink_to(tmp_path / "secret.png")
    found = [str(d) for d in load_exhibition(root, display="x").diagnostics]
    assert "x/02-lab/03-secret.md:1: error: file leads outside the exhibition folder" in found
    assert (
        "x/03-stage/room.md:4:8: error: path 'leak.png' leads outside the exhibition folder"
        in found
    )


def _tree(node):
    """A composed node as plain data: tag, value and position, all the way down."""
    if isinstance(node.value, list):
        value = [
            tuple(_tree(n) for n in item) if isinstance(item, tuple) else _tree(item)
            for item in node.value
        ]
    else:
        value = node.value
    start, end = node.start_mark, node.end_mark
    return (node.tag, value, start.line, start.column, end.line, end.column, start.index)


def test_libyaml_and_the_python_parser_compose_the_same_nodes() -> None:
    """The fast paths (libyaml) give what the explained path gives, for every sample file."""
    from gallery.content.yamlsrc import FAST, _FastLoader, _Loader, _NativeLoader

    assert FAST, "PyYAML is built with libyaml here"
    root = Path(__file__).resolve().parent.parent / "rooms"
    texts = [(root / "gallery.yaml").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8").split("---\n")[1] for p in sorted(root.rglob("*.md"))]
    texts.append("k: {a: ééé, b: [1, 2.5, true, null, 2021-06-17]}\n")
    for text in texts:
        explained = _tree(_Loader(text).get_single_node())
        assert _tree(_FastLoader(text).get_single_node()) == explained
        assert _tree(_NativeLoader(text).get_single_node()) == explained


@pytest.mark.parametrize(
    "text", ["a: &x 1\nb: *x\n", "a: *x\n", "a: [&x 1, *x]\n", "- &x [a]\n- *x\n"]
)
def test_aliases_are_refused_whichever_parser_reads_first(text: str) -> None:
    report = Report("x")
    ok, node = parse_yaml(text, Doc(report, "room.md"))
    assert (ok, node) == (False, None)
    assert [d.message for d in report.sorted()] == ["yaml aliases are not allowed"]


def test_a_file_is_inside_the_exhibition_as_resolving_its_whole_path_says(
    tmp_path: Path,
) -> None:
    root = tmp_path / "expo"
    (root / "01-hall").mkdir(parents=True)
    (root / "01-hall" / "room.md").write_text("x")
    (tmp_path / "away").mkdir()
    (tmp_path / "away" / "room.md").write_text("x")
    (root / "02-link").symlink_to(root / "01-hall")
    (root / "03-away").symlink_to(tmp_path / "away")
    (root / "01-hall" / "01-in.md").symlink_to(root / "01-hall" / "room.md")
    (root / "01-hall" / "02-out.md").symlink_to(tmp_path / "away" / "room.md")
    (root / "01-hall" / "03-dangling.md").symlink_to(tmp_path / "nowhere.md")
    linked = tmp_path / "linked"
    linked.symlink_to(root)  # the exhibition opened through a link of its own
    rels = [
        "01-hall/room.md",
        "02-link/room.md",
        "03-away/room.md",
        "01-hall/01-in.md",
        "01-hall/02-out.md",
        "01-hall/03-dangling.md",
        "01-hall/missing.md",
        "04-missing/room.md",
        "gallery.yaml",
    ]
    for top in (root, linked):
        resolved = top.resolve()
        found = {rel: _inside(top, rel, resolved) for rel in rels}
        assert found == {rel: (top / rel).resolve().is_relative_to(resolved) for rel in rels}
        assert [rel for rel, inside in found.items() if not inside] == [
            "03-away/room.md",
            "01-hall/02-out.md",
            "01-hall/03-dangling.md",
        ]
