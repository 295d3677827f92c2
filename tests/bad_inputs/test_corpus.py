"""The bad-input corpus: every case gives one line naming the file and the fix, and harms nothing.

Each folder here is one case: its files, and ``case.yaml`` with the command line (``argv``),
the exact ``stderr`` and the ``exit`` code (1 for bad input, 2 for usage). Paths in both are
written with placeholders: ``{case}`` (a copy of the case folder), ``{store}`` (a copy of a
store built before the case runs), ``{port}`` (a local server that accepts and never answers)
and ``{closed_port}`` (a port nothing listens on). ``setup`` makes what cannot be committed
(Latin-1 files, 0-byte files, a megabyte label, a locked store, ...).

``requires`` names what a case needs (a command, an option, a loader; ``non_root`` for the one
case that root, which ignores file permissions, cannot run). Only ``non_root`` can skip a case:
a command that went missing fails its cases.

After every case the store is compared file by file with its state before: a bad command may
never change it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from citykg.cli import main
from citykg.errors import LoaderError
from citykg.graph.build import build
from citykg.graph.store import INFO_FILE, LOCK_FILE
from citykg.loaders.base import find_loader
from tests.servers import free_port

HERE = Path(__file__).parent
BASE_DATASET = HERE.parent / "fixtures" / "reliability" / "protected"
CASES = sorted(p.parent.name for p in HERE.glob("*/case.yaml"))


def _command(name: str) -> click.Command | None:
    return main.get_command(click.Context(main), name)


def _loader_for(suffix: str) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / f"probe{suffix}"
        probe.write_text("", encoding="utf-8")
        try:
            find_loader(probe)
        except LoaderError:
            return False
        return True


def _missing(requires: dict[str, Any]) -> str | None:
    """Why a case cannot run here, or None if it can.

    Every command, option and loader a case names is on main now: a missing one fails the case
    (a renamed command must not turn its bad-input cases into skips). Only the non-root case
    cannot run as root, which ignores file permissions.
    """
    if requires.get("non_root") and os.geteuid() == 0:
        return "root ignores file permissions; store-parent-is-a-file covers this under root"
    return None


def _spec(name: str) -> dict[str, Any]:
    spec = yaml.safe_load((HERE / name / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict)
    return spec


def _params() -> list[Any]:
    params = []
    for name in CASES:
        reason = _missing(_spec(name).get("requires") or {})
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with a hash of each file's bytes."""
    state: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        state[rel] = "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("corpus") / "store"
    build(store, [BASE_DATASET])
    return store


