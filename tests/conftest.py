"""Shared fixtures: a CLI runner, and the built-in Copenhagen graph built once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset

from citykg.cli import main
from citykg.graph.build import build
from citykg.graph.store import STORE_ENV, open_dataset

FIXTURES = Path(__file__).parent / "fixtures"

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _isolated_store(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # No test may read or write the user's real store: point the default at a fresh folder.
    monkeypatch.setenv(STORE_ENV, str(tmp_path_factory.mktemp("default-store") / "store"))


@pytest.fixture(scope="session")
def copenhagen_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the built-in dataset; tests must not write to it."""
    store = tmp_path_factory.mktemp("copenhagen") / "store"
    build(store)
    return store


@pytest.fixture(scope="session")
def copenhagen(copenhagen_store: Path) -> Iterator[Dataset]:
    """The built-in graph, opened read-only."""
    yield open_dataset(copenhagen_store)


@pytest.fixture
def run() -> Run:
    """Run the ``citykg`` CLI in-process: ``run("stats", "--store", path)``."""
    runner = CliRunner()

    def invoke(*args: str | Path, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(main, [str(a) for a in args], input=input, env=env, catch_exceptions=False)

    return invoke
