"""Shared pieces of the analysis tests (kept out of conftest.py, which other branches edit)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citykg.graph.build import build
from tests.conftest import FIXTURES, Run

#: Every analysis test fixes the reference date, so "current" and "past" never drift.
AS_OF = ("--as-of", "2026-01-01")
TWIN = FIXTURES / "analysis" / "twin-cities"


_built: dict[Path, Path] = {}


def twin_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written analysis fixture (two Santiagos, dated memberships), built once a run.

    Each test module wraps this in its own ``twin_store`` fixture: a fixture imported from
    here would shadow the test functions' parameter of the same name.
    """
    base = tmp_path_factory.getbasetemp()
    if base not in _built:
        store = tmp_path_factory.mktemp("twin") / "store"
        build(store, [TWIN])
        _built[base] = store
    return _built[base]


def run_json(run: Run, *args: str | Path) -> Any:
    """Run a command with ``--format json`` and the fixed date; parse its output."""
    result = run(*args, "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]
