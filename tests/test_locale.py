"""An exhibition's own interface strings: locale/LANG.po beside gallery.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from gallery import create_app, i18n

from .content_helpers import exhibition
from .content_helpers import messages as all_messages

HEADER = 'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n\n'
OVERRIDE = HEADER.format(lang="en") + 'msgid "start_visit"\nmsgstr "Enter the fair"\n'
PORTUGUESE = (
    HEADER.format(lang="pt")
    + 'msgid "start_visit"\nmsgstr "Começar a visita"\n\n'
    + 'msgid "exhibits_count"\nmsgid_plural "exhibits_count"\n'
    + 'msgstr[0] "{n} projeto"\nmsgstr[1] "{n} de projetos"\nmsgstr[2] "{n} projetos"\n\n'
    + 'msgctxt "live"\nmsgid "chat"\nmsgstr "Conversa da sala"\n'
)


def messages(tmp_path: Path, files: dict[str, str | bytes | None]) -> list[str]:
    """Return the diagnostics about gallery.yaml and locale/ of the changed basic fixture."""
    return [m for m in all_messages(tmp_path, files) if m.startswith(("x/gallery", "x/locale"))]


def with_languages(languages: str) -> dict[str, str]:
    """Return the basic fixture's gallery.yaml declaring `languages`."""
    yaml = (Path(__file__).parent / "exhibitions/basic/gallery.yaml").read_text(encoding="utf-8")
    return {"gallery.yaml": yaml.replace("languages: [fr, en]", f"languages: {languages}")}


def client(root: Path, tmp_path: Path) -> FlaskClient:
    """Return a test client of the exhibition in `root`."""
    config = {"TESTING": True, "ROOMS": str(root), "DATA_DIR": str(tmp_path / "data")}
    return create_app({**config, "SECRET_KEY": "test"}).test_client()


def test_an_exhibition_overrides_a_shipped_string(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {"locale/en.po": OVERRIDE})
    pages = client(root, tmp_path)
    assert "Enter the fair" in pages.get("/en/").get_data(as_text=True)
    assert "Commencer la visite" in pages.get("/fr/").get_data(as_text=True)
    assert messages(tmp_path / "again", {"locale/en.po": OVERRIDE}) == []


def test_a_saved_locale_file_is_served_after_the_reload(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {})
    config = {"TESTING": True, "ROOMS": str(root), "DATA_DIR": str(tmp_path / "data")}
    app = create_app({**config, "SECRET_KEY": "test"})
    pages = app.test_client()
    assert "Start the visit" in pages.get("/en/").get_data(as_text=True)
    (root / "locale").mkdir()
    (root / "locale" / "en.po").write_text(OVERRIDE, encoding="utf-8")
    assert app.extensions["gallery.site"].reload_if_changed() == ()
    lobby = pages.get("/en/").get_data(as_text=True)
    assert "Enter the fair" in lobby and "Start the visit" not in lobby


def test_an_exhibition_adds_a_language(tmp_path: Path) -> None:
    root = exhibition(tmp_path, {**with_languages("[fr, en, pt]"), "locale/pt.po": PORTUGUESE})
    pages = client(root, tmp_path)
    lobby = pages.get("/pt/").get_data(as_text=True)
    room = pages.get("/pt/rooms/lab/").get_data(as_text=True)
    assert "Começar a visita" in lobby
    assert "2 projetos" in pages.get("/pt/").get_data(as_text=True)
    assert '"chat": "Conversa da sala"' in room and '"lang": "pt"' in room
    assert "Previous room" in room  # not translated: English
    found = messages(
        tmp_path / "again", {**with_languages("[fr, en, pt]"), "locale/pt.po": PORTUGUESE}
    )
    total = len(i18n.shipped()["en"].messages)
    assert found == [
        f"x/locale/pt.po:1: warning: {total - 3} of {total} interface strings are not "
        "translated (they show in English)"
    ]


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (
            "[fr, en, pt]",
            [
                "x/gallery.yaml:7:21: warning: no interface strings in 'pt': buttons and menus "
                "show in English (translate them in locale/pt.po)"
            ],
        ),
        ("[fr, en, de]", []),
        ("[fr, en, de-AT]", []),  # German's catalogue serves Austrian pages
        ("[fr, en, es, it, nl]", []),
    ],
)
def test_a_declared_language_without_interface_strings_is_a_warning(
    tmp_path: Path, languages: str, expected: list[str]
) -> None:
    assert messages(tmp_path, with_languages(languages)) == expected


