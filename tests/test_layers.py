"""The import rules between citykg's folders: the layers a newcomer reads from the tree.

    citykg (CLI) -> graph -> loaders, queries -> ontology -> base
                    analysis -> queries
                    viz -> base

``base`` is the CLI folder's shared, click-free modules (errors, files, fold, pagedata, progress). No
folder imports one above it, so no two import each other; only the CLI imports click; the
renderer imports neither the store nor the loaders (it takes networkx graphs).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_quality import ROOT, SUBPACKAGES

#: What each layer may import of citykg (besides itself).
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "ontology": {"base"},
    "queries": {"ontology", "base"},
    "loaders": {"ontology", "base"},
    "graph": {"loaders", "queries", "ontology", "base"},
    "analysis": {"queries", "ontology", "base"},
    "viz": {"base"},
    "cli": {"graph", "analysis", "loaders", "queries", "viz", "ontology", "base"},
}
#: The modules of the CLI folder that the library may use: they never import click.
BASE_MODULES = {"__init__", "defaults", "errors", "files", "fold", "pagedata", "progress"}


def _layer_of_module(module: str) -> str:
    """The layer of a dotted module name ``citykg...``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "base"
    if parts[1] in ALLOWED and parts[1] not in ("base", "cli"):
        return parts[1]
    # ``from citykg import __version__`` names the package itself.
    return "base" if parts[1] in BASE_MODULES or parts[1] == "__version__" else "cli"


def _modules() -> list[tuple[str, Path]]:
    found = [(f"citykg.{p.stem}", p) for p in sorted((ROOT / "citykg").glob("*.py"))]
    for folder in SUBPACKAGES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT / folder).with_suffix("")
            found.append((".".join(["citykg", folder, *relative.parts]), path))
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


MODULES = _modules()


def test_every_folder_has_a_layer() -> None:
    assert set(SUBPACKAGES) <= set(ALLOWED), "a new folder needs its place in ALLOWED"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_follow_the_layers(module: str, path: Path) -> None:
    layer = _layer_of_module(module)
    wrong = set()
    for name in _imports(path):
        top = name.split(".")[0]
        if top in SUBPACKAGES:
            wrong.add(f"{name} (a bare folder import: write citykg.{name})")
            continue
        if top == "click" and layer != "cli":
            wrong.add("click (only the CLI imports click)")
        if top != "citykg" or name.count(".") == 0:
            continue
        target = _layer_of_module(name)
        if target != layer and target not in ALLOWED[layer]:
            wrong.add(f"{name} ({layer} may not import {target})")
    assert not wrong, f"{module} imports: " + "; ".join(sorted(wrong))


def test_the_layer_rules_have_no_cycle() -> None:
    # A cycle in ALLOWED would let two folders import each other after all.
    seen: dict[str, int] = {}

    def depth(layer: str, trail: tuple[str, ...] = ()) -> int:
        assert layer not in trail, " -> ".join((*trail, layer))
        if layer not in seen:
            seen[layer] = 1 + max((depth(d, (*trail, layer)) for d in ALLOWED[layer]), default=0)
        return seen[layer]

    for layer in ALLOWED:
        depth(layer)
