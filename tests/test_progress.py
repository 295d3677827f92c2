"""One progress protocol (citykg.progress) told by every long job, and the CLI's one bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from citykg.clitools import ProgressBar
from citykg.graph.addsource import add_source
from citykg.graph.build import STEPS, build
from citykg.loaders.dataset import vocabulary_path
from citykg.loaders.synth import SynthCounts, write_synth
from citykg.progress import SILENT, Progress
from tests.conftest import FIXTURES, Run

MINI = FIXTURES / "mini"


class Recorder:
    """A Progress that keeps what it is told."""

    def __init__(self) -> None:
        self.told: list[tuple[str, object, object]] = []

    def step(self, name: str, detail: str = "") -> None:
        self.told.append(("step", name, detail))

    def count(self, done: int, total: int) -> None:
        self.told.append(("count", done, total))


def test_a_build_names_its_steps_in_order(tmp_path: Path) -> None:
    recorder = Recorder()
    store = tmp_path / "store"
    build(store, [MINI], progress=recorder)
    # One load per source, the shared vocabulary included, in the build's own order.
    assert recorder.told == [
        ("step", "load", str(vocabulary_path())),
        ("step", "load", str(MINI)),
        ("step", "ontology", ""),
        ("step", "materialise", ""),
        ("step", "validate", ""),
        ("step", "persist", str(store)),
    ]
    assert list(dict.fromkeys(name for _, name, _ in recorder.told)) == list(STEPS)
    # Adding a source rebuilds: one load per source, then the same steps.
    again = Recorder()
    members = tmp_path / "c40.csv"
    members.write_text("City\nAtlantis\n")
    add_source(store, members, {"network": "net"}, progress=again, validate=False)
    assert [told[1] for told in again.told] == [
        "load",
        "load",
        "load",
        "ontology",
        "materialise",
        "persist",
    ]


def test_a_synthetic_world_counts_its_entities(tmp_path: Path) -> None:
    recorder = Recorder()
    counts = SynthCounts(
        cities=12_000, organisations=0, networks=2, network_memberships=10, projects=0
    )
    write_synth(tmp_path / "w.nt", counts=counts, progress=recorder)
    assert recorder.told == [("count", 5000, 12010), ("count", 10000, 12010)]


def test_the_recorder_and_the_bar_are_progresses() -> None:
    # The protocol is structural: mypy checks these assignments; here they just run.
    progresses: list[Progress] = [Recorder(), ProgressBar("x", quiet=True), SILENT]
    for progress in progresses:
        progress.step("a")
        progress.count(1, 2)


def test_the_bar_moves_by_steps_and_counts_and_never_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ProgressBar("Working", ("a", "b", "c")) as bar:
        assert bar.bar is not None and bar.bar.length == 3000
        bar.step("a", "first.csv")
        assert bar.bar.pos == 0 and bar.bar.current_item == "a"
        bar.step("b")
        assert bar.bar.pos == 1000
        bar.count(1, 4)
        assert bar.bar.pos == 1250 and bar.bar.current_item == "b 1/4"
        bar.step("a")  # named again (a second source): the bar stays
        assert bar.bar.pos == 1250
        bar.count(4, 4)
        assert bar.bar.pos == 2000 and bar.bar.current_item == "a 4/4"
    # Done: the bar is full. Not a terminal: click printed the label once.
    assert bar.bar.pos == 3000
    assert capsys.readouterr().err == "Working\n"


def test_a_bar_without_steps_is_one_span_of_counted_work() -> None:
    with ProgressBar("Counting") as bar:
        bar.count(3, 4)
        assert bar.bar is not None and bar.bar.pos == 750
        assert bar.bar.current_item == "3/4"


def test_a_failed_job_leaves_the_bar_where_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), ProgressBar("Working", ("a", "b")) as bar:
        bar.step("b")
        raise RuntimeError
    assert bar.bar is not None and bar.bar.pos == 1000


def test_a_quiet_bar_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressBar("Working", ("a",), quiet=True) as bar:
        bar.step("a")
        bar.count(1, 1)
    assert bar.bar is None
    assert capsys.readouterr().err == ""


def test_synth_shows_its_bar_unless_quiet(run: Run, tmp_path: Path) -> None:
    args = ("synth", "--cities", "20", "--networks", "2", "--network-memberships", "10")
    loud = run(*args, "-o", tmp_path / "a.nt")
    assert loud.exit_code == 0 and loud.stderr == "Generating\n"
    quiet = run(*args, "-o", tmp_path / "b.nt", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