class HangingServer:
    """A TCP server that accepts connections and never answers (an endpoint that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port: int = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


# The second process of the locked-store case: it takes the build lock and keeps it.
HOLD_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


@dataclass
class Prepared:
    case: Path
    store: Path
    values: dict[str, str] = field(default_factory=dict)
    cleanups: list[Any] = field(default_factory=list)


def _setup(setup: dict[str, Any], prepared: Prepared) -> None:
    case, store = prepared.case, prepared.store
    for rel, text in (setup.get("latin1") or {}).items():
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        (case / rel).write_bytes(text.encode("latin-1"))
    for rel in setup.get("empty") or []:
        (case / rel).write_bytes(b"")
    for rel in setup.get("dirs") or []:
        (case / rel).mkdir(parents=True)
    for rel, target in (setup.get("symlinks") or {}).items():
        # Made here: a committed link to /dev/zero would be copied as an endless file.
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        (case / rel).symlink_to(target)
    if rel := setup.get("big_literal"):
        # An N-Triples literal of 17 MB: more than Oxigraph's parser holds in one token.
        with (case / rel).open("w", encoding="utf-8") as out:
            out.write('<urn:a> <urn:b> "' + "x" * (17 * 1024 * 1024) + '" .\n')
    for pattern, size in (setup.get("truncate_store") or {}).items():
        data = store / json.loads((store / INFO_FILE).read_text(encoding="utf-8"))["data"]
        victim = sorted(data.glob(pattern))[0]
        with victim.open("r+b") as handle:
            handle.truncate(size)
    if rel := setup.get("big_label"):
        (case / rel).parent.mkdir(parents=True, exist_ok=True)
        label = "Denmark " * (1024 * 1024 // 8)
        (case / rel).write_text(
            f"countries:\n  - id: denmark\n    label: {label}\n", encoding="utf-8"
        )
    if "store_format" in setup:
        info = json.loads((store / INFO_FILE).read_text(encoding="utf-8"))
        info["format"] = setup["store_format"]
        (store / INFO_FILE).write_text(json.dumps(info), encoding="utf-8")
    if "store_info_text" in setup:
        (store / INFO_FILE).write_text(setup["store_info_text"], encoding="utf-8")
    if "chmod_store" in setup:
        store.chmod(setup["chmod_store"])
        prepared.cleanups.append(lambda: store.chmod(0o755))
    if setup.get("lock_store"):
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(store / LOCK_FILE)],
            stdout=subprocess.PIPE,
            text=True,
        )

        def release() -> None:
            holder.kill()
            holder.wait()

        prepared.cleanups.append(release)
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
    if setup.get("hanging_endpoint"):
        server = HangingServer()
        prepared.cleanups.append(server.close)
        prepared.values["port"] = str(server.port)


@pytest.fixture
def prepare(built_store: Path, tmp_path: Path) -> Iterator[Any]:
    made: list[Prepared] = []

    def make(name: str, spec: dict[str, Any]) -> Prepared:
        case = tmp_path / name
        shutil.copytree(HERE / name, case)
        (case / "case.yaml").unlink()
        store = tmp_path / "store"
        shutil.copytree(built_store, store)
        prepared = Prepared(case, store, {"case": str(case), "store": str(store)})
        prepared.values["closed_port"] = str(free_port())
        made.append(prepared)
        _setup(spec.get("setup") or {}, prepared)
        return prepared

    yield make
    for prepared in made:
        for cleanup in reversed(prepared.cleanups):
            cleanup()


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def run_case(name: str, prepared: Prepared) -> tuple[int, str, str]:
    spec = _spec(name)
    argv = [_fill(str(a), prepared.values) for a in spec["argv"]]
    runner = CliRunner()
    result = runner.invoke(main, argv, prog_name="citykg", catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30
    kinds = {name.split("-", 1)[0] for name in CASES}
    assert {"yaml", "csv", "rdf", "rq", "cli", "store", "endpoint", "members", "text"} <= kinds


@pytest.mark.parametrize("name", _params())
def test_bad_input(name: str, prepare: Any) -> None:
    spec = _spec(name)
    prepared: Prepared = prepare(name, spec)
    before = snapshot(prepared.store)
    code, stdout, stderr = run_case(name, prepared)
    expected = _fill(spec["stderr"], prepared.values)
    assert "Traceback" not in stderr
    assert stderr == expected, f"{name}: stderr was {stderr!r}"
    assert code == spec["exit"]
    if spec["exit"] == 1:
        # One line per problem: a run reports all it finds at once (a cycle has two themes).
        assert all(line.startswith("Error: ") for line in stderr.splitlines())
    assert stdout == ""
    assert snapshot(prepared.store) == before


@pytest.mark.parametrize("name", CASES)
def test_each_case_names_where_the_problem_is(name: str) -> None:
    spec = _spec(name)
    assert spec["exit"] in (1, 2)
    assert spec["description"]
    if spec["exit"] == 1:
        assert any(place in spec["stderr"] for place in ("{case}", "{store}", "http://127.0.0.1"))
        # The problem, then the fix as a sentence of its own.
        assert re.search(r"\. [A-Z]", spec["stderr"]), spec["stderr"]


def test_the_snapshot_sees_a_changed_store(prepare: Any) -> None:
    # The store comparison above must be able to fail: a real build changes the store.
    prepared: Prepared = prepare("yaml-unknown-kind", {})
    before = snapshot(prepared.store)
    result = CliRunner().invoke(
        main, ["build", "-q", "--store", str(prepared.store), str(BASE_DATASET)]
    )
    assert result.exit_code == 0, result.stderr
    assert snapshot(prepared.store) != before
