"""Keep the interface catalogues (gallery/locale/LANG.po) tidy: add strings, import, check.

    python scripts/strings.py add KEY --en "Text" --fr "Texte" --de ... [--context live]
    python scripts/strings.py add KEY --en "{n} vote" --en "{n} votes" --fr ... (plural)
    python scripts/strings.py import-json gallery/strings [--update]  (LANG.json: page, live...)
    python scripts/strings.py set KEY --de "Text" ...              (change translations)
    python scripts/strings.py remove KEY [--context live]       (from every catalogue)
    python scripts/strings.py check                              (what is missing, where)
    python scripts/strings.py format                             (sort, refresh English notes)

Every command rewrites the catalogues in one canonical form (messages sorted by key, each
non-English message noted with its English text), so hand edits and tools agree.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "gallery" / "locale"
SOURCE = "en"
CONTEXTS = {"page": None, "live": "live", "error": "error"}
# Keys of the old LANG.json files that became other messages in the catalogues: a count
# in three keys became a gettext plural plus a key for "none".
RETIRED = {
    "exhibits_count_0": "exhibits_none",
    "exhibits_count_1": "exhibits_count",
    "exhibits_count_n": "exhibits_count",
    "questions_votes_0": "questions_no_votes",
    "questions_votes_1": "questions_votes",
    "questions_votes_n": "questions_votes",
    "countdown_0": "countdown_now",
    "countdown_1": "countdown",
    "countdown_n": "countdown",
}
HEADER = """\
# Interface strings of the gallery: {name}.
# Keys are shared by the templates and the live scripts; docs/architecture.md says how to
# add one. Keep this file in the form `python scripts/strings.py format` writes.
msgid ""
msgstr ""
"Language: {lang}\\n"
"Plural-Forms: nplurals={count}; plural={expr};\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""


def load(lang: str) -> Catalog:
    """Return the catalogue of `lang`, empty if it has no file yet."""
    path = LOCALE / f"{lang}.po"
    if not path.is_file():
        return Catalog(locale=lang, fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, abort_invalid=True)


def languages() -> list[str]:
    """Return the shipped interface languages, English first."""
    found = sorted(p.stem for p in LOCALE.glob("*.po"))
    return sorted(found, key=lambda lang: lang != SOURCE)


def _key(message: Message) -> str:
    """Return a message's key (its msgid, the singular one for a plural)."""
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def _note(message: Message | None) -> list[str]:
    """Return the English text of a message, as a translator's note."""
    if message is None or not message.string:
        return []
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return ["en: " + " | ".join(forms)]


def save(lang: str, catalog: Catalog, english: Catalog | None) -> None:
    """Write `catalog` to LANG.po in the canonical form."""
    for message in catalog:
        if message.id and lang != SOURCE:
            message.auto_comments = _note(
                english.get(message.id, message.context) if english else None
            )
    body = io.BytesIO()
    write_po(body, catalog, omit_header=True, sort_output=True, width=0, include_lineno=False)
    count, expr = get_plural(lang)
    name = Locale.parse(lang).get_display_name("en")
    header = HEADER.format(name=name, lang=lang, count=count, expr=expr)
    text = header + "\n" + body.getvalue().decode("utf-8").lstrip("\n")
    (LOCALE / f"{lang}.po").write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def add(catalog: Catalog, key: str, context: str | None, forms: list[str]) -> bool:
    """Add `key` to `catalog` unless present; empty `forms` leave it untranslated."""
    if catalog.get(key, context) is not None:
        return False
    plural = len(forms) > 1
    msgid: str | tuple[str, str] = (key, key) if plural else key
    string: str | tuple[str, ...] = tuple(forms) if plural else (forms[0] if forms else "")
    catalog.add(msgid, string, context=context)
    return True


def _plural_shape(lang: str, english: Catalog, key: str, context: str | None) -> int:
    """Return how many forms a message needs in `lang` (1 unless English has a plural)."""
    source = english.get(key, context)
    if source is not None and isinstance(source.id, tuple):
        return get_plural(lang)[0]
    return 1


def rewrite_all(catalogs: dict[str, Catalog]) -> None:
    """Save every catalogue, giving each the messages English has (untranslated if new)."""
    english = catalogs[SOURCE]
    for lang, catalog in catalogs.items():
        for message in english:
            if message.id and catalog.get(message.id, message.context) is None:
                count = _plural_shape(lang, english, _key(message), message.context)
                catalog.add(
                    message.id,
                    ("",) * count if count > 1 else "",
                    context=message.context,
                )
        save(lang, catalog, english if lang != SOURCE else None)


def missing(catalogs: dict[str, Catalog]) -> list[str]:
    """Return one line per message English has and another language does not translate."""
    english = catalogs[SOURCE]
    out = []
    for lang, catalog in catalogs.items():
        for message in english:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            forms = found.string if found is not None else ""
            forms = forms if isinstance(forms, tuple) else (forms,)
            if not all(forms) or (found is not None and found.fuzzy):
                where = f"[{message.context}] " if message.context else ""
                out.append(f"{lang}.po: {where}{_key(message)} is not translated")
    return out


