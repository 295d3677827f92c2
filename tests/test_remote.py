"""``--endpoint``, ``push`` and ``serve`` against real HTTP servers.

What push sends comes from a small ``http.server`` in a thread (tests/servers.py; the HTTP
faults of queries are in test_http.py); the round trip (push, then every named query remote
and local) runs against a real Oxigraph server started from the ``oxigraph`` package (mark
``server``; Virtuoso beside it is test_engines.py). Nothing is mocked.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from citykg.graph.push import DEFAULT_GRAPH
from citykg.graph.store import read_info
from citykg.options import INTERNAL_WARNING
from citykg.queries.library import list_queries
from tests.conftest import Run
from tests.servers import FaultServer, free_port

INJECTION = 'x" } DROP ALL; #'


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


@pytest.fixture
def fake(fake_server: FaultServer) -> FaultServer:
    fake_server.requests.clear()
    return fake_server


def error(run: Run, *args: str | Path, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_push_is_one_put_of_the_whole_graph(
    run: Run, fake: FaultServer, copenhagen_store: Path
) -> None:
    nt = run("export", "--store", copenhagen_store, "--format", "nt").stdout
    triples = len(nt.splitlines())
    dry = run(
        "push", "--graph-store", fake.url + "/store", "--store", copenhagen_store, "--dry-run"
    )
    assert dry.stdout == (
        f"Would replace <{DEFAULT_GRAPH}> at {fake.url}/store: 0 triples now, {triples} after "
        f"(+{triples} -0). Nothing was sent.\n"
    )
    assert [r[0] for r in fake.requests] == ["GET"]  # a dry run only reads
    fake.requests.clear()
    done = run(
        "push",
        "--graph-store",
        fake.url + "/store",
        "--store",
        copenhagen_store,
        "--graph",
        "https://example.org/g",
    )
    assert done.exit_code == 0, done.output
    assert (
        done.stdout
        == f"Replaced <https://example.org/g> at {fake.url}/store: 0 triples now, {triples} after (+{triples} -0).\n"
    )
    assert [r[0] for r in fake.requests] == ["GET", "PUT"]
    _, path, headers, body = fake.requests[1]
    assert parse_qs(urlsplit(path).query) == {"graph": ["https://example.org/g"]}
    assert headers["Content-Type"] == "application/n-triples"
    assert body.decode("utf-8") == nt  # the whole graph, in the one request
    assert "_:" not in nt  # no blank nodes: the same push twice is the same graph


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/status/401", "the graph store needs credentials (HTTP 401). Give --user and set the password in $CITYKG_ENDPOINT_PASSWORD."),
        ("/status/403", "the graph store forbids this request (HTTP 403: boom). Ask its administrator for access (see docs/sharing.md for the grants)."),
        ("/status/500", "the graph store failed (HTTP 500: boom). Try again later, or ask its administrator."),
    ],
)  # fmt: skip
def test_push_http_errors(
    run: Run, fake: FaultServer, copenhagen_store: Path, path: str, problem: str
) -> None:
    assert (
        error(run, "push", "-q", "--graph-store", fake.url + path, "--store", copenhagen_store)
        == f"Error: {fake.url}{path}: {problem}"
    )


def test_push_unreachable_and_bad_graph(run: Run, copenhagen_store: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    assert error(run, "push", "-q", "--graph-store", url, "--store", copenhagen_store) == (
        f"Error: {url}: cannot reach the graph store (Connection refused). Check the URL and that the server is running."
    )
    assert error(
        run,
        "push",
        "-q",
        "--graph-store",
        url,
        "--graph",
        "not an iri",
        "--store",
        copenhagen_store,
    ) == (f"Error: {url}: 'not an iri' is not an absolute IRI. Give --graph as https://...")


# --- a real Oxigraph server --------------------------------------------------------------------


@pytest.fixture(scope="module")
def pushed(oxigraph: str, copenhagen_store: Path) -> tuple[str, int]:
    """The built graph pushed to the Oxigraph server; (push output, triple count)."""
    from click.testing import CliRunner

    from citykg.cli import main

    runner = CliRunner()
    nt = runner.invoke(main, ["export", "--store", str(copenhagen_store), "--format", "nt"]).stdout
    result = runner.invoke(
        main, ["push", "--graph-store", oxigraph + "/store", "--store", str(copenhagen_store)]
    )
    assert result.exit_code == 0, result.output
    return result.stdout, len(nt.splitlines())


def _remote_count(base: str, graph: str = DEFAULT_GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        base + "/query",
        data=query.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


# One call per named query, each with parameters that give rows on the built-in data.
CASES: list[tuple[str, ...]] = [
    ("about", "-p", "entity=force"),
    ("agreements-ending", "--as-of", "2020-03-01"),
    ("collaborations",),
    ("common-ground", "-p", "b=lisbon"),
    ("cooperations",),
    ("entity-datasets", "-p", "dataset=copenhagen"),
    ("events",),
    ("evidence", "-p", "entity=c40"),
    ("homes",),
    ("inferred",),  # no rows until the built-in data marks its inferences (issue 16)
    ("initiatives-by-purpose",),
    ("initiatives-by-theme",),
    ("members-of",),
    ("mentions",),  # no rows: the built-in store has no document text loaded (load-text)
    ("networks-of",),
    ("no-evidence",),
    ("orphans",),
    ("owned-by",),
    ("partners-of", "-p", "min_shared=1"),
    ("plans-supported",),
    ("principles",),
    ("project-partners",),
    ("projects",),
    ("quantities",),
    ("sdg-contributions",),
    ("search", "-p", "text=københavn"),
    ("themes",),
]


def test_cases_cover_every_named_query() -> None:
    assert sorted(c[0] for c in CASES) == sorted(q.name for q in list_queries())


@pytest.mark.server
def test_push_reports_counts_and_is_idempotent(
    run: Run, oxigraph: str, pushed: tuple[str, int], copenhagen_store: Path
) -> None:
    output, triples = pushed
    assert (
        output
        == f"Replaced <{DEFAULT_GRAPH}> at {oxigraph}/store: 0 triples now, {triples} after (+{triples} -0).\n"
    )
    assert _remote_count(oxigraph) == triples
    dry = run(
        "push", "--graph-store", oxigraph + "/store", "--store", copenhagen_store, "--dry-run"
    )
    assert dry.stdout == (
        f"Would replace <{DEFAULT_GRAPH}> at {oxigraph}/store: {triples} triples now, {triples} after (+0 -0). Nothing was sent.\n"
    )
    again = run(
        "push",
        "--graph-store",
        oxigraph + "/store",
        "--store",
        copenhagen_store,
        "--format",
        "json",
    )
    assert json.loads(again.stdout) == {
        "url": oxigraph + "/store", "graph": DEFAULT_GRAPH, "before": triples, "after": triples,
        "added": 0, "removed": 0, "dry_run": False, "sent": False, "endpoint": None,
    }  # fmt: skip
    assert _remote_count(oxigraph) == triples
    text = run("push", "--graph-store", oxigraph + "/store", "--store", copenhagen_store)
    assert text.stdout == (
        f"<{DEFAULT_GRAPH}> at {oxigraph}/store already holds the built graph ({triples} triples). "
        "Nothing was sent.\n"
    )


@pytest.mark.server
@pytest.mark.parametrize("args", CASES, ids=[c[0] for c in CASES])
def test_same_rows_remote_as_local(
    run: Run, oxigraph: str, pushed: tuple[str, int], copenhagen_store: Path, args: tuple[str, ...]
) -> None:
    local = run("query", *args, "--store", copenhagen_store, "--format", "json")
    remote = run(
        "query",
        *args,
        "--endpoint",
        oxigraph + "/query",
        "--graph",
        DEFAULT_GRAPH,
        "--format",
        "json",
    )
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    rows = json.loads(local.stdout)["results"]["bindings"]
    if args[0] in ("no-evidence", "mentions"):
        assert rows == []
    elif args[0] not in ("inferred", "quantities", "orphans"):  # as many as the data has
        assert len(rows) > 0
    assert json.loads(remote.stdout) == json.loads(local.stdout)


# The analyses read the graph through the same SparqlSource, so --endpoint works for them too.
ANALYSES: list[tuple[str, ...]] = [
    ("overlaps", "--top", "5"),
    ("analyze", "centrality"),
    ("analyze", "communities"),
    ("analyze", "brokers"),
    ("analyze", "themes"),
    ("assess", "--city", "lisbon", "--theme", "climate"),
]


@pytest.mark.server
@pytest.mark.parametrize("args", ANALYSES, ids=[" ".join(a[:2]) for a in ANALYSES])
def test_analyses_same_remote_as_local(
    run: Run, oxigraph: str, pushed: tuple[str, int], copenhagen_store: Path, args: tuple[str, ...]
) -> None:
    local = run(*args, "--as-of", "2024-01-01", "--store", copenhagen_store, "--format", "json")
    remote = run(
        *args,
        "--as-of",
        "2024-01-01",
        "--endpoint",
        oxigraph + "/query",
        "--graph",
        DEFAULT_GRAPH,
        "--format",
        "json",
    )
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    assert json.loads(local.stdout) and json.loads(remote.stdout) == json.loads(local.stdout)


@pytest.mark.server
def test_remote_errors_from_oxigraph(
    run: Run, oxigraph: str, pushed: tuple[str, int], tmp_path: Path
) -> None:
    endpoint = ("--endpoint", oxigraph + "/query", "--graph", DEFAULT_GRAPH)
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y ?z\n}\nORDER ?x\n", encoding="utf-8")
    assert error(run, "query", "--file", bad, *endpoint) == (
        f"Error: {bad}:4: SPARQL syntax error at column 9: expected BY. Correct the query."
    )
    assert error(run, "query", "members-of", "-p", "network=c4", *endpoint) == (
        f"Error: unknown ID 'c4' for parameter 'network' in {oxigraph}/query. Did you mean 'c40'?"
    )
    # A graph without citykg data: say so, not "unknown ID".
    message = error(
        run, "query", "members-of", "--endpoint", oxigraph + "/query", "--graph", "urn:x:none"
    )
    assert message.startswith(
        f"Error: {oxigraph}/query holds no citykg entities in the graph <urn:x:none>. "
        "Give --graph with the graph 'citykg push' wrote (graphs there with citykg entities: "
    )
    assert f"<{DEFAULT_GRAPH}>" in message


@pytest.mark.server
def test_injection_against_the_server_changes_nothing(
    run: Run, oxigraph: str, pushed: tuple[str, int]
) -> None:
    _, triples = pushed
    result = run(
        "query",
        "search",
        "-p",
        f"text={INJECTION}",
        "--endpoint",
        oxigraph + "/query",
        "--graph",
        DEFAULT_GRAPH,
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "id,label,kind,match\n"
    assert _remote_count(oxigraph) == triples


# --- citykg serve ------------------------------------------------------------------------------


def _serve(store: Path, port: int, *extra: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "citykg", "serve", "--store", str(store), "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines = process.stdout.readline() + process.stdout.readline()
    return process, lines


def _stop(process: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str, str]:
    # A terminal's Ctrl-C sends SIGINT to the whole foreground group: citykg and its server.
    os.killpg(process.pid, sig)
    out, err = process.communicate(timeout=15)
    return process.returncode, out, err


def _scratch_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("citykg-serve-*")}


@pytest.mark.server
@pytest.mark.parametrize(
    ("extra", "mode", "warning"),
    [
        ((), "read-only, public profile", ""),
        (("--include-internal",), "read-only, internal data included", INTERNAL_WARNING + "\n"),
    ],
    ids=["public", "in-place"],
)
def test_serve_read_only_answers_like_the_store_and_stops_on_ctrl_c(
    run: Run, copenhagen_store: Path, extra: tuple[str, ...], mode: str, warning: str
) -> None:
    scratch = _scratch_folders()
    port = free_port()
    process, first = _serve(copenhagen_store, port, *extra)
    try:
        url = f"http://127.0.0.1:{port}/query"
        assert first == (
            f"SPARQL endpoint ({mode}): {url}\n"
            f"Query page: http://127.0.0.1:{port}/   Graph store: http://127.0.0.1:{port}/store\n"
        )
        # The public profile is a copy; with --include-internal the server reads the store's
        # own folder, and citykg still reads it too.
        assert len(_scratch_folders() - scratch) == (0 if extra else 1)
        remote = run("query", "members-of", "--endpoint", url, "--format", "json")
        local = run("query", "members-of", "--store", copenhagen_store, "--format", "json")
        assert remote.exit_code == 0 and json.loads(remote.stdout) == json.loads(local.stdout)
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update", data=b"update=DROP ALL", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=5)
        assert refused.value.code == 403
    finally:
        code, out, err = _stop(process)
    assert code == 0 and out == ""
    assert err == warning + "Press Ctrl-C to stop.\nStopped.\n"
    assert _scratch_folders() - scratch == set()


@pytest.mark.server
def test_serve_in_place_keeps_its_folder_through_later_builds(run: Run, tmp_path: Path) -> None:
    # A build keeps the current and the previous data folder and removes older ones, unless
    # someone reads them: the server serving one in place counts as a reader.
    store = tmp_path / "store"
    assert run("build", "--store", store, "-q", "--no-validate").exit_code == 0
    served = store / read_info(store).data
    port = free_port()
    process, _ = _serve(store, port, "--include-internal")
    try:
        for _ in range(2):
            assert run("build", "--store", store, "-q", "--no-validate").exit_code == 0
        assert served.is_dir() and read_info(store).data != served.name
        url = f"http://127.0.0.1:{port}/query"
        remote = run("query", "networks-of", "--endpoint", url, "--format", "csv")
        local = run("query", "networks-of", "--store", store, "--format", "csv")
        assert remote.exit_code == 0 and remote.stdout == local.stdout
    finally:
        code, _, _ = _stop(process)
    assert code == 0
    # Once the server is gone, the next build removes the folder.
    assert run("build", "--store", store, "-q", "--no-validate").exit_code == 0
    assert not served.exists()


@pytest.mark.server
def test_serve_writable_serves_a_copy_that_is_removed(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    before = json.loads(run("stats", "--store", copenhagen_store, "--format", "json").stdout)[
        "triples"
    ]
    scratch = _scratch_folders()
    port = free_port()
    process, first = _serve(copenhagen_store, port, "--writable")
    try:
        url = f"http://127.0.0.1:{port}/query"
        assert first.startswith(
            f"SPARQL endpoint (writable copy, public profile, deleted on exit): {url}\n"
        )
        insert = (
            b"update=" + urllib.parse.quote_plus('INSERT DATA { <urn:x> <urn:y> "z" }').encode()
        )
        with urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}/update", data=insert), timeout=5
        ) as answer:
            assert answer.status == 204
        ask_file = tmp_path / "ask.rq"
        ask_file.write_text('ASK { <urn:x> <urn:y> "z" }\n', encoding="utf-8")
        ask = run("query", "--file", ask_file, "--endpoint", url, "--format", "csv")
        assert ask.stdout == "ask\ntrue\n"
        assert len(_scratch_folders() - scratch) == 1
    finally:
        code, _, err = _stop(process, signal.SIGTERM)  # as a service manager stops it
    assert code == 0 and err.endswith("Stopped.\n")
    assert _scratch_folders() - scratch == set()
    after = json.loads(run("stats", "--store", copenhagen_store, "--format", "json").stdout)[
        "triples"
    ]
    assert after == before


def test_serve_refuses_a_taken_port(run: Run, copenhagen_store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert error(run, "serve", "--port", str(port), "--store", copenhagen_store) == (
            f"Error: port {port} on 127.0.0.1 is already in use. Choose another with --port."
        )


def test_serve_without_the_oxigraph_program(
    run: Run, copenhagen_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert error(run, "serve", "--port", str(free_port()), "--store", copenhagen_store) == (
        "Error: the Oxigraph server program 'oxigraph' is not installed. "
        "Install it with 'pip install oxigraph' (in citykg's environment)."
    )


def test_serve_needs_a_built_store(run: Run, tmp_path: Path) -> None:
    assert error(run, "serve", "--port", str(free_port()), "--store", tmp_path / "none") == (
        f"Error: {tmp_path / 'none'}: no store has been built here. Run 'citykg build' first."
    )


@pytest.mark.server
@pytest.mark.parametrize(
    "text",
    [
        'ASK { ?x dcterms:identifier "c40" }\n',
        "CONSTRUCT { ?x ckg:kind ?k } WHERE { ?x ckg:kind ?k ; ckg:programme ?p }\n",
    ],
    ids=["ask", "construct"],
)
def test_ask_and_construct_same_remote_as_local(
    run: Run,
    oxigraph: str,
    pushed: tuple[str, int],
    copenhagen_store: Path,
    tmp_path: Path,
    text: str,
) -> None:
    query = tmp_path / "q.rq"
    query.write_text(text, encoding="utf-8")
    local = run("query", "--file", query, "--store", copenhagen_store, "--format", "csv")
    remote = run(
        "query",
        "--file",
        query,
        "--endpoint",
        oxigraph + "/query",
        "--graph",
        DEFAULT_GRAPH,
        "--format",
        "csv",
    )
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    assert len(local.stdout.splitlines()) >= 2 and remote.stdout == local.stdout


@pytest.mark.server
def test_push_replaces_a_graph_that_changed(
    run: Run, oxigraph: str, copenhagen_store: Path
) -> None:
    graph = "https://example.org/changed"
    first = run(
        "push", "--graph-store", oxigraph + "/store", "--store", copenhagen_store, "--graph", graph
    )
    triples = _remote_count(oxigraph, graph)
    assert first.stdout.endswith(f"0 triples now, {triples} after (+{triples} -0).\n")
    # Someone adds a triple to the remote graph: the next push sends the graph again.
    extra = urllib.request.Request(
        f"{oxigraph}/store?{urlencode({'graph': graph})}",
        data=b"<urn:x> <urn:y> <urn:z> .\n",
        method="POST",
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(extra, timeout=10).read()
    assert _remote_count(oxigraph, graph) == triples + 1
    again = run(
        "push", "--graph-store", oxigraph + "/store", "--store", copenhagen_store, "--graph", graph
    )
    assert again.stdout == (
        f"Replaced <{graph}> at {oxigraph}/store: {triples + 1} triples now, {triples} after (+0 -1).\n"
    )
    assert _remote_count(oxigraph, graph) == triples


def test_push_shows_its_steps_unless_quiet(
    run: Run, fake: FaultServer, copenhagen_store: Path
) -> None:
    loud = run("push", "--graph-store", fake.url + "/store", "--store", copenhagen_store)
    assert loud.exit_code == 0 and loud.stdout.startswith("Replaced <")
    assert loud.stderr.startswith("Pushing")
    quiet = run("push", "-q", "--graph-store", fake.url + "/store", "--store", copenhagen_store)
    assert quiet.exit_code == 0 and quiet.stdout.startswith("Replaced <") and quiet.stderr == ""


@pytest.mark.server
def test_map_of_a_pushed_graph_matches_the_local_map(
    run: Run, oxigraph: str, pushed: tuple[str, int], copenhagen_store: Path, tmp_path: Path
) -> None:
    day = ("--as-of", "2026-01-01")
    local = run("map", "--store", copenhagen_store, "-o", tmp_path / "local.html", *day)
    remote = run(
        "map", "-o", tmp_path / "remote.html", *day,
        "--endpoint", oxigraph + "/query", "--graph", DEFAULT_GRAPH,
    )  # fmt: skip
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    counts = local.stdout.split(": ", 1)[1]
    assert counts.endswith(" links.\n") and remote.stdout.split(": ", 1)[1] == counts
    assert (tmp_path / "remote.html").read_bytes() == (tmp_path / "local.html").read_bytes()


def test_map_from_an_endpoint_refuses_include_internal(run: Run, tmp_path: Path) -> None:
    result = run(
        "map", "--endpoint", "http://127.0.0.1:9/query", "--include-internal",
        "-o", tmp_path / "m.html",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --include-internal applies to the local store; an endpoint serves what was "
        "pushed to it."
    )
    assert not (tmp_path / "m.html").exists()