def po(body: str, lang: str = "en") -> str:
    """Return a .po file for `lang` with `body` after its header (4 lines)."""
    return HEADER.format(lang=lang) + body


FRENCH_TWO_FORMS = po(
    'msgid "exhibits_count"\nmsgid_plural "exhibits_count"\n'
    'msgstr[0] "{n} stand"\nmsgstr[1] "{n} stands"\n',
    "fr",
).replace('"Language: fr\\n"', '"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"')


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "en.po",
            po('msgid "start_vist"\nmsgstr "Enter"\n'),
            "5:7: warning: unknown interface string 'start_vist' (did you mean 'start_visit'?)",
        ),
        (
            "en.po",
            po('msgctxt "live"\nmsgid "chatt"\nmsgstr "Chat"\n'),
            "6:7: warning: unknown interface string 'chatt' (msgctxt \"live\") "
            "(did you mean 'chat'?)",
        ),
        (
            "en.po",
            po('msgid "questions_by"\nmsgstr "asked by {nom}"\n'),
            "5:7: error: 'questions_by' has no placeholder {nom} (it has {name})",
        ),
        (
            "en.po",
            po('msgid "start_visit"\nmsgstr "Enter {the fair"\n'),
            "5:7: error: 'start_visit' has a { or } without its pair (write {{ or }} for a brace)",
        ),
        (
            "en.po",
            po('msgid "exhibits_count"\nmsgstr "{n} stands"\n'),
            "5:7: error: 'exhibits_count' has plural forms (give msgid_plural and msgstr[0] to "
            "msgstr[1])",
        ),
        (
            "en.po",
            po('msgid "lobby"\nmsgid_plural "lobby"\nmsgstr[0] "Hall"\nmsgstr[1] "Halls"\n'),
            "5:7: error: 'lobby' has no plural forms (give one msgstr, without msgid_plural)",
        ),
        (
            "fr.po",
            FRENCH_TWO_FORMS,
            "6:7: error: 'exhibits_count' needs 3 plural forms in 'fr', got 2 "
            "(msgstr[0] to msgstr[2], as gallery/locale/fr.po)",
        ),
        (
            "en.po",
            po('msgid "exhibits_count"\nmsgid_plural "exhibits_count"\nmsgstr[0] "{n} stand"\n'),
            "5:7: warning: 'exhibits_count' lacks some of its plural forms "
            "(it is used once every msgstr[N] has a text)",
        ),
        (
            "en.po",
            po('msgid "lobby"\nmsgstr "Hall\n'),
            '6:13: error: the text has no closing quote (end it with ")',
        ),
        (
            "en.po",
            po('msgid "lobby"\nmsgstr "Hall"\n\nmsgid "lobby"\nmsgstr "Foyer"\n'),
            "8:7: error: 'lobby' is translated twice (also on line 5: keep one)",
        ),
        (
            "en.po",
            po('<<<<<<< HEAD\nmsgid "lobby"\nmsgstr "Hall"\n'),
            "5: error: a merge conflict is left here "
            "(keep one side and delete the <<<<<<<, ======= and >>>>>>> lines)",
        ),
        (
            "en.po",
            po('msgid "lobby"\nmsgtr "Hall"\n'),
            "6: error: expected msgctxt, msgid, msgstr or a quoted text",
        ),
        ("en.po", po('msgid "lobby"\n'), "5: error: 'lobby' has no msgstr"),
        (
            "en.po",
            b'msgid "lobby"\nmsgstr "H\xe9"\n',
            "2: error: the file is not UTF-8 text (save it as UTF-8)",
        ),
        (
            "pt.po",
            po('msgid "lobby"\nmsgstr "Entrada"\n', "pt"),
            "1: error: language 'pt' is not declared in gallery.yaml",
        ),
        (
            "en.json",
            "{}",
            "1: warning: file ignored (interface strings are named LANG.po, e.g. locale/de.po)",
        ),
    ],
)
def test_problems_in_locale_files_are_reported(
    tmp_path: Path, name: str, text: str | bytes, expected: str
) -> None:
    assert messages(tmp_path, {f"locale/{name}": text}) == [f"x/locale/{name}:{expected}"]
