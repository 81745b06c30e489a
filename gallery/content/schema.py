"""Checking YAML nodes against the room-file schema: keys, types, texts, dates, colours."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .report import Doc, Where
from .yamlsrc import STR, TIMESTAMP, is_null, kind_of, scalar_value

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

CSS_COLOURS = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen""".split()  # noqa: SIM905 - a word list reads better than 148 quoted names
)

Fields = dict[str, tuple[ScalarNode, Node]]

# Where each kind of map takes its keys, to say where a key written in the wrong file belongs.
KEY_HOMES: dict[str, tuple[str, tuple[str, ...]]] = {}


def keys_belong_in(context: str, where: str, keys: Sequence[str]) -> None:
    """Declare the keys of the maps named `context` in messages, found in `where`."""
    KEY_HOMES[context] = (where, tuple(keys))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """Return the hint "did you mean 'x'?" for the closest choice, or "".

    A choice differing only in case wins over any other (`DE` for `de`).
    """
    choices = list(choices)
    same = [c for c in choices if c.lower() == word.lower()]
    close = same or difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else ""


def _key_hint(name: str, context: str, allowed: Sequence[str]) -> str:
    """Say where a key of another kind of file belongs, else suggest a close key."""
    homes = [
        where
        for other, (where, keys) in KEY_HOMES.items()
        if other != context and name in keys and name not in allowed
    ]
    if homes:
        return f"'{name}' belongs in {' or '.join(homes)}"
    return did_you_mean(name, allowed)


def mapping(doc: Doc, node: Node | None, allowed: Sequence[str], context: str) -> Fields | None:
    """Return the keys of a YAML map, reporting non-maps, duplicate and unknown keys."""
    if not isinstance(node, MappingNode):
        doc.error(node, f"expected a map of keys for {context}, got {kind_of(node)}")
        return None
    fields: Fields = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or is_null(key):
            doc.error(key, f"expected a text as key in {context}, got {kind_of(key)}")
            continue
        name = key.value
        if name in fields:
            doc.error(key, f"duplicate key '{name}' in {context}")
        elif name not in allowed:
            hint = _key_hint(name, context, allowed)
            if hint.startswith("did you mean"):
                doc.suggested.add((id(node), hint.split("'")[1]))
            doc.error(key, f"unknown key '{name}' in {context}", hint)
        else:
            fields[name] = (key, value)
    return fields


def require(doc: Doc, fields: Fields, node: Node, keys: Sequence[str], context: str) -> bool:
    """Report each required key missing from `fields`; tell whether all are there."""
    ok = True
    for key in keys:
        if key not in fields:
            if (id(node), key) not in doc.suggested:  # else the misspelt key's error says it
                doc.error(node, f"missing required key '{key}' in {context}")
            ok = False
    return ok


def string(doc: Doc, key: str, node: Node) -> str | None:
    """Return a scalar as text (numbers as written), or report and return None."""
    if isinstance(node, ScalarNode) and not is_null(node):
        return node.value
    doc.error(node, f"expected a text for '{key}', got {kind_of(node)}")
    return None


def sequence(doc: Doc, key: str, node: Node) -> list[Node] | None:
    """Return the items of a YAML list, or report and return None."""
    if isinstance(node, SequenceNode):
        return list(node.value)
    doc.error(node, f"expected a list for '{key}', got {kind_of(node)}")
    return None


def strings(doc: Doc, key: str, node: Node) -> list[tuple[str, Node]]:
    """Return a list of texts with their nodes, reporting items that are not texts."""
    out = []
    for item in sequence(doc, key, node) or ():
        value = string(doc, key, item)
        if value is not None:
            out.append((value, item))
    return out


