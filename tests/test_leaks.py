"""Personal and internal data planted through every loader must come out of no public output.

Each loader gets its own marker (``ZZLEAK-<loader>-<what>``): the dataset format (a person, an
internal entity, an internal document and its text, a field marked internal, a hidden name and
its copies, contact data), member lists (CSV and XLSX) of an internal network, a strategy text
of an internal document, RDF files in every format with personal data in the vocabularies of
other tools (schema.org over http and https, vCard, FOAF, ORG posts, ``ckg:internal "true"``
and ``1``), and a Wikidata cache holding the item of an internal city.

The store built from all of them goes through every output: ``export`` in every format,
``map``, ``push``, ``serve``, and ``overlaps``/``analyze``/``assess`` as CSV and JSON. No marker
may be in a public output; every marker is in the ``--include-internal`` export, so that a
plant that never arrived cannot pass for a profile that works.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import click
import openpyxl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, XSD

from citykg.cli import main
from citykg.graph.build import build
from citykg.loaders.wikidata import CacheInfo, write_cache
from citykg.ontology.namespaces import CKG, ID, WD, WDT
from tests.conftest import Run
from tests.servers import free_port

PROTECTED = Path(__file__).parent / "fixtures" / "reliability" / "protected"
MARK = "ZZLEAK"
SCHEMA_HTTP = Namespace("http://schema.org/")
SCHEMA_HTTPS = Namespace("https://schema.org/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
#: RDF formats the loader reads, with their extensions and rdflib serialiser names.
RDF_FILES = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "jsonld": "json-ld", "rdf": "xml"}
RDF_FILES_QUADS = {"trig": "trig"}

PLANTS_YAML = f"""
# Planted for tests/test_leaks.py: every {MARK} string is internal or personal data.
documents:
  - id: secret-doc
    title: {MARK}-yaml-document-title
    internal: true
    sections:
      - {{id: s-secret, title: Secret Heading}}
themes:
  - {{id: zz-theme, label: {MARK}-yaml-theme-label, internal: [label]}}
persons:
  - id: zz-person
    name: {MARK}-yaml-person-name
    email: zzleak-yaml-person@secret.example
    post: {MARK}-yaml-person-post
    works_for: partner-org
    internal: true
cities:
  - id: porto
    label: Porto
    country: portugal
    email: zzleak-yaml-city-mail@secret.example
  - id: zz-city
    label: {MARK}-yaml-city-label
    country: portugal
    wikidata: Q99000001
    internal: true
networks:
  - id: zz-network
    label: {MARK}-yaml-network-label
    internal: true
    themes: [zz-theme]
memberships:
  - {{member: porto, organization: zz-network}}
"""

STRATEGY_TEXT = f"""Secret Heading