def import_json(folder: Path, catalogs: dict[str, Catalog], update: bool = False) -> list[str]:
    """Add the keys of folder/LANG.json ({page, live: {..., errors}}) that are not in .po yet.

    With `update`, a text that differs from the catalogue's replaces it; a changed English
    text marks the other languages' translations fuzzy (unused until retranslated).
    """
    done = []
    for path in sorted(folder.glob("*.json")):
        lang = path.stem
        data = json.loads(path.read_text(encoding="utf-8"))
        live = dict(data.get("live", {}))
        sections = [
            (None, data.get("page", {})),
            ("live", {k: v for k, v in live.items() if k != "errors"}),
            ("error", live.get("errors", {})),
        ]
        catalog = catalogs.setdefault(lang, load(lang))
        count = get_plural(lang)[0]
        for context, table in sections:
            for key, text in table.items():
                if context is None and key in RETIRED:
                    continue  # now RETIRED[key], already in the catalogues
                if isinstance(text, dict):  # {"one": ..., "other": ...}
                    one, other = text.get("one", ""), text.get("other", "")
                    forms = [one] + [other] * (count - 1)
                else:
                    forms = [text]
                name = f"{lang}.po: {'[' + context + '] ' if context else ''}{key}"
                if add(catalog, key, context, forms):
                    done.append(f"added {name}")
                elif update and _changed(catalog.get(key, context), forms):
                    _replace(catalog.get(key, context), forms)
                    done.append(f"changed {name}")
                    if lang == SOURCE:
                        for other, table_ in catalogs.items():
                            if other != SOURCE and not (folder / f"{other}.json").is_file():
                                table_.get(key, context).flags.add("fuzzy")
    return done


def _changed(message: Message, forms: list[str]) -> bool:
    """Tell whether JSON `forms` say something else than the catalogue's message.

    A message that became a plural (or stopped being one) in the catalogues is left alone.
    """
    if isinstance(message.string, tuple) != (len(forms) > 1):
        return False
    if isinstance(message.string, tuple):
        return (message.string[0], message.string[-1]) != (forms[0], forms[-1])
    return message.string != forms[0]


def _replace(message: Message, forms: list[str]) -> None:
    """Put JSON `forms` into a message, keeping its middle plural forms in step."""
    if isinstance(message.string, tuple):
        middle = tuple(forms[-1] for _ in message.string[1:-1])
        message.string = (forms[0], *middle, forms[-1])
    else:
        message.string = forms[0]


def main(argv: list[str] | None = None) -> int:
    """Run one command on the catalogues."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    catalogs = {lang: load(lang) for lang in languages()}
    adding = commands.add_parser("add", help="add a string to every catalogue")
    setting = commands.add_parser("set", help="change a string's translations")
    for command in (adding, setting):
        command.add_argument("key")
        command.add_argument("--context", choices=["page", "live", "error"], default="page")
        for lang in catalogs:
            command.add_argument(f"--{lang}", action="append", default=[], metavar="TEXT")
    removing = commands.add_parser("remove", help="remove a string from every catalogue")
    removing.add_argument("key")
    removing.add_argument("--context", choices=["page", "live", "error"], default="page")
    importing = commands.add_parser("import-json", help="add the keys of LANG.json files")
    importing.add_argument("folder", type=Path)
    importing.add_argument("--update", action="store_true", help="take changed texts too")
    commands.add_parser("check", help="list the strings a language lacks")
    commands.add_parser("format", help="rewrite the catalogues in canonical form")
    args = parser.parse_args(argv)

    if args.command == "add":
        context = CONTEXTS[args.context]
        english = getattr(args, SOURCE)
        if not english:
            parser.error(f"--{SOURCE} is required: English is the fallback of every language")
        plural = len(english) > 1
        for lang, catalog in catalogs.items():
            forms = getattr(args, lang.replace("-", "_"))
            if plural and forms and len(forms) != get_plural(lang)[0]:
                parser.error(
                    f"{lang} needs {get_plural(lang)[0]} plural forms: {get_plural(lang)[1]}"
                )
            if not add(
                catalog, args.key, context, forms or ([""] * get_plural(lang)[0] if plural else [])
            ):
                parser.error(f"{args.key} is already in {lang}.po")
    elif args.command == "set":
        for lang, catalog in catalogs.items():
            forms = getattr(args, lang.replace("-", "_"))
            message = catalog.get(args.key, CONTEXTS[args.context])
            if message is None:
                parser.error(f"{args.key} is not in {lang}.po: add it first")
            if forms:
                message.string = tuple(forms) if isinstance(message.id, tuple) else forms[0]
                message.flags.discard("fuzzy")
    elif args.command == "remove":
        for catalog in catalogs.values():
            catalog.delete(args.key, CONTEXTS[args.context])
    elif args.command == "import-json":
        for line in import_json(args.folder, catalogs, args.update):
            print(line)
    rewrite_all(catalogs)
    gaps = missing(catalogs)
    if args.command == "check":
        for line in gaps:
            print(line)
        return 1 if gaps else 0
    if gaps:
        print(f"{len(gaps)} translations are missing: `python scripts/strings.py check` lists them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
