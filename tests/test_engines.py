"""Every engine gives the local answer, or fails loudly: Oxigraph and Virtuoso side by side.

Both servers start once per session (tests/conftest.py): ``oxigraph serve``, and Debian's
Virtuoso with its default settings, so every SELECT it answers is cut at 10,000 rows (and a
graph download at 10,001 triples). citykg pushes two graphs to each: the built-in Copenhagen
data and a synthetic world of about 148k triples generated here (``citykg synth --size 120k``,
never committed). Then every named query, the analyses and the map must agree with the local
store; push, dry run and re-push must say there is nothing to send; a foreign dataset loaded
into Virtuoso must never leak into an answer.

The logic that picks a graph when none is given runs against a small engine in a thread
(``CappedEngine``: pyoxigraph, its default graph the union of all graphs, as Virtuoso's).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from citykg.analysis.networks import extract
from citykg.cli import main
from citykg.graph.build import build
from citykg.graph.store import open_dataset
from citykg.queries.endpoint import EndpointSource
from citykg.queries.http import Auth, Budget, HttpClient
from citykg.queries.library import list_queries
from citykg.queries.remembered import Pushed, remember
from citykg.queries.sparql import LocalSource
from tests.conftest import FIXTURES, Run
from tests.servers import CappedEngine, Virtuoso
from tests.test_remote import ANALYSES, CASES

CPH_GRAPH = "https://example.org/citykg-test/copenhagen"
SYNTH_GRAPH = "https://example.org/citykg-test/synth"
FOREIGN_GRAPH = "https://example.org/foreign"
#: The Virtuoso user that pushes (HTTP Digest only on /sparql-graph-crud-auth).
PUSHER, PUSHER_PASSWORD = "citykg", "pushpass"
DAY = ("--as-of", "2024-01-01")
#: The machine running the tests may be shared and busy, and paging the synthetic world takes
#: dozens of requests: a generous deadline (the deadline itself is tested in test_http.py).
SLOW = ("--timeout", "600")

# One call per named query with parameters that give rows on the synthetic world (seed 1).
SYNTH_CASES: list[tuple[str, ...]] = [
    ("about", "-p", "entity=zelis-218"),
    ("agreements-ending", "--as-of", "2024-01-01", "-p", "months=24"),
    ("collaborations",),
    ("common-ground", "-p", "a=zelis-218", "-p", "b=belnalan-1944"),
    ("cooperations",),
    ("entity-datasets", "-p", "dataset=synth"),
    ("events",),
    ("evidence", "-p", "entity=network-2"),
    ("homes",),  # none: the synthetic world says whose it is nowhere
    ("inferred",),  # none: the synthetic world infers nothing
    # the world has no home, so the queries whose parameter defaults to it are given one
    ("initiatives-by-purpose", "-p", "home=zelis-218"),
    ("initiatives-by-theme",),
    ("members-of", "-p", "network=network-2"),
    ("mentions", "-p", "entity=network-2"),
    ("networks-of", "-p", "actor=zelis-218"),
    ("no-evidence",),
    ("orphans", "-p", "home=zelis-218"),  # none: no dataset of the world has a home
    ("owned-by",),
    ("partners-of", "-p", "actor=zelis-218", "-p", "min_shared=1"),
    ("plans-supported",),
    ("principles", "-p", "home=zelis-218"),
    ("project-partners", "-p", "project=project-121"),
    ("projects",),
    ("quantities",),  # none: the synthetic world has no figures
    ("sdg-contributions",),
    ("search", "-p", "text=zel"),
    ("themes",),
]
# Every analysis on the synthetic world through the CLI (brokers: about 30 s each time, its
# betweenness sampled from a fixed seed, so local and remote must still agree exactly).
SYNTH_ANALYSES: list[tuple[str, ...]] = [
    ("overlaps", "zelis-218"),
    ("overlaps", "--all-pairs", "--top", "20"),
    ("analyze", "centrality"),
    ("analyze", "communities"),
    ("analyze", "brokers"),
    ("analyze", "themes", "--home", "zelis-218"),
    ("assess", "--city", "zelis-218", "--home", "belnalan-1944", "--theme", "climate"),
]


@dataclass(frozen=True)
class Engine:
    name: str
    query: str
    graph_store: str
    push_args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    name: str
    store: Path
    graph: str
    triples: int
    cases: list[tuple[str, ...]]


@pytest.fixture(scope="module")
def engines(oxigraph: str, virtuoso: Virtuoso) -> dict[str, Engine]:
    virtuoso.isql(
        f"DB.DBA.USER_CREATE('{PUSHER}', '{PUSHER_PASSWORD}'); GRANT SPARQL_UPDATE TO \"{PUSHER}\";"
    )
    return {
        "oxigraph": Engine("oxigraph", oxigraph + "/query", oxigraph + "/store"),
        "virtuoso": Engine(
            "virtuoso",
            virtuoso.sparql,
            virtuoso.crud_auth,
            ("--user", PUSHER),
            {"CITYKG_ENDPOINT_PASSWORD": PUSHER_PASSWORD},
        ),
    }


def _invoke(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def datasets(
    copenhagen_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Dataset]:
    folder = tmp_path_factory.mktemp("synth")
    code, _, err = _invoke("synth", "--size", "120k", "-o", folder / "world.nt", "-q")
    assert code == 0, err
    synth_store = folder / "store"
    build(synth_store, [folder / "world.nt"], validate=False)
    out = {}
    for name, store, graph, cases in (
        ("copenhagen", copenhagen_store, CPH_GRAPH, CASES),
        ("synth", synth_store, SYNTH_GRAPH, SYNTH_CASES),
    ):
        code, nt, err = _invoke("export", "--store", store, "--format", "nt")
        assert code == 0, err
        out[name] = Dataset(name, store, graph, len(nt.splitlines()), cases)
    assert out["synth"].triples > 120_000
    return out


@pytest.fixture(scope="module")
def pushed(engines: dict[str, Engine], datasets: dict[str, Dataset]) -> dict[str, Engine]:
    """Both datasets pushed to both engines (each in its named graph), with --endpoint."""
    for engine in engines.values():
        for data in datasets.values():
            code, out, err = _invoke(
                "push", "-q", *SLOW, "--graph-store", engine.graph_store, "--endpoint", engine.query,
                "--graph", data.graph, "--store", data.store, *engine.push_args, env=engine.env,
            )  # fmt: skip
            assert code == 0, err
            assert out == (
                f"Replaced <{data.graph}> at {engine.graph_store}: 0 triples now, "
                f"{data.triples} after (+{data.triples} -0).\n"
            )
    return engines


@pytest.fixture(scope="module")
def foreign(virtuoso: Virtuoso, pushed: dict[str, Engine]) -> str:
    """A foreign (non-citykg) dataset in its own graph of the Virtuoso that holds citykg's."""
    client = HttpClient(Budget(30), Auth("dba", "dba"))
    target = virtuoso.crud_auth + "?" + urllib.parse.urlencode({"graph": FOREIGN_GRAPH})
    client.request(
        "PUT",
        target,
        body=(FIXTURES / "foreign-dataset.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    return FOREIGN_GRAPH


LOCAL: dict[tuple[str, ...], str] = {}


def local_json(run: Run, store: Path, *args: str) -> str:
    """The local answer, computed once per session for each command line."""
    key = (str(store), *args)
    if key not in LOCAL:
        result = run(*args, "--store", store, "--format", "json")
        assert result.exit_code == 0, result.output
        LOCAL[key] = result.stdout
    return LOCAL[key]


def remote_json(run: Run, engine: Engine, data: Dataset, *args: str) -> str:
    """The answer of ``engine`` holding ``data``'s graph, which must not fail."""
    remote = run(
        *args, *SLOW, "--endpoint", engine.query, "--graph", data.graph, "--format", "json"
    )
    assert remote.exit_code == 0, remote.output
    return remote.stdout


PAIRS = [(e, d) for e in ("oxigraph", "virtuoso") for d in ("copenhagen", "synth")]


def test_synth_cases_cover_every_named_query() -> None:
    assert sorted(c[0] for c in SYNTH_CASES) == sorted(q.name for q in list_queries())


# --- push -----------------------------------------------------------------------------------------


@pytest.mark.server
@pytest.mark.parametrize(
    ("engine", "dataset"), [p for p in PAIRS if p != ("virtuoso", "synth")]
)  # Virtuoso's synthetic world: the next test
def test_push_again_sends_nothing(
    run: Run, pushed: dict[str, Engine], datasets: dict[str, Dataset], engine: str, dataset: str
) -> None:
    # Compared as parsed triples (Virtuoso writes N-Triples with tabs and \u escapes); the
    # synthetic world is larger than Virtuoso's download cap, so it is counted and paged.
    e, data = pushed[engine], datasets[dataset]
    common = (
        "push", "-q", *SLOW, "--graph-store", e.graph_store, "--endpoint", e.query,
        "--graph", data.graph, "--store", data.store, *e.push_args,
    )  # fmt: skip
    dry = run(*common, "--dry-run", env=e.env)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout == (
        f"Would replace <{data.graph}> at {e.graph_store}: {data.triples} triples now, "
        f"{data.triples} after (+0 -0). Nothing was sent.\n"
    )
    again = run(*common, "--format", "json", env=e.env)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {
        "url": e.graph_store, "graph": data.graph, "before": data.triples,
        "after": data.triples, "added": 0, "removed": 0, "dry_run": False, "sent": False,
        "endpoint": e.query,
    }  # fmt: skip


@pytest.mark.server
def test_push_again_to_a_store_that_cuts_downloads(
    run: Run, pushed: dict[str, Engine], datasets: dict[str, Dataset]
) -> None:
    # Virtuoso cuts a graph download at 10,001 triples: without its query endpoint citykg
    # cannot compare, and says so; with it, it counts and pages the comparison.
    e, data = pushed["virtuoso"], datasets["synth"]
    common = (
        "push", "-q", *SLOW, "--graph-store", e.graph_store, "--graph", data.graph,
        "--store", data.store, *e.push_args,
    )  # fmt: skip
    result = run(*common, "--dry-run", env=e.env)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {e.graph_store}: the graph store may have cut its download at 10001 triples, "
        "so citykg cannot compare the graphs. Give --endpoint with the store's SPARQL query "
        "endpoint (Virtuoso: /sparql), which citykg uses to count and page.\n"
    )
    again = run(*common, "--endpoint", e.query, "--format", "json", env=e.env)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {
        "url": e.graph_store, "graph": data.graph, "before": data.triples,
        "after": data.triples, "added": 0, "removed": 0, "dry_run": False, "sent": False,
        "endpoint": e.query,
    }  # fmt: skip
    # The query endpoint is now remembered for this graph store.
    dry = run(*common, "--dry-run", env=e.env)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout == (
        f"Would replace <{data.graph}> at {e.graph_store}: {data.triples} triples now, "
        f"{data.triples} after (+0 -0). Nothing was sent.\n"
    )


@pytest.mark.server
def test_push_with_digest_refused_and_forbidden(
    run: Run, pushed: dict[str, Engine], datasets: dict[str, Dataset], virtuoso: Virtuoso
) -> None:
    data = datasets["copenhagen"]
    args = ("push", "-q", "--graph", "https://example.org/citykg-test/refused",
            "--store", data.store)  # fmt: skip
    wrong = run(*args, "--graph-store", virtuoso.crud_auth, "--user", PUSHER,
                env={"CITYKG_ENDPOINT_PASSWORD": "wrong"})  # fmt: skip
    assert wrong.stderr == (
        f"Error: {virtuoso.crud_auth}: the graph store refused the credentials (Digest) "
        "(HTTP 401). Check --user and the password in $CITYKG_ENDPOINT_PASSWORD.\n"
    )
    basic = run(*args, "--graph-store", virtuoso.crud_auth, "--user", PUSHER, "--auth", "basic",
                env={"CITYKG_ENDPOINT_PASSWORD": PUSHER_PASSWORD})  # fmt: skip
    assert basic.stderr == (
        f"Error: {virtuoso.crud_auth}: the graph store refused the credentials (HTTP 401): the "
        "server asks for Digest, and --auth basic sends Basic. Leave out --auth (or give "
        "--auth digest).\n"
    )
    # Without a user: once after the download asked for credentials, once when the PUT is the
    # first request to the graph store (the graph is new), which Virtuoso refuses before
    # reading the body.
    for extra in ((), ("--endpoint", virtuoso.sparql)):
        nobody = run(*args, "--graph-store", virtuoso.crud_auth, *extra)
        assert nobody.stderr == (
            f"Error: {virtuoso.crud_auth}: the graph store needs credentials (HTTP 401; the "
            "server asks for Digest). Give --user and set the password in "
            "$CITYKG_ENDPOINT_PASSWORD.\n"
        )
    # The anonymous graph store: Virtuoso's own reason, without its HTML.
    anonymous = run(*args, "--graph-store", virtuoso.crud)
    assert anonymous.exit_code == 1
    assert anonymous.stderr == (
        f"Error: {virtuoso.crud}: the graph store forbids this request (HTTP 403: "
        "SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 107)). "
        "Ask its administrator for access (see docs/sharing.md for the grants).\n"
    )


@pytest.mark.server
def test_queries_through_virtuosos_digest_endpoint(
    run: Run, pushed: dict[str, Engine], datasets: dict[str, Dataset], virtuoso: Virtuoso
) -> None:
    data = datasets["copenhagen"]
    url = virtuoso.base + "/sparql-auth"
    args = ("query", "members-of", "--endpoint", url, "--graph", CPH_GRAPH, "--format", "json")
    result = run(*args, "--user", PUSHER, env={"CITYKG_ENDPOINT_PASSWORD": PUSHER_PASSWORD})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(
        local_json(run, data.store, "query", "members-of")
    )
    nobody = run(*args)
    assert nobody.stderr == (
        f"Error: {url}: the endpoint needs credentials (HTTP 401; the server asks for Digest). "
        "Give --user and set the password in $CITYKG_ENDPOINT_PASSWORD.\n"
    )


# --- named queries, analyses, the map: the local answer on every engine -----------------------


@pytest.mark.server
@pytest.mark.parametrize(
    ("engine", "dataset", "args"),
    [(e, d, c) for e, d in PAIRS for c in (CASES if d == "copenhagen" else SYNTH_CASES)],
    ids=[
        f"{e}-{d}-{c[0]}" for e, d in PAIRS for c in (CASES if d == "copenhagen" else SYNTH_CASES)
    ],
)
def test_named_queries_agree(
    run: Run,
    pushed: dict[str, Engine],
    datasets: dict[str, Dataset],
    engine: str,
    dataset: str,
    args: tuple[str, ...],
) -> None:
    data = datasets[dataset]
    local = local_json(run, data.store, "query", *args)
    remote = remote_json(run, pushed[engine], data, "query", *args)
    assert json.loads(remote) == json.loads(local)


@pytest.mark.server
@pytest.mark.parametrize(
    ("engine", "dataset", "args"),
    [(e, d, a) for e, d in PAIRS for a in (ANALYSES if d == "copenhagen" else SYNTH_ANALYSES)],
    ids=[
        f"{e}-{d}-{' '.join(a[:2])}"
        for e, d in PAIRS
        for a in (ANALYSES if d == "copenhagen" else SYNTH_ANALYSES)
    ],
)
def test_analyses_agree(
    run: Run,
    pushed: dict[str, Engine],
    datasets: dict[str, Dataset],
    engine: str,
    dataset: str,
    args: tuple[str, ...],
) -> None:
    data = datasets[dataset]
    local = local_json(run, data.store, *args, *DAY)
    remote = remote_json(run, pushed[engine], data, *args, *DAY)
    assert json.loads(local) and json.loads(remote) == json.loads(local)


@pytest.mark.server
@pytest.mark.parametrize(("engine", "dataset"), PAIRS)
def test_the_map_agrees(
    run: Run,
    pushed: dict[str, Engine],
    datasets: dict[str, Dataset],
    tmp_path: Path,
    engine: str,
    dataset: str,
) -> None:
    data = datasets[dataset]
    # the synthetic world says whose it is nowhere: give it a home to emphasise
    home = ("--home", "zelis-218") if dataset == "synth" else ()
    local = run("map", "--store", data.store, "-o", tmp_path / "local.html", *home, *DAY)
    remote = run(
        "map", "-o", tmp_path / "remote.html", *home, *DAY, *SLOW,
        "--endpoint", pushed[engine].query, "--graph", data.graph,
    )  # fmt: skip
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    assert remote.stdout.split(": ", 1)[1] == local.stdout.split(": ", 1)[1]
    assert (tmp_path / "remote.html").read_bytes() == (tmp_path / "local.html").read_bytes()


@pytest.mark.server
@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_the_brief_and_the_timeline_agree(
    run: Run, pushed: dict[str, Engine], datasets: dict[str, Dataset], tmp_path: Path, engine: str
) -> None:
    data, url = datasets["copenhagen"], pushed[engine].query
    remote = ("--endpoint", url, "--graph", CPH_GRAPH, *DAY, *SLOW)
    local = ("--store", data.store, *DAY)
    there = run("brief", "lisbon", "--format", "md", *remote)
    here = run("brief", "lisbon", "--format", "md", *local)
    assert there.exit_code == 0 and here.exit_code == 0, there.output + here.output
    # the same page but for where it was read from
    assert there.output == here.output.replace(f"read from {data.store}", f"read from {url}")
    there = run("timeline", "-o", tmp_path / "remote.html", *remote)
    here = run("timeline", "-o", tmp_path / "local.html", *local)
    assert there.exit_code == 0 and here.exit_code == 0, there.output + here.output
    assert there.output.split(": ")[1] == here.output.split(": ")[1]


@pytest.mark.server
@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_the_extraction_agrees(
    pushed: dict[str, Engine], datasets: dict[str, Dataset], engine: str
) -> None:
    # Every analysis and the map start from this one query; on the synthetic world it has
    # about 14,000 rows, more than Virtuoso's cap of 10,000.
    data = datasets["synth"]
    remote = extract(EndpointSource(pushed[engine].query, default_graph=data.graph, timeout=600))
    local = extract(LocalSource(open_dataset(data.store)))
    assert len(local[1]) > 6000 and remote == local


@pytest.mark.server
@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_a_users_query_over_the_cap_is_whole(
    run: Run, pushed: dict[str, Engine], datasets: dict[str, Dataset], tmp_path: Path, engine: str
) -> None:
    data = datasets["synth"]
    everything = tmp_path / "typed.rq"
    everything.write_text("SELECT ?s ?type WHERE { ?s a ?type }\n", encoding="utf-8")
    ordered = tmp_path / "ordered.rq"
    ordered.write_text(
        "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY DESC(?s) ?label\n",
        encoding="utf-8",
    )
    remote_args = (
        *SLOW,
        "--endpoint",
        pushed[engine].query,
        "--graph",
        data.graph,
        "--format",
        "csv",
    )
    remote = run("query", "--file", everything, *remote_args)
    local = run("query", "--file", everything, "--store", data.store, "--format", "csv")
    assert remote.exit_code == 0, remote.output
    lines = remote.stdout.splitlines()
    assert len(lines) > 40_000 and sorted(lines) == sorted(local.stdout.splitlines())
    # In the query's own order, across pages.
    remote = run("query", "--file", ordered, *remote_args)
    local = run("query", "--file", ordered, "--store", data.store, "--format", "csv")
    assert remote.exit_code == 0, remote.output
    assert len(remote.stdout.splitlines()) > 10_001 and remote.stdout == local.stdout


@pytest.mark.server
@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize(
    "text",
    [
        'ASK { ?x dcterms:identifier "c40" }\n',
        "CONSTRUCT { ?x ckg:kind ?k } WHERE { ?x ckg:kind ?k ; ckg:programme ?p }\n",
    ],
    ids=["ask", "construct"],
)
def test_ask_and_construct_agree(
    run: Run,
    pushed: dict[str, Engine],
    datasets: dict[str, Dataset],
    tmp_path: Path,
    engine: str,
    text: str,
) -> None:
    data = datasets["copenhagen"]
    query = tmp_path / "q.rq"
    query.write_text(text, encoding="utf-8")
    local = run("query", "--file", query, "--store", data.store, "--format", "csv")
    remote = run(
        "query", "--file", query, "--endpoint", pushed[engine].query, "--graph", data.graph,
        "--format", "csv",
    )  # fmt: skip
    assert local.exit_code == 0 and remote.exit_code == 0, local.output + remote.output
    assert len(local.stdout.splitlines()) >= 2 and remote.stdout == local.stdout


# --- which graph ------------------------------------------------------------------------------------


@pytest.mark.server
def test_a_foreign_dataset_in_virtuoso_never_leaks(
    run: Run,
    pushed: dict[str, Engine],
    datasets: dict[str, Dataset],
    foreign: str,
    virtuoso: Virtuoso,
) -> None:
    # The hazard is real: Virtuoso's default graph is the union of all graphs.
    ask = (
        "SELECT ?label WHERE { <https://w3id.org/citykg/id/copenhagen> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    )
    url = virtuoso.sparql + "?" + urllib.parse.urlencode({"query": ask})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        labels = {b["label"]["value"] for b in json.load(answer)["results"]["bindings"]}
    assert "Kopenhagen (foreign register)" in labels
    data, e = datasets["copenhagen"], pushed["virtuoso"]
    # Without --graph, and nothing remembered: two citykg graphs and other data, so say so.
    result = run("query", "members-of", "--endpoint", e.query)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {e.query}'s default graph mixes citykg data with other data (graphs with "
        f"citykg entities: <{CPH_GRAPH}>, <{SYNTH_GRAPH}>). Give --graph with the graph to read.\n"
    )
    local = local_json(run, data.store, "query", "members-of")
    named = run(
        "query", "members-of", "--endpoint", e.query, "--graph", CPH_GRAPH, "--format", "json"
    )
    assert json.loads(named.stdout) == json.loads(local)
    # After a push with --endpoint, the pushed graph is the default for that endpoint.
    push = run(
        "push", "-q", *SLOW, "--graph-store", e.graph_store, "--endpoint", e.query,
        "--graph", CPH_GRAPH,
        "--store", data.store, *e.push_args, env=e.env,
    )  # fmt: skip
    assert push.exit_code == 0, push.output
    for args in (("query", "members-of"), ("overlaps", "--top", "5", *DAY)):
        remembered = run(*args, "--endpoint", e.query, "--format", "json")
        assert remembered.exit_code == 0, remembered.output
        assert json.loads(remembered.stdout) == json.loads(local_json(run, data.store, *args))


@pytest.mark.server
@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_a_graph_without_citykg_entities_is_one_error_everywhere(
    run: Run, pushed: dict[str, Engine], tmp_path: Path, engine: str
) -> None:
    url = pushed[engine].query
    endpoint = ("--endpoint", url, "--graph", "https://example.org/nothing-here")
    messages = set()
    for args in (
        ("query", "members-of"),
        ("overlaps",),
        ("analyze", "centrality"),
        ("assess", "--city", "lisbon"),
        ("map", "-o", str(tmp_path / "m.html")),
    ):
        result = run(*args, *endpoint)
        assert result.exit_code == 1, result.output
        messages.add(result.stderr)
    assert not (tmp_path / "m.html").exists()
    (message,) = messages
    assert message.startswith(
        f"Error: {url} holds no citykg entities in the graph <https://example.org/nothing-here>. "
        "Give --graph with the graph 'citykg push' wrote (graphs there with citykg entities: "
    )
    assert f"<{CPH_GRAPH}>" in message and f"<{SYNTH_GRAPH}>" in message


@pytest.mark.server
def test_virtuoso_syntax_errors_point_into_the_file(
    run: Run, pushed: dict[str, Engine], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: Bad\nSELECT ?x WHERE {\n  ?x ?y ?z\n}\nORDER ?x\n", encoding="utf-8")
    result = run(
        "query", "--file", bad, "--endpoint", pushed["virtuoso"].query, "--graph", CPH_GRAPH
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {bad}:5: SPARQL syntax error: unexpected '?x' before '}}'. Correct the query.\n"
    )


# --- which graph, when none is given: the rules, on an engine whose default graph is a union -------


def _engine(*graphs: tuple[str | None, str]) -> ox.Store:
    """A store with Turtle ``text`` in each named graph (None: the default graph)."""
    store = ox.Store()
    for name, text in graphs:
        target = ox.NamedNode(name) if name else ox.DefaultGraph()
        store.load(text.encode(), format=ox.RdfFormat.TURTLE, to_graph=target)
    return store


CITY = '<https://w3id.org/citykg/id/{0}> <https://w3id.org/citykg/ontology#kind> "city" ; <http://purl.org/dc/terms/identifier> "{0}" .'
OTHER = '<https://example.org/x> <http://purl.org/dc/terms/identifier> "x" .'
WHO = "SELECT ?id WHERE { ?c <https://w3id.org/citykg/ontology#kind> ?k ; <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"


@pytest.fixture
def who(tmp_path: Path) -> Path:
    path = tmp_path / "who.rq"
    path.write_text(WHO + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("graphs", "expected"),
    [
        # Data in the default graph only (oxigraph load without a graph): read it.
        (((None, CITY.format("a")),), ["a"]),
        # One citykg graph beside foreign data, read through a union: that graph alone.
        ((("urn:g:cph", CITY.format("a")), ("urn:g:other", OTHER)), ["a"]),
        # citykg's own store served (citykg serve): its source graphs, nothing else.
        (
            (
                ("https://w3id.org/citykg/graph/source/a", CITY.format("a")),
                ("https://w3id.org/citykg/graph/source/b", CITY.format("b")),
            ),
            ["a", "b"],
        ),
    ],
    ids=["default-graph", "one-graph-and-foreign", "citykg-serve"],
)
def test_the_graph_read_without_graph(
    run: Run, who: Path, graphs: tuple[tuple[str | None, str], ...], expected: list[str]
) -> None:
    engine = CappedEngine(_engine(*graphs), None)
    try:
        result = run("query", "--file", who, "--endpoint", engine.url, "--format", "csv")
    finally:
        engine.close()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == expected


@pytest.mark.parametrize(
    ("graphs", "problem"),
    [
        ((), " holds no citykg entities in its default graph. Give --graph with the graph 'citykg push' wrote."),
        ((("urn:g:a", CITY.format("a")), ("urn:g:b", CITY.format("b"))), "'s default graph mixes citykg data with other data (graphs with citykg entities: <urn:g:a>, <urn:g:b>). Give --graph with the graph to read."),
        ((("urn:g:a", CITY.format("a")), (None, CITY.format("b"))), "'s default graph mixes citykg data with other data (graphs with citykg entities: <urn:g:a>). Give --graph with the graph to read."),
    ],
    ids=["empty", "two-datasets", "graph-and-default"],
)  # fmt: skip
def test_an_ambiguous_default_graph_is_an_error(
    run: Run, who: Path, graphs: tuple[tuple[str | None, str], ...], problem: str
) -> None:
    engine = CappedEngine(_engine(*graphs), None)
    try:
        result = run("query", "--file", who, "--endpoint", engine.url)
    finally:
        engine.close()
    assert result.exit_code == 1
    assert result.stderr == f"Error: {engine.url}{problem}\n"


def test_the_remembered_graph_is_read_and_checked(run: Run, who: Path) -> None:
    engine = CappedEngine(
        _engine(("urn:g:a", CITY.format("a")), ("urn:g:b", CITY.format("b"))), None
    )
    try:
        remember(Pushed(engine.url, "urn:g:b", "http://127.0.0.1:9/store"))
        read = run("query", "--file", who, "--endpoint", engine.url, "--format", "csv")
        remember(Pushed(engine.url, "urn:g:gone", "http://127.0.0.1:9/store"))
        gone = run("query", "--file", who, "--endpoint", engine.url)
        given = run(
            "query",
            "--file",
            who,
            "--endpoint",
            engine.url,
            "--graph",
            "urn:g:a",
            "--format",
            "csv",
        )
    finally:
        engine.close()
    assert read.exit_code == 0 and read.stdout.splitlines()[1:] == ["b"]
    assert gone.stderr == (
        f"Error: {engine.url} holds no citykg entities in the graph <urn:g:gone> (remembered "
        "from citykg push). Give --graph with the graph 'citykg push' wrote (graphs there with "
        "citykg entities: <urn:g:a>, <urn:g:b>).\n"
    )
    assert given.stdout.splitlines()[1:] == ["a"]  # --graph wins over what was remembered