{MARK}-text-passage: the city negotiates a confidential agreement.
"""


def _plant_rdf(tag: str) -> Graph:
    """Personal data in the vocabularies of other tools, each value marked with ``tag``."""
    g = Graph()
    ex = Namespace(f"https://example.org/{tag}/")
    net = ID["net"]
    g.add((net, SCHEMA_HTTP.email, Literal(f"{MARK}-{tag}-schema-http-mail")))
    g.add((net, SCHEMA_HTTPS.telephone, Literal(f"{MARK}-{tag}-schema-https-phone")))
    g.add((net, VCARD.hasEmail, URIRef(f"mailto:{MARK}-{tag}-vcard@x.example")))
    g.add((net, FOAF.mbox, URIRef(f"mailto:{MARK}-{tag}-foaf@x.example")))
    point = BNode()
    g.add((net, SCHEMA_HTTP.contactPoint, point))
    g.add((point, SCHEMA_HTTP.areaServed, Literal(f"{MARK}-{tag}-contact-point")))
    for person, cls in (
        (ex.p1, SCHEMA_HTTP.Person),
        (ex.p2, SCHEMA_HTTPS.Person),
        (ex.p3, VCARD.Individual),
        (ex.p4, FOAF.Person),
    ):
        g.add((person, RDF.type, cls))
        g.add((person, RDFS.label, Literal(f"{MARK}-{tag}-person-{person.rsplit('/', 1)[1]}")))
    g.add((ex.post, RDF.type, ORG.Post))
    g.add((ex.post, RDFS.label, Literal(f"{MARK}-{tag}-org-post")))
    held = BNode()
    g.add((ID["copenhagen"], ORG.holds, held))
    g.add((held, RDFS.label, Literal(f"{MARK}-{tag}-untyped-post")))
    for name, flag in (
        ("string", Literal("true")),
        ("integer", Literal(1)),
        ("one", Literal("1", datatype=XSD.boolean)),
    ):
        g.add((ex[name], RDFS.label, Literal(f"{MARK}-{tag}-internal-{name}")))
        g.add((ex[name], CKG.internal, flag))
    return g


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the protected fixture and a plant through every loader."""
    folder = tmp_path_factory.mktemp("leaks")
    data = folder / "data"
    shutil.copytree(PROTECTED, data)
    (data / "plants.yaml").write_text(PLANTS_YAML, encoding="utf-8")
    sources: list[Path] = [data]
    # Member lists of an internal network: the memberships, and the cities only they name.
    members = folder / "members-list.csv"
    members.write_text(
        "# network: secret-network\n# source_url: https://zzleak-members-csv.example/list\n"
        f"name\nCopenhagen\n{MARK}-members-csv-city\n",
        encoding="utf-8",
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["name"], ["Lisbon"], [f"{MARK}-members-xlsx-city"]):
        sheet.append(row)
    workbook.save(folder / "members-book.xlsx")
    (folder / "members-book.xlsx.yaml").write_text(
        "network: secret-network\nsource_url: https://zzleak-members-xlsx.example/list\n",
        encoding="utf-8",
    )
    sources += [members, folder / "members-book.xlsx"]
    # The text of an internal document.
    text = folder / "secret.txt"
    text.write_text(STRATEGY_TEXT, encoding="utf-8")
    sources.append(text)
    # RDF in every format.
    for suffix, fmt in {**RDF_FILES, **RDF_FILES_QUADS}.items():
        path = folder / f"plant-{suffix}.{suffix}"
        graph = _plant_rdf(f"rdf-{suffix}")
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            dataset = Dataset()
            named = dataset.graph(URIRef(f"https://example.org/graph/{suffix}"))
            for triple in graph:
                named.add(triple)
            path.write_text(dataset.serialize(format=fmt), encoding="utf-8")
        else:
            path.write_text(graph.serialize(format=fmt), encoding="utf-8")
        sources.append(path)
    # A Wikidata cache with the item of the internal city (as a cache from before the city
    # was marked internal would hold it).
    cache = folder / "wikidata-cache.ttl"
    item = WD["Q99000001"]
    wikidata = Graph()
    wikidata.add((item, RDFS.label, Literal(f"{MARK}-wikidata-label", lang="en")))
    wikidata.add((item, WDT.P856, URIRef("https://zzleak-wikidata.example/")))
    wikidata.add((item, WDT.P625, Literal("Point(12.5 55.6)")))
    wikidata.add((item, WDT.P1082, Literal(4242424)))
    write_cache(
        cache, wikidata, CacheInfo(endpoint="test", retrieved="2025-01-01", items=["Q99000001"])
    )
    sources.append(cache)
    store = folder / "store"
    build(
        store,
        sources,
        validate=False,
        source_options={
            str(text): {"loader": "text", "document": "secret-doc"},
            str(cache): {"loader": "wikidata"},
        },
    )
    return store


def _markers(text: str) -> list[str]:
    found = []
    start = text.find(MARK)
    while start >= 0:
        end = start
        while end < len(text) and (text[end].isalnum() or text[end] in "-_"):
            end += 1
        found.append(text[start:end])
        start = text.find(MARK, end)
    # The members' source URLs and the wikidata website have the marker in lower case.
    found += [w for w in ("zzleak-members-csv", "zzleak-members-xlsx", "zzleak-wikidata",
                          "zzleak-yaml-person", "zzleak-yaml-city-mail") if w in text]  # fmt: skip
    return sorted(set(found))


