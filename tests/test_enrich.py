"""``citykg enrich`` against a real local Oxigraph server holding data in Wikidata's shape, and
against small HTTP servers that fail the ways Wikidata's endpoint can (never the internet)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import Result

from citykg import __version__
from citykg.graph.enrich import default_cache_path
from citykg.graph.serve import find_oxigraph
from citykg.graph.store import open_dataset, read_info
from citykg.loaders.dataset import builtin_dataset_path
from citykg.queries.sparql import LocalSource
from tests.servers import free_port, oxigraph_server

Run = Callable[..., Result]
HERE = Path(__file__).parent / "fixtures" / "wikidata"

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server loaded with the Wikidata-shaped fixture."""
    db = tmp_path_factory.mktemp("oxigraph") / "db"
    subprocess.run(
        [find_oxigraph(), "load", "--location", str(db), "--file", str(HERE / "wikidata.ttl")],
        check=True,
        capture_output=True,
    )
    with oxigraph_server(db) as url:
        yield url + "/query"


class _Fake(BaseHTTPRequestHandler):
    """Answers every POST as ``self.server.answers`` says, one answer per request."""

    def do_POST(self) -> None:
        server = self.server
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server.agents.append(self.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        answers = server.answers  # type: ignore[attr-defined]
        status, headers, body, delay = answers.pop(0) if len(answers) > 1 else answers[0]
        time.sleep(delay)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    # Closing joins the handler threads, so that none writes to a test's captured stderr later;
    # a client that gave up (the timeout test) is not an error worth printing.
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[Callable[..., tuple[str, list[str]]]]:
    servers: list[ThreadingHTTPServer] = []

    def start(*answers: tuple[int, dict[str, str], bytes, float]) -> tuple[str, list[str]]:
        server = _Server(("127.0.0.1", 0), _Fake)
        server.answers = list(answers)  # type: ignore[attr-defined]
        server.agents = []  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        return url, server.agents  # type: ignore[attr-defined]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "dataset"
    shutil.copytree(HERE / "dataset", folder)
    return folder


@pytest.fixture
def store(tmp_path: Path, dataset: Path, run: Run) -> Path:
    path = tmp_path / "store"
    assert run("build", dataset, "--store", path, "-q", "--no-validate").exit_code == 0
    return path


def facts(store: Path) -> list[tuple[str, str, str]]:
    """What the enrichment added to citykg entities (not the Wikidata triples themselves)."""
    rows = (
        LocalSource(open_dataset(store))
        .select(
            """SELECT ?s ?p ?o WHERE {
             GRAPH <https://w3id.org/citykg/graph/source/wikidata> { ?s ?p ?o }
             FILTER(STRSTARTS(STR(?s), "https://w3id.org/citykg/id/")
                    && !CONTAINS(STR(?s), "/membership/")) }
           ORDER BY ?s ?p ?o"""
        )
        .rows
    )

    def short(term: object) -> str:
        return str(term).replace("https://w3id.org/citykg/id/", "id:")

    def name(term: object) -> str:
        return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    return [(short(r["s"]), name(r["p"]), short(r["o"])) for r in rows]


def test_enrich_round_trip_through_oxigraph(
    store: Path, dataset: Path, endpoint: str, run: Run
) -> None:
    result = run(
        "enrich", "--wikidata", endpoint, "--network", "green-cities", "--store", store, "-q"
    )
    assert result.exit_code == 0, result.output
    cache = dataset / "wikidata-cache.ttl"
    assert result.stdout.splitlines() == [
        f"Asked {endpoint} about 5 of 5 items; cache: {cache}.",
        f"Built {store}: {read_info(store).triples} triples from vocabulary, wikidata, "
        "wikidata-fixture (validated).",
    ]
    assert result.stderr == (
        "wikidata-cache.ttl: 5 of 5 items answered, 15 facts added "
        "(2 memberships; 1 member of networks on Wikidata not in the graph).\n"
    )
    assert read_info(store).validated
    # Only what the dataset lacks: Hamburg keeps its own coordinates and country.
    assert facts(store) == [
        ("id:copenhagen", "altLabel", "København"),
        ("id:copenhagen", "homepage", "https://www.kk.dk/"),
        ("id:copenhagen", "country", "id:denmark"),
        ("id:denmark", "altLabel", "Danmark"),
        ("id:germany", "altLabel", "Deutschland"),
        ("id:green-cities", "homepage", "https://example.org/green-cities"),
        ("id:green-cities", "foundingDate", "2005-10"),
        ("id:hamburg", "homepage", "https://www.hamburg.de/"),
        ("id:place/copenhagen", "lat", "55.676111"),
        ("id:place/copenhagen", "long", "12.568889"),
        ("id:place/copenhagen", "country", "id:denmark"),
        ("id:place/copenhagen", "population", "653664"),
        ("id:place/hamburg", "population", "1845229"),
    ]
    periods = (
        LocalSource(open_dataset(store))
        .select(
            """PREFIX org: <http://www.w3.org/ns/org#> PREFIX time: <http://www.w3.org/2006/time#>
           PREFIX dcterms: <http://purl.org/dc/terms/>
           SELECT ?m ?start ?end ?source WHERE {
             ?m org:organization <https://w3id.org/citykg/id/green-cities> ;
             dcterms:source ?source ; org:memberDuring ?p .
             OPTIONAL { ?p time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth
                                              |time:inXSDgYear) ?start }
             OPTIONAL { ?p time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?end }
           } ORDER BY ?m"""
        )
        .rows
    )
    assert [
        (str(r["m"]).split("/")[-3], str(r["start"]), r["end"] and str(r["end"]), str(r["source"]))
        for r in periods
    ] == [
        ("copenhagen", "2005-10", None, "http://www.wikidata.org/entity/Q1748"),
        ("hamburg", "2010", "2020-06-15", "http://www.wikidata.org/entity/Q1055"),
    ]
    text = cache.read_text(encoding="utf-8")
    assert (
        "# complete: true\n# items: Q35 Q183 Q1055 Q1748 Q99999901\n# networks: Q99999901\n" in text
    )
    # Offline afterwards: a dead endpoint is never asked, and a build loads the cache alone.
    dead = f"http://127.0.0.1:{free_port()}/query"
    again = run("enrich", "--wikidata", dead, "--network", "green-cities", "--store", store, "-q")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[0] == f"Asked {dead} about 0 of 5 items; cache: {cache}."
    payload = json.loads(
        run("enrich", "--wikidata", dead, "--store", store, "--format", "json").stdout
    )
    assert (payload["cache"], payload["items"], payload["asked"]) == (str(cache), 5, 0)
    rebuilt = run("build", dataset, cache, "--store", store, "-q")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert facts(store)[0] == ("id:copenhagen", "altLabel", "København")
    # A refresh asks again and writes the same bytes for the same answers.
    assert (
        run(
            "enrich",
            "--wikidata",
            endpoint,
            "--network",
            "green-cities",
            "--refresh",
            "--store",
            store,
            "-q",
        ).exit_code
        == 0
    )
    assert cache.read_text(encoding="utf-8") == text


def test_partial_answer_is_kept_as_incomplete_and_finished_later(
    store: Path, dataset: Path, endpoint: str, fake: Callable[..., tuple[str, list[str]]], run: Run
) -> None:
    turtle = (
        b"<http://www.wikidata.org/entity/Q35> "
        b'<http://www.w3.org/2000/01/rdf-schema#label> "Denmark"@en .\n'
    )
    url, agents = fake(
        (200, {"Content-Type": "text/turtle"}, turtle, 0),
        (429, {"Retry-After": "30"}, b"slow down", 0),
    )
    result = run("enrich", "--wikidata", url, "--batch-size", "1", "--store", store, "-q")
    assert result.exit_code == 1
    cache = dataset / "wikidata-cache.ttl"
    assert result.stderr == (
        f"Error: {url}: the endpoint is limiting the rate of requests (HTTP 429). Wait 30 seconds "
        "and run "
        "'citykg enrich' again; the items fetched so far are kept. 1 of 5 batches are kept in "
        f"{cache}.\n"
    )
    assert agents[0].startswith(f"citykg/{__version__} (https://w3id.org/citykg; ")
    assert "# complete: false\n" in cache.read_text(encoding="utf-8")
    assert "# missing: Q183 Q1055 Q1748 Q99999901\n" in cache.read_text(encoding="utf-8")
    # The store was not rebuilt with a partial answer.
    assert [s["label"] for s in read_info(store).sources] == ["vocabulary", "wikidata-fixture"]
    result = run("enrich", "--wikidata", endpoint, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Asked {endpoint} about 4 of 5 items; cache: {cache}."
    assert "# complete: true\n" in cache.read_text(encoding="utf-8")


def test_endpoint_errors_are_one_line(
    store: Path, fake: Callable[..., tuple[str, list[str]]], run: Run
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/query"
    result = run("enrich", "--wikidata", dead, "--store", store, "-q")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {dead}: cannot reach the endpoint (Connection refused). "
        "Check the URL and your connection, or try again later.\n"
    )
    slow, _ = fake((200, {"Content-Type": "text/turtle"}, b"", 2))
    result = run("enrich", "--wikidata", slow, "--timeout", "1", "--store", store, "-q")
    assert result.stderr == (
        f"Error: {slow}: the endpoint did not answer within 1 seconds. Try again later, or give a "
        "longer --timeout.\n"
    )
    broken, _ = fake((500, {}, b"boom", 0))
    result = run("enrich", "--wikidata", broken, "--store", store, "-q")
    assert result.stderr == (
        f"Error: {broken}: the endpoint answered HTTP 500 (EndPointInternalError). Check the URL, "
        "or try again later.\n"
    )
    busy, _ = fake((503, {}, b"busy", 0))
    result = run("enrich", "--wikidata", busy, "--store", store, "-q")
    assert (
        result.stderr
        == f"Error: {busy}: the endpoint answered HTTP 503 (Service Unavailable). Check the URL, "
        "or try again later.\n"
    )
    html, _ = fake((200, {"Content-Type": "text/html"}, b"<html><body>Not SPARQL</body></html>", 0))
    result = run("enrich", "--wikidata", html, "--store", store, "-q")
    assert result.stderr.startswith(f"Error: {html}: the endpoint's answer is not Turtle (")
    assert read_info(store).sources[-1]["label"] == "wikidata-fixture"


def test_network_without_wikidata_id(store: Path, endpoint: str, run: Run) -> None:
    result = run(
        "enrich", "--wikidata", endpoint, "--network", "blue-cities", "--store", store, "-q"
    )
    assert result.stderr == (
        "Error: the network 'blue-cities' has no Wikidata ID. "
        "Add 'wikidata: Q...' to it in the dataset (only a verified ID), then build again.\n"
    )
    result = run(
        "enrich", "--wikidata", endpoint, "--network", "green-city", "--store", store, "-q"
    )
    assert result.stderr == "Error: unknown network 'green-city'. Did you mean 'green-cities'?\n"


def test_bad_cache_file(tmp_path: Path, dataset: Path, run: Run) -> None:
    cache = tmp_path / "wikidata-cache.ttl"
    cache.write_text("# endpoint: x\n\nthis is not turtle .\n")
    result = run("build", dataset, cache, "--store", tmp_path / "store", "-q")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {cache}")
    assert (
        "is not a valid cache (malformed Turtle). Run 'citykg enrich --refresh' to write it "
        "again.\n" in result.stderr
    )


def test_the_cache_goes_to_its_own_loader_before_a_general_rdf_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citykg.loaders import base

    class AnyTurtle:
        name = "aaa-turtle"
        description = "reads every .ttl file"

        def accepts(self, path: Path) -> bool:
            return path.suffix == ".ttl"

        def load(self, path: Path, context: base.LoadContext) -> list[base.LoadedSource]:
            return []

    base.loader_names()  # read the entry points before adding one by hand
    monkeypatch.setitem(base._registered, "aaa-turtle", AnyTurtle())
    cache = tmp_path / "wikidata-cache.ttl"
    cache.write_text("# complete: true\n")
    other = tmp_path / "partners.ttl"
    other.write_text("")
    assert base.find_loader(cache).name == "wikidata"
    assert base.find_loader(other).name == "aaa-turtle"


def test_an_endpoint_that_answers_nothing_never_completes_the_cache(
    store: Path, dataset: Path, fake: Callable[..., tuple[str, list[str]]], run: Run
) -> None:
    # A SPARQL endpoint that is not Wikidata's answers every question with an empty graph.
    url, _ = fake((200, {"Content-Type": "text/turtle"}, b"", 0))
    result = run("enrich", "--wikidata", url, "--store", store, "-q")
    assert result.exit_code == 1
    cache = dataset / "wikidata-cache.ttl"
    assert result.stderr == (
        f"Error: {url}: the endpoint answered nothing about 5 of 5 items (Q35 Q183 Q1055 Q1748 "
        "Q99999901). Check that it is a Wikidata endpoint; the answers are kept in "
        f"{cache}, marked incomplete, and the store is not rebuilt.\n"
    )
    text = cache.read_text(encoding="utf-8")
    assert "# complete: false\n" in text
    assert "# missing: Q35 Q183 Q1055 Q1748 Q99999901\n" in text
    assert [s["label"] for s in read_info(store).sources] == ["vocabulary", "wikidata-fixture"]


def test_the_cache_of_a_store_with_several_datasets(
    tmp_path: Path, dataset: Path, fake: Callable[..., tuple[str, list[str]]], run: Run
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "cities.yaml").write_text(
        "# Fictional test data.\ncities:\n  - {id: atlantis-test, label: Atlantis}\n",
        encoding="utf-8",
    )
    store = tmp_path / "two"
    assert run("build", dataset, other, "--store", store, "-q", "--no-validate").exit_code == 0
    url, agents = fake((200, {"Content-Type": "text/turtle"}, b"", 0))
    result = run("enrich", "--wikidata", url, "--store", store, "-q")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {store}: the store holds several datasets of your own ({dataset}, {other}): "
        "the cache could go beside any of them. Give --cache FILE.\n"
    )
    assert agents == []  # nothing was asked
    # With the built-in dataset beside one of your own, the cache goes beside yours.
    mixed = tmp_path / "mixed"
    built = run("build", builtin_dataset_path(), dataset, "--store", mixed, "-q", "--no-validate")
    assert built.exit_code == 0, built.output
    assert default_cache_path(mixed) == dataset / "wikidata-cache.ttl"
