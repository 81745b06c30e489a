"""Imports go one way: content at the bottom, the app at the top (docs/architecture.md).

Checked by parsing every module's imports, those inside functions included, so an upward
import cannot hide in a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gallery"

# Lower layers may not import higher ones; a module may import its own layer and below.
LAYERS = {
    "gallery.content": 0,
    "gallery.presence": 1,
    "gallery.records": 1,
    "gallery.stage": 1,
    "gallery.clock": 1,
    "gallery.hours": 1,
    "gallery.i18n": 1,
    "gallery.floorplan": 1,
    "gallery.walk": 1,
    "gallery.plandrawing": 1,
    "gallery.planlabels": 1,
    "gallery.planshapes": 1,
    "gallery.config": 1,
    "gallery.resources": 1,
    "gallery.site": 2,
    "gallery.qa": 2,
    "gallery.attendance": 2,
    "gallery.theme": 2,
    "gallery.templating": 2,
    "gallery.compression": 2,
    "gallery.pagecache": 2,
    "gallery.frontcache": 2,
    "gallery.security": 2,
    "gallery.hosts": 2,
    "gallery.sharedhosts": 2,
    "gallery.console": 2,
    "gallery.transport": 2,
    "gallery.lean": 2,
    "gallery.leanqueue": 2,
    "gallery.handover": 2,
    "gallery.wsreader": 2,
    "gallery.wsframes": 2,
    "gallery.extensions": 2,
    "gallery.views": 3,
    "gallery.sockets": 3,
    "gallery.demoday": 3,
    "gallery.preview": 3,
    "gallery.app": 4,
    "gallery.serve": 4,
    "gallery.collector": 4,
    "gallery.background": 4,
    "gallery.wsgi": 4,
    "gallery.worker": 4,
    "gallery.cli": 4,
    "gallery.cli_after": 4,
    "gallery.cli_folders": 4,
    "gallery.cli_records": 4,
    "gallery.cli_scaffold": 4,
    "gallery.archive": 4,
    "gallery.catalogue": 4,
    "gallery.terminal": 4,
    "gallery.scaffold": 4,
    "gallery.__main__": 4,
    "gallery": 4,
}
WEB = ("flask", "flask_socketio", "werkzeug", "jinja2", "markupsafe", "gevent")


def module_name(path: Path) -> str:
    """Return the dotted name of a module file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Tell whether a dotted name is a module or package of the gallery."""
    relative = Path(*name.split("."))
    base = PACKAGE.parent / relative
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(path: Path) -> set[str]:
    """Return every module `path` imports, at any depth of its code."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                child = f"{source}.{alias.name}"
                found.add(child if source.startswith("gallery") and is_module(child) else source)
    return found


def layer(name: str) -> int | None:
    """Return the layer of a gallery module (its longest listed prefix), None if unlisted."""
    if name == "gallery":  # the package itself, not a catch-all for new modules
        return LAYERS[name]
    while "." in name:
        if name in LAYERS:
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert [module_name(p) for p in MODULES if layer(module_name(p)) is None] == []


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_imports_go_down_the_layers(path: Path) -> None:
    own = layer(module_name(path))
    assert own is not None
    upward = sorted(
        name for name in imports(path) if name.startswith("gallery") and (layer(name) or 0) > own
    )
    assert upward == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "content").rglob("*.py")), ids=module_name)
def test_content_is_pure_python(path: Path) -> None:
    outside = sorted(
        name
        for name in imports(path)
        if (name.startswith("gallery") and not name.startswith("gallery.content"))
        or name.split(".")[0] in WEB
    )
    assert outside == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "presence").rglob("*.py")), ids=module_name)
def test_presence_knows_no_flask_and_no_views(path: Path) -> None:
    outside = sorted(
        name
        for name in imports(path)
        if (name.startswith("gallery") and not name.startswith("gallery.presence"))
        or name.split(".")[0] in WEB
    )
    assert outside == []


@pytest.mark.parametrize(
    "path", [*sorted((PACKAGE / "stage").rglob("*.py")), PACKAGE / "clock.py"], ids=module_name
)
def test_the_stage_domain_and_the_clock_know_no_flask(path: Path) -> None:
    outside = sorted(
        name
        for name in imports(path)
        if (
            name.startswith("gallery") and not name.startswith(("gallery.stage", "gallery.content"))
        )
        or name.split(".")[0] in WEB
    )
    assert outside == []


def test_views_and_socket_handlers_do_not_import_each_other() -> None:
    views = sorted((PACKAGE / "views").rglob("*.py"))
    assert [p.name for p in views if any(n.startswith("gallery.sockets") for n in imports(p))] == []
    assert [n for n in imports(PACKAGE / "sockets.py") if n.startswith("gallery.views")] == []