#: Every marker the plant holds: the internal export must show each of them.
EXPECTED = sorted(
    {
        f"{MARK}-yaml-document-title",
        f"{MARK}-yaml-theme-label",
        f"{MARK}-yaml-person-name",
        f"{MARK}-yaml-person-post",
        f"{MARK}-yaml-city-label",
        f"{MARK}-yaml-network-label",
        f"{MARK}-members-csv-city",
        f"{MARK}-members-xlsx-city",
        f"{MARK}-text-passage",
        f"{MARK}-wikidata-label",
        "zzleak-members-csv",
        "zzleak-members-xlsx",
        "zzleak-wikidata",
        "zzleak-yaml-person",
        "zzleak-yaml-city-mail",
    }
    | {
        f"{MARK}-rdf-{suffix}-{what}"
        for suffix in (*RDF_FILES, *RDF_FILES_QUADS)
        for what in (
            "schema-http-mail",
            "schema-https-phone",
            "vcard",
            "foaf",
            "contact-point",
            "person-p1",
            "person-p2",
            "person-p3",
            "person-p4",
            "org-post",
            "untyped-post",
            "internal-string",
            "internal-integer",
            "internal-one",
        )
    }
)


def _written(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()
    )


def _export_formats() -> list[str]:
    command = main.commands["export"]
    option = next(p for p in command.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    return sorted(str(c) for c in option.type.choices)


def test_every_plant_arrived(run: Run, planted: Path) -> None:
    result = run("export", "--store", planted, "--format", "nt", "--include-internal")
    assert result.exit_code == 0, result.stderr
    assert _markers(result.stdout) == EXPECTED


@pytest.mark.parametrize("fmt", _export_formats())
def test_no_export_format_lets_a_plant_out(
    run: Run, planted: Path, tmp_path: Path, fmt: str
) -> None:
    result = run("export", "--store", planted, "--format", fmt, "-o", tmp_path / f"out.{fmt}")
    assert result.exit_code == 0, result.stderr
    text = _written(tmp_path)
    assert "A City Network" in text
    assert _markers(text) == []


def test_the_map_lets_no_plant_out(run: Run, planted: Path, tmp_path: Path) -> None:
    result = run("map", "--store", planted, "-o", tmp_path / "map.html")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "A City Network" in text
    assert _markers(text) == []


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_briefs_and_the_timeline_let_no_plant_out(
    run: Run, planted: Path, tmp_path: Path, fmt: str
) -> None:
    result = run("brief", "--all", "--store", planted, "--format", fmt, "-o", tmp_path / "all")
    assert result.exit_code == 0, result.stderr
    for city in ("lisbon", "porto", "zz-city"):
        result = run(
            "brief", city, "--store", planted, "--format", fmt, "-o", tmp_path / f"{city}.{fmt}"
        )
        assert result.exit_code == 0, result.stderr
    result = run("timeline", "--store", planted, "-o", tmp_path / "timeline.html")
    assert result.exit_code == 0, result.stderr
    text = _written(tmp_path)
    assert "Lisbon" in text
    assert _markers(text) == []


ANALYSES = [
    ("overlaps", "--all-pairs"),
    ("overlaps", "copenhagen"),
    ("overlaps", "--networks"),
    ("analyze", "centrality"),
    ("analyze", "communities"),
    ("analyze", "brokers"),
    ("analyze", "themes"),
    ("analyze", "themes", "--unlinked"),
]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", ANALYSES, ids=[" ".join(c) for c in ANALYSES])
def test_no_analysis_lets_a_plant_out(
    run: Run, planted: Path, command: tuple[str, ...], fmt: str
) -> None:
    result = run(*command, "--store", planted, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert _markers(result.stdout) == []
    internal = run(*command, "--store", planted, "--format", fmt, "--include-internal")
    assert internal.exit_code == 0, internal.stderr
    assert internal.stderr.startswith("Warning: --include-internal")


def test_the_analyses_see_the_plants_with_include_internal(run: Run, planted: Path) -> None:
    # So that the tests above can fail: the internal network's member is in the full report.
    result = run("overlaps", "--all-pairs", "--store", planted, "--format", "csv")
    assert "MARK" not in result.stdout
    internal = run(
        "analyze", "centrality", "--store", planted, "--format", "csv", "--include-internal"
    )
    assert f"{MARK}-yaml-network-label" in internal.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("city", ["porto", "lisbon", "zz-city"])
def test_assess_lets_no_plant_out(run: Run, planted: Path, fmt: str, city: str) -> None:
    result = run(
        "assess", "--store", planted, "--city", city, "--theme", "climate", "--format", fmt
    )
    assert result.exit_code == 0, result.stderr
    assert _markers(result.stdout) == []


class _GraphStore(BaseHTTPRequestHandler):
    received: ClassVar[list[bytes]] = []

    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def do_PUT(self) -> None:
        self.received.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


def test_push_lets_no_plant_out(run: Run, planted: Path) -> None:
    received: list[bytes] = []
    handler = type("Handler", (_GraphStore,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        result = run("push", "--graph-store", url, "--store", planted, "-q")
        assert result.exit_code == 0, result.stderr
    finally:
        server.shutdown()
        server.server_close()
    sent = b"".join(received).decode("utf-8")
    assert "A City Network" in sent
    assert _markers(sent) == []


@contextlib.contextmanager
def _serving(store: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "citykg", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("SPARQL endpoint")
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.server
def test_serve_lets_no_plant_out(planted: Path) -> None:
    with _serving(planted) as url:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": "application/n-triples"},
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    text = answer.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
    assert "A City Network" in text
    assert _markers(text) == []


def test_the_profile_reads_the_internal_mark_in_any_form() -> None:
    from citykg.graph.profile import public_profile

    g = Graph()
    values = {
        "boolean": Literal(True),
        "string": Literal("true"),
        "integer": Literal(1),
        "typed-one": Literal("1", datatype=XSD.boolean),
        "yes": Literal("yes"),
        "iri": URIRef("https://example.org/yes"),
        "false": Literal(False),
        "string-false": Literal("false"),
        "zero": Literal(0),
    }
    for name, value in values.items():
        g.add((ID[name], CKG.internal, value))
    internal = public_profile(g).internal
    assert sorted(str(n).rsplit("/", 1)[1] for n in internal) == sorted(
        ["boolean", "string", "integer", "typed-one", "yes", "iri"]
    )


def test_a_hidden_name_hides_its_copies_and_search_keys(run: Run, tmp_path: Path) -> None:
    # internal: [label] on a theme hid rdfs:label but not its skos:prefLabel copy.
    data = tmp_path / "data"
    shutil.copytree(PROTECTED, data)
    (data / "names.yaml").write_text(
        "themes:\n"
        f"  - {{id: t1, label: {MARK}-label, alt_labels: [{MARK}-alt], internal: [label]}}\n"
        f"  - {{id: t2, label: Public Theme, alt_labels: [{MARK}-only-alt], "
        "internal: [alt_labels]}\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    build(store, [data], validate=False)
    public = run("export", "--store", store, "--format", "nt").stdout
    assert MARK not in public and "zzleak" not in public
    assert '"Public Theme"@en' in public
    assert '"public theme"' in public  # the search key of the public name stays
    everything = run("export", "--store", store, "--format", "nt", "--include-internal").stdout
    assert 'skos/core#prefLabel> "ZZLEAK-label"@en' in everything
    assert '"zzleak-only-alt"' in everything  # the hidden alternative name's search key


def test_enrich_never_asks_about_an_internal_entity(run: Run, tmp_path: Path) -> None:
    # The endpoint records every query it is sent; the internal city's QID must not be in any.
    sent: list[str] = []

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            sent.append(urllib.parse.unquote_plus(body.decode("utf-8")))
            # An answer about the item asked: one that says nothing leaves the cache incomplete.
            answer = (
                b"<http://www.wikidata.org/entity/Q1748> "
                b'<http://www.w3.org/2000/01/rdf-schema#label> "Open City"@en .\n'
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            return None

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text(
        "cities:\n"
        "  - {id: open-city, label: Open City, wikidata: Q1748}\n"
        "  - {id: closed-city, label: Closed City, wikidata: Q99000002, internal: true}\n"
        "networks:\n"
        "  - {id: closed-net, label: Closed Net, wikidata: Q99000003, internal: true,\n"
        "     evidence: [{source: 'https://example.org/closed-net'}]}\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    build(store, [data], validate=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        cache = tmp_path / "cache.ttl"
        result = run("enrich", "--store", store, "--wikidata", url, "--cache", cache, "-q")
        assert result.exit_code == 0, result.stderr
        assert sent and "Q1748" in "".join(sent)
        assert "Q99000002" not in "".join(sent) and "Q99000003" not in "".join(sent)
        result = run(
            "enrich", "--store", store, "--wikidata", url, "--cache", cache, "-q",
            "--network", "closed-net",
        )  # fmt: skip
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: the network 'closed-net' is internal. Enrichment never asks an endpoint "
            "about internal entities; leave it out of --network.\n"
        )
    finally:
        server.shutdown()
        server.server_close()
    assert json.dumps(sent).count("Q99000002") == 0
