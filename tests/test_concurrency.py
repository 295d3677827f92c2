"""Concurrent and interrupted builds: the store is never corrupt, and never half-replaced.

The concurrent cases run real ``citykg build`` processes. The first one is held in the middle
of its build (its SHACL step waits for a file to appear), so that the second one meets it there
for certain rather than by timing luck.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import citykg.graph.build as build_module
import citykg.loaders.base as loader_base
from citykg.graph.build import build
from citykg.graph.stats import graph_stats
from citykg.graph.store import INFO_FILE, open_dataset, read_info
from citykg.loaders.base import LoadContext, LoadedSource

FIXTURES = Path(__file__).parent / "fixtures" / "reliability"
PROTECTED = FIXTURES / "protected"
SMALL = FIXTURES / "small"

# A real `citykg build` whose validation step waits until the file argv[1] exists; it
# touches argv[2] when it gets there (so it holds the build lock and has a data folder).
HELD_BUILD = """
import pathlib, sys, time
import citykg.graph.build as build
release, arrived = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
validate = build.validate_graph
def held(graph):
    arrived.touch()
    while not release.exists():
        time.sleep(0.02)
    return validate(graph)
build.validate_graph = held
from citykg.cli import main
main(sys.argv[3:], prog_name="citykg")
"""


def citykg(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "citykg", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): "folder"
        if p.is_dir()
        else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
    }


def assert_sound(store: Path, source: str) -> None:
    """The store opens, holds what its citykg-store.json says, and came from ``source`` (and
    the shared vocabulary every build includes)."""
    info = read_info(store)
    assert (store / info.data).is_dir()
    assert [s["label"] for s in info.sources] == sorted([source, "vocabulary"])
    dataset = open_dataset(store)
    # Distinct triples: one the fixture and the vocabulary both state (a country) counts once.
    assert len(dataset) == info.triples
    assert graph_stats(dataset).triples == info.triples


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    build(path, [PROTECTED])
    return path


@pytest.fixture
def held_build(store: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A build of SMALL into ``store``, held in its validation step until released."""
    release, arrived = tmp_path / "release", tmp_path / "arrived"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HELD_BUILD,
            release,
            arrived,
            "build",
            "-q",
            "--store",
            store,
            SMALL,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not arrived.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the held build never reached validation"
        time.sleep(0.02)
    yield process, release
    if process.poll() is None:
        process.kill()
        process.wait()


def test_a_second_build_fails_clearly_or_waits(
    store: Path, held_build: tuple[subprocess.Popen[str], Path]
) -> None:
    first, release = held_build
    before = snapshot(store)
    # Without --wait: refused at once, with the exact line, the store untouched.
    second = citykg("build", "-q", "--store", store, PROTECTED)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 1
    assert err == (
        f"Error: {store}: another citykg build is writing this store. "
        "Wait for it to finish, or build with --wait.\n"
    )
    assert out == ""
    # Readers are not blocked by a build: they see the previous graph.
    assert_sound(store, "protected")
    # With --wait: it waits for the first build, then replaces its result.
    third = citykg("build", "-q", "--wait", "--store", store, PROTECTED)
    time.sleep(1.5)
    assert third.poll() is None, third.communicate()  # still waiting for the lock
    assert {p for p in snapshot(store) if not p.startswith("data-")} == {
        p for p in before if not p.startswith("data-")
    }
    release.touch()
    out1, err1 = first.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert out1.startswith(f"Built {store}: ")
    out3, err3 = third.communicate(timeout=60)
    assert third.returncode == 0, err3
    assert "from protected, vocabulary (validated)" in out3
    assert_sound(store, "protected")


def test_two_builds_started_together_both_finish_and_the_store_is_sound(store: Path) -> None:
    runs = [
        citykg("build", "-q", "--wait", "--store", store, source) for source in (SMALL, PROTECTED)
    ]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    source = read_info(store).sources[0]["label"]
    assert source in ("small", "protected")
    assert_sound(store, str(source))
    # The current data folder and at most the one before it; nothing else is left.
    assert len(list(store.glob("data-*"))) <= 2


def test_a_killed_build_leaves_the_previous_store_usable(
    store: Path, held_build: tuple[subprocess.Popen[str], Path]
) -> None:
    first, _ = held_build
    info_before = (store / INFO_FILE).read_bytes()
    first.send_signal(signal.SIGKILL)
    first.wait()
    # The store still is what it was: same current graph, readable.
    assert (store / INFO_FILE).read_bytes() == info_before
    assert_sound(store, "protected")
    # The killed build's unfinished data folder is the only trace, and the next build
    # removes it.
    current = read_info(store).data
    leftovers = [p.name for p in store.glob("data-*") if p.name != current]
    assert len(leftovers) == 1
    build(store, [SMALL])
    assert_sound(store, "small")
    assert not (store / leftovers[0]).exists()


def test_a_build_killed_in_a_fresh_folder_can_be_built_again(tmp_path: Path) -> None:
    # Only a lock and an unfinished data folder: not "someone else's folder".
    store = tmp_path / "store"
    (store / "data-20260101T000000000000-1").mkdir(parents=True)
    (store / "build.lock").touch()
    build(store, [SMALL])
    assert_sound(store, "small")


@pytest.mark.parametrize(
    ("step", "error"),
    [("materialise", RuntimeError("simulated crash")), ("validate_graph", KeyboardInterrupt())],
)
def test_a_build_that_fails_half_way_changes_nothing(
    store: Path, monkeypatch: pytest.MonkeyPatch, step: str, error: BaseException
) -> None:
    before = snapshot(store)

    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr(build_module, step, fail)
    with pytest.raises(type(error)):
        build(store, [SMALL])
    assert snapshot(store) == before
    assert_sound(store, "protected")


# A real `citykg build` that crashes inside the store's insert (an unexpected exception, not a
# CitykgError): the loader's guard against lone surrogates is switched off, so Oxigraph meets
# one and raises UnicodeEncodeError in the middle of writing the new database.
CRASHING_BUILD = """
import sys, yaml
import citykg.loaders.reading as reading
reading._LineLoader.add_constructor("tag:yaml.org,2002:str", yaml.SafeLoader.construct_yaml_str)
from citykg.cli import main
main(sys.argv[1:], prog_name="citykg")
"""


def test_a_build_process_that_crashes_half_way_leaves_no_trace(store: Path, tmp_path: Path) -> None:
    # The half-built database must be closed before its folder is removed; otherwise
    # RocksDB writes its files again when the crashing process exits.
    source = tmp_path / "crash.yaml"
    source.write_text('countries:\n  - id: dk\n    label: "Den\\ud800mark"\n', encoding="utf-8")
    before = snapshot(store)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_BUILD, "build", "-q", "--store", store, source],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == 1
    assert "UnicodeEncodeError" in crashed.stderr.splitlines()[-1]
    assert snapshot(store) == before
    assert_sound(store, "protected")


class ExplodingLoader:
    """A third-party loader with a bug: it fails half-way through its source."""

    name = "exploding"
    description = "raises in the middle of loading"

    def accepts(self, path: Path) -> bool:
        return path.suffix == ".boom"

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        raise RuntimeError("the loader broke half-way")


def test_a_loader_that_raises_leaves_the_store_unchanged(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(loader_base._registry(), "exploding", ExplodingLoader())
    source = tmp_path / "data.boom"
    source.write_text("anything", encoding="utf-8")
    before = snapshot(store)
    with pytest.raises(RuntimeError, match="half-way"):
        build(store, [SMALL, source])  # SMALL loads first: the new database is half written
    assert snapshot(store) == before
    assert_sound(store, "protected")
