"""Shared pieces of the analysis tests; the fixture store ``twin_store`` is in conftest.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Run

#: Every analysis test fixes the reference date, so "current" and "past" never drift.
AS_OF = ("--as-of", "2026-01-01")


def run_json(run: Run, *args: str | Path) -> Any:
    """Run a command with ``--format json`` and the fixed date; parse its output."""
    result = run(*args, "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]
