"""Interface strings read from gettext .po files: the shipped catalogues and an exhibition's.

A message is named by a key (its msgid) in one of three contexts: pages (no msgctxt), the
live scripts (msgctxt "live") and the server's error codes (msgctxt "error"). A message with
a msgid_plural has one text per plural form of its language, chosen by the count `n`.
An exhibition may add or override messages in locale/LANG.po beside gallery.yaml; those
files are checked like room files, each problem reported at its line.
"""

from __future__ import annotations

import functools
import io
import re
import string
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po

from .context import Context
from .model import Catalogue
from .report import Doc
from .schema import check_language, did_you_mean

# The catalogues shipped with the gallery: LANG.po, one per interface language.
SHIPPED = Path(__file__).resolve().parent.parent / "locale"
FALLBACK = "en"  # the language every other one falls back to, string by string

PAGE, LIVE, ERROR = "", "live", "error"
CONTEXTS = (PAGE, LIVE, ERROR)

Key = tuple[str, str]  # (context, msgid)

# The exhibition's own catalogues: FOLDER/LANG.po beside gallery.yaml.
FOLDER = "locale"
FILE_HELP = "interface strings are named LANG.po, e.g. locale/de.po"
_QUOTED = re.compile(r'(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*)|(".*)')
_NAMING = re.compile(r'(msgctxt|msgid)\s+"(.*)"')
# Babel's words for a broken file, and ours.
_WORDING = {
    "Unknown or misformatted keyword": "expected msgctxt, msgid, msgstr or a quoted text",
    "msg has more translations than num_plurals of catalog": (
        "more msgstr[N] than the language has plural forms"
    ),
}
_MISSING_MSGSTR = re.compile(r"missing msgstr for msgid '(.*)'")


class CatalogueError(ValueError):
    """Raised when a .po file cannot be parsed; says where."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def _locale(lang: str) -> Locale | None:
    """Return Babel's locale for a language code, None if Babel does not know it."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return None


