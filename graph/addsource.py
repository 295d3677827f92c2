"""Add one source to a built store: rebuild it from the sources it records plus the new one.

The store's ``citykg-store.json`` records every source it was built from, with its loader
options, so adding a member list or a text is a full, atomic :func:`citykg.graph.build.build`:
the previous store stays as it was if the new source fails to load or validate.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from citykg.errors import LoaderError, StoreError
from citykg.graph.build import BuildResult, build
from citykg.graph.store import read_info
from citykg.loaders.base import source_graph_iri
from citykg.loaders.dataset import builtin_dataset_path
from citykg.progress import Progress

__all__ = ["add_source", "recorded_sources"]


def recorded_sources(store: Path) -> tuple[list[Path], dict[str, dict[str, object]]]:
    """The sources a store was built from, in build order, and their loader options.

    A store that was never built yields the built-in dataset, as ``citykg build`` would.
    """
    if not (store / "citykg-store.json").exists():
        return [builtin_dataset_path()], {}
    paths: list[Path] = []
    options: dict[str, dict[str, object]] = {}
    for record in read_info(store).sources:
        path = str(record["path"])
        if record.get("graph") == str(source_graph_iri("vocabulary")):
            continue  # every build includes the vocabulary of the citykg it runs on
        if path in options:
            continue  # one source may fill several graphs
        paths.append(Path(path))
        raw = record.get("options") or {}
        options[path] = dict(raw) if isinstance(raw, dict) else {}
    return paths, options


def add_source(
    store: Path,
    path: Path,
    options: Mapping[str, object] | None = None,
    *,
    validate: bool = True,
    wait: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Rebuild ``store`` from its recorded sources plus ``path`` (loaded with ``options``).

    Adding a path the store already holds replaces it (and its options). The order sources
    were added in does not matter: the build has an order of its own.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "c40.csv").write_text("City\\nAtlantis\\n")
    >>> result = add_source(folder / "store", folder / "c40.csv", {"network": "c40"})
    >>> [s["label"] for s in result.sources]
    ['copenhagen', 'members-c40', 'vocabulary']
    """
    given = path
    path = path.expanduser().resolve()
    if not path.exists():
        raise LoaderError("no such file", "Check the path.", file=given)
    paths, recorded = recorded_sources(store)
    for old in paths:
        if str(old) != str(path) and not old.exists():
            raise StoreError(
                f"the store was built from {old}, which no longer exists",
                "Rebuild it with 'citykg build' from the sources you have.",
                file=store,
            )
    paths = [p for p in paths if str(p) != str(path)] + [path]
    recorded[str(path)] = {k: v for k, v in (options or {}).items() if v not in (None, "", ())}
    return build(
        store, paths, validate=validate, wait=wait, progress=progress, source_options=recorded
    )
