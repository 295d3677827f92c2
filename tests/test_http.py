"""HTTP against endpoints and graph stores that misbehave: every fault is one exact line.

A real HTTP server in a thread (tests/servers.py ``FaultServer``) answers with the fault its
path names: slow, a byte at a time, endless, redirecting, HTML error pages, broken JSON, Basic
and Digest challenges. A second kind (``CappedEngine``) evaluates queries with pyoxigraph and
cuts every SELECT at a small cap, to check that citykg pages a cut result back to the whole
answer, or says it cannot. Nothing is mocked.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from citykg.graph.push import DEFAULT_GRAPH
from tests.conftest import Run
from tests.servers import CappedEngine, FaultServer, free_port

PASSWORD = {"CITYKG_ENDPOINT_PASSWORD": "s3cret"}
ENGINE_PATHS = (
    "Oxigraph /query and /store, Virtuoso /sparql and /sparql-graph-crud(-auth), "
    "Fuseki /DATASET/query and /DATASET/data, "
    "GraphDB /repositories/ID and /repositories/ID/rdf-graphs/service"
)


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[FaultServer]:
    """Another host (another port) that a redirect points to: it must receive nothing."""
    server = FaultServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def fault_server(elsewhere: FaultServer) -> Iterator[FaultServer]:
    server = FaultServer(elsewhere=elsewhere.url)
    yield server
    server.close()


@pytest.fixture
def fake(fault_server: FaultServer, elsewhere: FaultServer) -> FaultServer:
    fault_server.requests.clear()
    elsewhere.requests.clear()
    return fault_server


@pytest.fixture
def select_file(tmp_path: Path) -> Path:
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?x WHERE {\n  ?s ?p ?x\n}\n", encoding="utf-8")
    return path


def error(run: Run, *args: str | Path, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def user_queries(fake: FaultServer) -> list[tuple[str, str, dict[str, str], bytes]]:
    """The requests that carried the user's query (not citykg's look at the graphs)."""
    return [r for r in fake.requests if b"GRAPH+%3Fg" not in r[3] and b"ASK+%7B+%3Fe" not in r[3]]


# --- reaching the server at all ------------------------------------------------------------------


def test_endpoint_unreachable(run: Run, select_file: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    message = (
        f"Error: {url}: cannot reach the endpoint (Connection refused). "
        "Check the URL and that the server is running."
    )
    assert error(run, "query", "--file", select_file, "--endpoint", url) == message
    assert error(run, "analyze", "centrality", "--endpoint", url) == message


def test_a_slow_answer_ends_at_the_timeout(run: Run, fake: FaultServer, select_file: Path) -> None:
    started = time.monotonic()
    message = error(
        run, "query", "--file", select_file, "--endpoint", fake.url + "/slow", "--timeout", "0.5"
    )
    assert message == (
        f"Error: {fake.url}/slow: the endpoint did not answer within 0.5 s. "
        "Raise --timeout, or try again later."
    )
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("command", ["query", "push"])
def test_a_byte_at_a_time_does_not_hold_the_command(
    run: Run, fake: FaultServer, select_file: Path, copenhagen_store: Path, command: str
) -> None:
    # Each byte comes well within any per-read timeout; the deadline is for the whole request.
    started = time.monotonic()
    if command == "query":
        url = fake.url + "/drip"
        message = error(run, "query", "--file", select_file, "--endpoint", url, "--timeout", "1")
        what = "endpoint"
    else:
        url = fake.url + "/drip"
        message = error(
            run, "push", "-q", "--graph-store", url, "--store", copenhagen_store, "--timeout", "1"
        )
        what = "graph store"
    assert message == (
        f"Error: {url}: the {what} did not answer within 1 s. Raise --timeout, or try again later."
    )
    assert time.monotonic() - started < 4


def test_an_endless_answer_is_a_one_line_error(
    run: Run, fake: FaultServer, select_file: Path
) -> None:
    url = fake.url + "/endless"
    message = error(
        run, "query", "--file", select_file, "--endpoint", url, env={"CITYKG_MAX_RESPONSE_MB": "1"}
    )
    assert message == (
        f"Error: {url}: the endpoint's answer is larger than 1 MB. "
        "Ask for less, or raise $CITYKG_MAX_RESPONSE_MB (megabytes)."
    )
    bad = error(
        run, "query", "--file", select_file, "--endpoint", url, env={"CITYKG_MAX_RESPONSE_MB": "x"}
    )
    assert bad == (
        "Error: $CITYKG_MAX_RESPONSE_MB is not a positive number of megabytes. "
        "Set it to a number such as 2048, or unset it (default 1024)."
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "inf is not in the range 0<x<=86400."),
        ("nan", "'nan' is not a number of seconds."),
        ("0", "0.0 is not in the range 0<x<=86400."),
        ("-1", "-1.0 is not in the range 0<x<=86400."),
        ("1e9", "1000000000.0 is not in the range 0<x<=86400."),
    ],
)
def test_timeout_must_be_finite_and_positive(
    run: Run, select_file: Path, value: str, reason: str
) -> None:
    url = "http://127.0.0.1:9/q"
    result = run("query", "--file", select_file, "--endpoint", url, "--timeout", value)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--timeout': {reason}"


# --- what the server says, kept and readable -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (401, "the endpoint needs credentials (HTTP 401). Give --user and set the password in $CITYKG_ENDPOINT_PASSWORD."),
        (403, "the endpoint forbids this request (HTTP 403: boom). Ask its administrator for access (see docs/sharing.md for the grants)."),
        (404, f"the endpoint was not found (HTTP 404). Check the URL; usual paths: {ENGINE_PATHS}."),
        (500, "the endpoint failed (HTTP 500: boom). Try again later, or ask its administrator."),
        (503, "the endpoint failed (HTTP 503: boom). Try again later, or ask its administrator."),
    ],
)  # fmt: skip
def test_endpoint_http_errors(
    run: Run, fake: FaultServer, select_file: Path, code: int, problem: str
) -> None:
    url = f"{fake.url}/status/{code}"
    assert (
        error(run, "query", "--file", select_file, "--endpoint", url) == f"Error: {url}: {problem}"
    )


def test_a_bad_request_and_a_partial_answer(run: Run, fake: FaultServer, select_file: Path) -> None:
    url = fake.url + "/status/400"
    assert error(run, "query", "--file", select_file, "--endpoint", url) == (
        f"Error: {url}: the endpoint rejected citykg's query for its graphs (HTTP 400: boom). "
        "Check that the URL is a SPARQL 1.1 query endpoint."
    )
    url = fake.url + "/anytime"
    assert error(run, "query", "--file", select_file, "--endpoint", url) == (
        f"Error: {url}: the endpoint stopped the query at its time limit and sent only part of "
        "the result. Raise the server's limit (Virtuoso: MaxQueryExecutionTime in [SPARQL])."
    )


def test_an_html_error_page_gives_the_servers_reason_without_markup(
    run: Run, fake: FaultServer, copenhagen_store: Path
) -> None:
    url = fake.url + "/virtuoso-403"
    assert error(run, "push", "-q", "--graph-store", url, "--store", copenhagen_store) == (
        f"Error: {url}: the graph store forbids this request (HTTP 403: SQ110:SECURITY: "
        "Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 107)). "
        "Ask its administrator for access (see docs/sharing.md for the grants)."
    )


def test_syntax_errors_point_into_the_users_file(
    run: Run, fake: FaultServer, tmp_path: Path
) -> None:
    query = tmp_path / "mine.rq"
    query.write_text(
        "# title: Mine\nPREFIX x: <urn:x#>\nSELECT ?x WHERE {\n ?x ?y ?z\n}\nORDER ?x\n"
    )
    # Oxigraph and Jena give line and column; Virtuoso the line of the text it was sent,
    # which citykg keeps equal to the file's (its prefixes go on the first line).
    assert error(run, "query", "--file", query, "--endpoint", fake.url + "/syntax") == (
        f"Error: {query}:3: SPARQL syntax error at column 2: expected OPTIONAL. Correct the query."
    )
    assert error(run, "query", "--file", query, "--endpoint", fake.url + "/virtuoso-syntax") == (
        f"Error: {query}:4: SPARQL syntax error: unexpected '?x' before '}}'. Correct the query."
    )


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/html", "it is text/html"),
        ("/bad-json/truncated", "malformed JSON: Expecting value: line 1 column 52 (char 51)"),
        ("/bad-json/deep", "nested too deeply"),
        ("/bad-json/vars", "'head.vars' is not a list of names"),
        ("/bad-json/term", "a value without a string 'value'"),
    ],
)
def test_answers_that_are_not_sparql_results(
    run: Run, fake: FaultServer, select_file: Path, path: str, why: str
) -> None:
    url = fake.url + path
    assert error(run, "query", "--file", select_file, "--endpoint", url) == (
        f"Error: {url}: the endpoint's answer is not SPARQL JSON results ({why}). "
        "Check that the URL is a SPARQL query endpoint."
    )


# --- URLs -----------------------------------------------------------------------------------------


def test_a_password_in_the_url_is_refused_and_never_shown(
    run: Run, fake: FaultServer, select_file: Path, copenhagen_store: Path
) -> None:
    port = fake.url.rsplit(":", 1)[1]
    secret = f"http://al:pw-XYZ@127.0.0.1:{port}"
    shown = f"http://127.0.0.1:{port}"
    fix = (
        "the URL holds a user name or password. Give the user with --user and the password "
        "in $CITYKG_ENDPOINT_PASSWORD, not in the URL."
    )
    cases = [
        (("query", "--file", select_file, "--endpoint", secret + "/sparql"), "/sparql"),
        (("push", "--graph-store", secret + "/store", "--store", copenhagen_store), "/store"),
        (("push", "--graph-store", fake.url + "/store", "--endpoint", secret + "/sparql",
          "--store", copenhagen_store), "/sparql"),
    ]  # fmt: skip
    for args, path in cases:
        assert error(run, *args) == f"Error: {shown}{path}: {fix}"
    assert fake.requests == []


@pytest.mark.parametrize("bad", ["ftp://127.0.0.1/sparql", "http:///sparql", "localhost:7878"])
def test_endpoint_urls_that_are_not_http(run: Run, select_file: Path, bad: str) -> None:
    assert error(run, "query", "--file", select_file, "--endpoint", bad) == (
        f"Error: {bad}: is not an http(s) URL. Give the endpoint as http://host:port/sparql."
    )


# --- redirects: never followed -----------------------------------------------------------------


def test_no_redirect_is_followed_and_credentials_stay(
    run: Run, fake: FaultServer, elsewhere: FaultServer, select_file: Path, copenhagen_store: Path
) -> None:
    url = fake.url + "/redirect"
    target = elsewhere.url + "/store?graph=x"
    fix = (
        "citykg follows no redirect, so that queries and credentials go only where you said: "
        "give that URL if you trust it."
    )
    assert error(
        run, "query", "--file", select_file, "--endpoint", url, "--user", "alice", "--auth", "basic",
        env=PASSWORD,
    ) == f"Error: {url}: the endpoint redirects to {target} (HTTP 302). {fix}"  # fmt: skip
    for extra in (("--dry-run",), ()):
        assert error(
            run, "push", "-q", "--graph-store", url, "--store", copenhagen_store,
            "--user", "alice", "--auth", "basic", *extra, env=PASSWORD,
        ) == f"Error: {url}: the graph store redirects to {target} (HTTP 302). {fix}"  # fmt: skip
    assert elsewhere.requests == []
    assert [r[0] for r in fake.requests] == ["POST", "GET", "GET"]  # no PUT after a redirect


# --- authentication ----------------------------------------------------------------------------


def test_basic_auth_is_sent_when_the_server_asks(
    run: Run, fake: FaultServer, select_file: Path
) -> None:
    url = fake.url + "/basic"
    ok = run(
        "query", "--file", select_file, "--endpoint", url, "--user", "alice", "--format", "csv",
        env=PASSWORD,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == "x\nok\n"
    first, second = fake.requests[0], fake.requests[1]
    assert "Authorization" not in first[2]  # nothing until the challenge
    assert second[2]["Authorization"] == "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert all(b"s3cret" not in r[3] for r in fake.requests)
    fake.requests.clear()
    forced = run(
        "query", "--file", select_file, "--endpoint", url, "--user", "alice", "--auth", "basic",
        env=PASSWORD,
    )  # fmt: skip
    assert forced.exit_code == 0
    assert all("Authorization" in r[2] for r in fake.requests)  # --auth basic: at once
    assert error(
        run, "query", "--file", select_file, "--endpoint", url, "--user", "alice",
        env={"CITYKG_ENDPOINT_PASSWORD": "nope"},
    ) == (
        f"Error: {url}: the endpoint refused the credentials (Basic) (HTTP 401). "
        "Check --user and the password in $CITYKG_ENDPOINT_PASSWORD."
    )  # fmt: skip


@pytest.mark.parametrize("path", ["/digest", "/digest-sha256"])
def test_digest_auth_from_the_challenge(
    run: Run, fake: FaultServer, select_file: Path, path: str
) -> None:
    url = fake.url + path
    env = {"CITYKG_ENDPOINT_PASSWORD": "s3crét"}  # not ASCII: sent as UTF-8
    ok = run(
        "query", "--file", select_file, "--endpoint", url, "--user", "alice", "--format", "csv",
        env=env,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == "x\nok\n"
    sent = [r[2].get("Authorization", "") for r in fake.requests]
    assert sent[0] == "" and all(a.startswith("Digest ") for a in sent[1:])
    assert all("s3cr" not in a for a in sent)
    # Basic forced against a server that wants Digest: say so.
    assert error(
        run, "query", "--file", select_file, "--endpoint", url, "--user", "alice",
        "--auth", "basic", env=env,
    ) == (
        f"Error: {url}: the endpoint refused the credentials (HTTP 401): the server asks for "
        "Digest, and --auth basic sends Basic. Leave out --auth (or give --auth digest)."
    )  # fmt: skip
    assert error(run, "query", "--file", select_file, "--endpoint", url) == (
        f"Error: {url}: the endpoint needs credentials (HTTP 401; the server asks for Digest). "
        "Give --user and set the password in $CITYKG_ENDPOINT_PASSWORD."
    )
    assert error(
        run, "query", "--file", select_file, "--endpoint", url, "--user", "alice",
        env={"CITYKG_ENDPOINT_PASSWORD": "wrong"},
    ) == (
        f"Error: {url}: the endpoint refused the credentials (Digest) (HTTP 401). "
        "Check --user and the password in $CITYKG_ENDPOINT_PASSWORD."
    )  # fmt: skip


def test_digest_forced_against_a_basic_server(
    run: Run, fake: FaultServer, select_file: Path
) -> None:
    url = fake.url + "/basic"
    assert error(
        run, "query", "--file", select_file, "--endpoint", url, "--user", "alice",
        "--auth", "digest", env=PASSWORD,
    ) == (
        f"Error: {url}: the endpoint refused the credentials (HTTP 401): the server asks for "
        "Basic, and --auth digest sends only Digest. Leave out --auth."
    )  # fmt: skip


def test_push_with_digest(run: Run, fake: FaultServer, copenhagen_store: Path) -> None:
    url = fake.url + "/digest-store"
    done = run(
        "push", "-q", "--graph-store", url, "--store", copenhagen_store, "--user", "alice",
        env={"CITYKG_ENDPOINT_PASSWORD": "s3crét"},
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"Replaced <{DEFAULT_GRAPH}> at {url}: 0 triples now, ")
    methods = [(r[0], r[2].get("Authorization", "")[:6]) for r in fake.requests]
    # The GET learns the scheme; the PUT carries Digest from the start (its body is sent once).
    assert methods == [("GET", ""), ("GET", "Digest"), ("PUT", "Digest")]


def test_password_comes_from_the_environment_only(
    run: Run, fake: FaultServer, select_file: Path
) -> None:
    url = fake.url + "/basic"
    env = {k: v for k, v in os.environ.items() if k != "CITYKG_ENDPOINT_PASSWORD"}
    missing = subprocess.run(
        [sys.executable, "-m", "citykg", "query", "--file", str(select_file), "--endpoint", url, "--user", "alice"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert missing.returncode == 1
    assert missing.stderr == (
        f"Error: {url}: --user is set but $CITYKG_ENDPOINT_PASSWORD is not. "
        "Set the password in $CITYKG_ENDPOINT_PASSWORD.\n"
    )
    result = run("query", "--file", select_file, "--endpoint", url, "--password", "x")
    assert result.exit_code == 2
    assert "Error: No such option '--password'." in result.stderr


# --- cut results, paged back whole ----------------------------------------------------------------


KIND = ox.NamedNode("https://w3id.org/citykg/ontology#kind")


def _store(rows: int) -> ox.Store:
    """``rows`` subjects with a number and one of seven labels each, and one citykg entity."""
    store = ox.Store()
    number, label = ox.NamedNode("urn:n"), ox.NamedNode("urn:label")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    for i in range(rows):
        subject = ox.NamedNode(f"urn:s{i:05d}")
        store.add(ox.Quad(subject, number, ox.Literal(str(i), datatype=integer)))
        store.add(ox.Quad(subject, label, ox.Literal(f"item {i % 7}")))
    store.add(ox.Quad(ox.NamedNode("urn:s00000"), KIND, ox.Literal("city")))
    return store


@pytest.fixture
def query_file(tmp_path: Path) -> Path:
    path = tmp_path / "all.rq"
    path.write_text("SELECT ?s ?n WHERE { ?s <urn:n> ?n } ORDER BY DESC(?n)\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cap", "header", "shuffle"),
    [(7, True, False), (1000, False, False), (7, True, True)],
    ids=["header", "known-cap", "unstable-order"],
)
def test_a_cut_result_is_paged_whole_in_its_order(
    run: Run, query_file: Path, cap: int, header: bool, shuffle: bool
) -> None:
    engine = CappedEngine(_store(1203), cap, header=header, shuffle=shuffle)
    try:
        result = run("query", "--file", query_file, "--endpoint", engine.url, "--format", "json")
    finally:
        engine.close()
    assert result.exit_code == 0, result.output
    numbers = [int(r["n"]["value"]) for r in json.loads(result.stdout)["results"]["bindings"]]
    if shuffle:  # the engine's order changes between requests: all rows, in some order
        assert sorted(numbers) == list(range(1203))
    else:
        assert numbers == list(range(1202, -1, -1))
    assert any("COUNT(*)" in q for q in engine.queries)


def test_repeated_rows_are_paged_in_one_total_order(run: Run, tmp_path: Path) -> None:
    # Seven labels over 40 subjects: the rows repeat, so a set of distinct rows proves nothing.
    query = tmp_path / "labels.rq"
    query.write_text("SELECT ?l WHERE { ?s <urn:label> ?x BIND(STR(?x) AS ?l) }\n")
    engine = CappedEngine(_store(40), 7, shuffle=True)
    try:
        result = run("query", "--file", query, "--endpoint", engine.url, "--format", "csv")
    finally:
        engine.close()
    assert result.exit_code == 0, result.output
    labels = result.stdout.splitlines()[1:]
    assert sorted(labels) == sorted(f"item {i % 7}" for i in range(40))
    assert any("ORDER BY  ?l" in q or "ORDER BY ?l" in q for q in engine.queries)


def test_a_cut_result_that_cannot_be_paged_in_order_is_an_error(run: Run, tmp_path: Path) -> None:
    query = tmp_path / "hidden.rq"
    query.write_text(
        "SELECT ?l WHERE { ?s <urn:label> ?x ; <urn:n> ?n BIND(STR(?x) AS ?l) } ORDER BY ?n\n"
    )
    engine = CappedEngine(_store(40), 7)
    try:
        message = error(run, "query", "--file", query, "--endpoint", engine.url)
    finally:
        engine.close()
    assert message == (
        f"Error: {engine.url}: the endpoint cut the result at 7 rows (X-SPARQL-MaxRows), and "
        "citykg cannot page it in order: its ORDER BY uses variables it does not select. "
        "Select them too, or raise the server's row limit (Virtuoso: ResultSetMaxRows in the "
        "[SPARQL] section of virtuoso.ini; see docs/sharing.md)."
    )


def test_a_cut_construct_is_an_error(run: Run, tmp_path: Path) -> None:
    query = tmp_path / "c.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?p != ckg:kind) }\n")
    # 5000 subjects, two triples each: 10,000 triples, a usual cap.
    engine = CappedEngine(_store(5000), None)
    try:
        message = error(run, "query", "--file", query, "--endpoint", engine.url, "--format", "csv")
    finally:
        engine.close()
    assert message == (
        f"Error: {engine.url}: the endpoint may have cut the result at 10000 triples, and citykg "
        "pages only SELECT queries. Write the query as SELECT ?s ?p ?o, or raise the server's "
        "row limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini; see "
        "docs/sharing.md)."
    )


def test_from_clauses_move_out_when_a_query_is_paged(run: Run, tmp_path: Path) -> None:
    # FROM may not appear in a subquery: paging moves it to the outer query.
    store = _store(1)
    number = ox.NamedNode("urn:n")
    for i in range(25):
        store.add(
            ox.Quad(
                ox.NamedNode(f"urn:t{i:02d}"),
                number,
                ox.Literal(str(i)),
                ox.NamedNode("urn:g:data"),
            )
        )
    query = tmp_path / "from.rq"
    query.write_text("SELECT ?t\nFROM <urn:g:data>\nWHERE { ?t <urn:n> ?n }\nORDER BY ?t\n")
    engine = CappedEngine(store, 7)
    try:
        result = run("query", "--file", query, "--endpoint", engine.url, "--format", "csv")
    finally:
        engine.close()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["t", *(f"urn:t{i:02d}" for i in range(25))]
    paged = [q for q in engine.queries if "OFFSET" in q]
    assert paged and all("SELECT * FROM <urn:g:data> WHERE" in q for q in paged)


def test_a_garbled_remembered_file_is_one_error(
    run: Run, fake: FaultServer, select_file: Path
) -> None:
    remembered = Path(os.environ["CITYKG_CONFIG_DIR"]) / "endpoints.json"
    remembered.write_text("{not json", encoding="utf-8")
    assert error(run, "query", "--file", select_file, "--endpoint", fake.url + "/sparql") == (
        f"Error: {remembered}: cannot read what citykg push remembered (JSONDecodeError). "
        "Delete the file; the next push writes it again."
    )


def test_the_proxy_in_the_environment_is_used(
    run: Run, fake: FaultServer, select_file: Path
) -> None:
    # As urllib does (and SPARQLWrapper did): $http_proxy, unless $no_proxy names the host.
    url = "http://sparql.citykg-test.invalid/sparql"
    env = {"http_proxy": fake.url, "HTTP_PROXY": fake.url, "no_proxy": "", "NO_PROXY": ""}
    result = run("query", "--file", select_file, "--endpoint", url, "--format", "csv", env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout == "x\nok\n"
    assert fake.requests and all(r[1] == url for r in fake.requests)
    closed = f"http://127.0.0.1:{free_port()}/sparql"
    bypass = {**env, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}
    assert error(run, "query", "--file", select_file, "--endpoint", closed, env=bypass) == (
        f"Error: {closed}: cannot reach the endpoint (Connection refused). "
        "Check the URL and that the server is running."
    )
