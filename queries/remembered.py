"""What ``citykg push`` remembers: which graph it wrote behind which SPARQL endpoint.

After ``citykg push --graph-store URL --endpoint QUERY_URL --graph IRI``, commands given
``--endpoint QUERY_URL`` without ``--graph`` read that graph, and a later push to the same
graph store finds its query endpoint again. The file lives in citykg's folder of the user's
config directory (``$CITYKG_CONFIG_DIR`` to move it): it describes remote stores, not a local
one (a user queries an endpoint from any folder, with or without a store), and it holds no
secret (URLs with a password in them are refused before anything is remembered).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_config_path

from citykg.defaults import CONFIG_ENV
from citykg.errors import CitykgError

__all__ = ["REMEMBERED_FILE", "Pushed", "recall", "recall_store", "remember"]

REMEMBERED_FILE = "endpoints.json"


@dataclass(frozen=True)
class Pushed:
    """The graph a push wrote, and where."""

    endpoint: str
    graph: str
    graph_store: str


def _path() -> Path:
    folder = os.environ.get(CONFIG_ENV)
    return (Path(folder) if folder else user_config_path("citykg")) / REMEMBERED_FILE


def _read() -> dict[str, Any]:
    path = _path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise CitykgError(
            f"cannot read what citykg push remembered ({reason})",
            "Delete the file; the next push writes it again.",
            file=path,
        ) from None
    if not isinstance(data, dict):
        raise CitykgError(
            "what citykg push remembered is not a JSON object",
            "Delete the file; the next push writes it again.",
            file=path,
        )
    return data


def _entry(data: dict[str, Any], section: str, key: str) -> dict[str, str] | None:
    entries = data.get(section)
    entry = entries.get(key) if isinstance(entries, dict) else None
    if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
        return None
    return entry


def recall(endpoint: str) -> Pushed | None:
    """The last push whose query endpoint was ``endpoint``, if any."""
    entry = _entry(_read(), "endpoints", endpoint)
    if entry is None or "graph" not in entry:
        return None
    return Pushed(endpoint, entry["graph"], entry.get("graph_store", ""))


def recall_store(graph_store: str) -> Pushed | None:
    """The last push to ``graph_store`` that named its query endpoint, if any."""
    entry = _entry(_read(), "graph_stores", graph_store)
    if entry is None or "endpoint" not in entry or "graph" not in entry:
        return None
    return Pushed(entry["endpoint"], entry["graph"], graph_store)


def remember(pushed: Pushed) -> Path:
    """Record ``pushed`` (replacing what was remembered for its endpoint and graph store)."""
    path = _path()
    data = _read()
    endpoints = data.setdefault("endpoints", {})
    stores = data.setdefault("graph_stores", {})
    if not isinstance(endpoints, dict) or not isinstance(stores, dict):
        endpoints, stores = {}, {}
        data.update(endpoints=endpoints, graph_stores=stores)
    endpoints[pushed.endpoint] = {"graph": pushed.graph, "graph_store": pushed.graph_store}
    stores[pushed.graph_store] = {"endpoint": pushed.endpoint, "graph": pushed.graph}
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed over, so that two pushes never leave half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".endpoints-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        raise CitykgError(
            f"cannot remember the pushed graph ({exc.strerror or exc})",
            f"Check the folder, or set ${CONFIG_ENV} to a writable one.",
            file=path,
        ) from None
    return path