def check_language(doc: Doc, where: Where, code: str, languages: Sequence[str] | None) -> bool:
    """Report a language code not declared in gallery.yaml; tell whether it is usable.

    The one place that says so, for texts, captions and translation file names alike.
    With `languages` None (gallery.yaml is broken, its own errors say so) any code passes.
    """
    if languages is not None and code not in languages:
        hint = did_you_mean(code, languages, cutoff=1.0)  # only a code differing in case
        doc.error(where, f"language '{code}' is not declared in gallery.yaml", hint)
        return False
    return True


def text(
    doc: Doc,
    key: str,
    node: Node,
    languages: Sequence[str] | None,
    default: str,
    required: bool = False,
) -> dict[str, str] | None:
    """Return a text value, a string or a map language -> string, as {lang: text}."""
    before = doc.report.total
    found = _text(doc, key, node, languages, default)
    reported = doc.report.total > before
    if (
        required
        and found is not None
        and not reported
        and not any(v.strip() for v in found.values())
    ):
        doc.error(node, f"'{key}' must not be empty")
        return None
    return found


def _text(
    doc: Doc, key: str, node: Node, languages: Sequence[str] | None, default: str
) -> dict[str, str] | None:
    """Read a text value without the emptiness check."""
    if isinstance(node, ScalarNode) and not is_null(node):
        return {default: node.value}
    if isinstance(node, MappingNode):
        out: dict[str, str] = {}
        for lang_node, value in node.value:
            if not isinstance(lang_node, ScalarNode) or is_null(lang_node):
                doc.error(
                    lang_node, f"expected a language code in '{key}', got {kind_of(lang_node)}"
                )
                continue
            code = lang_node.value
            if code in out:
                doc.error(lang_node, f"duplicate language '{code}' in '{key}'")
                continue
            if not check_language(doc, lang_node, code, languages):
                continue
            value_text = string(doc, f"{key}.{code}", value)
            if value_text is not None and value_text.strip():  # "" would hide the fallback
                out[code] = value_text
        return out
    doc.error(
        node, f"expected a text or a map of language to text for '{key}', got {kind_of(node)}"
    )
    return None


def moment(doc: Doc, key: str, node: Node) -> datetime | None:
    """Return an ISO 8601 date and time with an offset, or report and return None."""
    example = "e.g. 2021-06-17T14:00:00+02:00"
    if not isinstance(node, ScalarNode) or is_null(node):
        doc.error(node, f"expected a date and time for '{key}', got {kind_of(node)}")
        return None
    value: object = node.value
    if node.tag == TIMESTAMP:
        try:
            value = scalar_value(node)
        except ValueError:
            doc.error(node, f"invalid date '{node.value}' for '{key}' ({example})")
            return None
    elif node.tag == STR:
        try:
            value = datetime.fromisoformat(node.value.strip())
        except ValueError:
            doc.error(node, f"invalid date '{node.value}' for '{key}' ({example})")
            return None
    else:
        doc.error(node, f"expected a date and time for '{key}', got {kind_of(node)}")
        return None
    if not isinstance(value, datetime):
        assert isinstance(value, date)
        doc.error(node, f"'{key}' needs a time and an offset ({example})")
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        doc.error(node, f"'{key}' needs an offset from UTC ({example})")
        return None
    return value


def colour(doc: Doc, key: str, node: Node) -> str | None:
    """Return a CSS colour (#rgb, #rrggbb or a colour name), or report and return None."""
    value = string(doc, key, node)
    if value is None:
        return None
    if HEX_COLOUR.fullmatch(value):
        return value.lower()
    if value.lower() in CSS_COLOURS:
        return value.lower()
    doc.error(node, f"invalid colour '{value}' (expected #rgb, #rrggbb or a CSS colour name)")
    return None


def choice(doc: Doc, key: str, node: Node, choices: Sequence[str]) -> str | None:
    """Return one of `choices`, or report with a did-you-mean and return None."""
    value = string(doc, key, node)
    if value is None:
        return None
    if value in choices:
        return value
    allowed = " or ".join(f"'{c}'" for c in choices)
    doc.error(node, f"invalid {key} '{value}' (expected {allowed})")
    return None