def parse_catalogue(data: bytes, lang: str) -> Catalogue:
    """Return the translated messages of .po `data` (untranslated and fuzzy ones left out).

    A file without a Plural-Forms header gets the plural rule of its language.
    """
    try:
        catalog = read_po(io.BytesIO(data), locale=_locale(lang), abort_invalid=True)
    except PoFileError as exc:
        message = str(exc.args[0]).rsplit(" on ", 1)[0]
        missing = _MISSING_MSGSTR.fullmatch(message)
        if missing:
            message = f"'{missing.group(1)}' has no msgstr"
        raise CatalogueError(exc.lineno + 1, _WORDING.get(message, message)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CatalogueError(1, str(exc)) from exc
    messages: dict[Key, tuple[str, ...]] = {}
    lines: dict[Key, int] = {}
    incomplete = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        key = (message.context or PAGE, msgid)
        lines[key] = message.lineno or 1
        if all(forms):
            messages[key] = tuple(forms)
        elif any(forms):
            incomplete.add(key)
    return Catalogue(lang, catalog.plural_expr, messages, lines, frozenset(incomplete))


@functools.cache
def read_shipped() -> dict[str, Catalogue]:
    """Return the catalogues shipped with the gallery, by language (read once)."""
    return {
        path.stem: parse_catalogue(path.read_bytes(), path.stem)
        for path in sorted(SHIPPED.glob("*.po"))
    }


def has_interface(lang: str, own: tuple[Catalogue, ...]) -> bool:
    """Tell whether pages in `lang` get interface strings of their language (or its base)."""
    languages = set(read_shipped()) | {catalogue.lang for catalogue in own}
    return lang in languages or lang.split("-")[0].lower() in languages


def placeholders(text: str) -> set[str]:
    """Return the {names} a text is formatted with (ValueError for a lone brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def read_locale(ctx: Context) -> tuple[Catalogue, ...]:
    """Read the exhibition's locale/LANG.po files, reporting their problems compiler-style."""
    folder = ctx.root / FOLDER
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        rel = f"{FOLDER}/{path.name}"
        if not path.is_file() or path.suffix != ".po":
            ctx.report.add(rel, 1, None, "warning", "file ignored", FILE_HELP)
            continue
        ctx.files += 1
        catalogue = _read_own(ctx, Doc(ctx.report, rel), path)
        if catalogue is not None:
            found.append(catalogue)
    return tuple(found)


def _read_own(ctx: Context, doc: Doc, path: Path) -> Catalogue | None:
    """Read and check one locale/LANG.po; None when it cannot be used."""
    lang = path.stem
    if not check_language(doc, 1, lang, ctx.languages):
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        doc.error(1, f"cannot read file ({exc.strerror or exc})")
        return None
    before = ctx.report.total
    _lint(doc, data)
    if ctx.report.total > before:
        return None
    try:
        catalogue = parse_catalogue(data, lang)
    except CatalogueError as exc:
        doc.error(exc.line, exc.message)
        return None
    return _checked(doc, catalogue)


def _lint(doc: Doc, data: bytes) -> None:
    """Report what Babel's parser passes over: open quotes, conflict markers, repeats."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        doc.error(line, "the file is not UTF-8 text", "save it as UTF-8")
        return
    doc.report.remember(doc.rel, text)
    seen: dict[Key, int] = {}
    context = PAGE
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith(("<<<<<<<", ">>>>>>>", "=======")):
            hint = "keep one side and delete the <<<<<<<, ======= and >>>>>>> lines"
            doc.error(number, "a merge conflict is left here", hint)
            continue
        if not line or line.startswith("#"):
            continue
        match = _QUOTED.fullmatch(line)
        quoted = (match.group(1) or match.group(2)) if match else None
        if quoted is not None and not _closed(quoted):
            column = len(raw.rstrip()) + 1
            doc.error((number, column), "the text has no closing quote", 'end it with "')
            continue
        naming = _NAMING.fullmatch(line)
        if naming and naming.group(1) == "msgctxt":
            context = naming.group(2)
        elif naming:
            key = (context, naming.group(2))
            if key in seen and key[1]:
                hint = f"also on line {seen[key]}: keep one"
                doc.error(doc.find(number, f'"{key[1]}"'), f"'{key[1]}' is translated twice", hint)
            seen.setdefault(key, number)
            context = PAGE


def _closed(quoted: str) -> bool:
    """Tell whether a quoted .po text ends with a quote of its own (not an escaped one)."""
    body = quoted[1:]
    if not body.endswith('"'):
        return False
    run = len(body) - 1 - len(body[:-1].rstrip("\\"))
    return run % 2 == 0


def _checked(doc: Doc, catalogue: Catalogue) -> Catalogue:
    """Return `catalogue` without the messages that cannot be used, reporting each."""
    shipped = read_shipped()
    english = shipped[FALLBACK]
    base = shipped.get(catalogue.lang)
    plural = base.plural if base else catalogue.plural
    wanted = _form_count(catalogue.lang, base)
    kept: dict[Key, tuple[str, ...]] = {}
    for key, forms in catalogue.messages.items():
        where = doc.find(catalogue.lines.get(key, 1), f'"{key[1]}"')
        problem = _problem(key, forms, english.messages.get(key), english, wanted, base)
        if problem is None:
            kept[key] = forms
        elif problem[0] == "warning":
            doc.warning(where, problem[1], problem[2])
        else:
            doc.error(where, problem[1], problem[2])
    for key in sorted(catalogue.incomplete):
        where = doc.find(catalogue.lines.get(key, 1), f'"{key[1]}"')
        hint = "it is used once every msgstr[N] has a text"
        doc.warning(where, f"'{key[1]}' lacks some of its plural forms", hint)
    if base is None and len(kept) < len(english.messages):
        untranslated = len(english.messages) - len(kept)
        message = f"{untranslated} of {len(english.messages)} interface strings are not translated"
        doc.warning(1, message, "they show in English")
    return Catalogue(catalogue.lang, plural, kept, catalogue.lines)


def _form_count(lang: str, base: Catalogue | None) -> int:
    """Return how many plural forms a counting message takes in `lang`."""
    if base is not None:
        return next((len(forms) for forms in base.messages.values() if len(forms) > 1), 2)
    locale = _locale(lang)
    return get_plural(locale).num_plurals if locale else 2


def _problem(
    key: Key,
    forms: tuple[str, ...],
    source: tuple[str, ...] | None,
    english: Catalogue,
    wanted: int,
    base: Catalogue | None,
) -> tuple[str, str, str] | None:
    """Return (severity, message, hint) for a message that cannot be used, None if it can."""
    context, name = key
    if source is None:
        same = [k for c, k in english.messages if c == context]
        where = f' (msgctxt "{context}")' if context else ""
        return "warning", f"unknown interface string '{name}'{where}", did_you_mean(name, same)
    if (len(source) > 1) != (len(forms) > 1):
        if len(source) > 1:
            hint = f"give msgid_plural and msgstr[0] to msgstr[{wanted - 1}]"
            return "error", f"'{name}' has plural forms", hint
        return "error", f"'{name}' has no plural forms", "give one msgstr, without msgid_plural"
    if base is not None and len(forms) > 1 and len(forms) != wanted:
        message = f"'{name}' needs {wanted} plural forms in '{base.lang}', got {len(forms)}"
        return (
            "error",
            message,
            f"msgstr[0] to msgstr[{wanted - 1}], as gallery/locale/{base.lang}.po",
        )
    try:
        used = set().union(*map(placeholders, forms))
    except ValueError:
        return "error", f"'{name}' has a {{ or }} without its pair", "write {{ or }} for a brace"
    allowed = set().union(*map(placeholders, source))
    wrong = sorted(used - allowed)
    if wrong:
        given = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "none"
        return "error", f"'{name}' has no placeholder {{{wrong[0]}}}", f"it has {given}"
    return None
