"""Wikidata enrichment: ask an endpoint, keep the answers in a cache file, load them offline.

:func:`fetch` asks a SPARQL endpoint (Wikidata's by default) about items, in Wikidata's own
shape (``wd:``/``wdt:``/``p:``/``ps:``/``pq:``): English and local labels, coordinates (P625),
population (P1082), country (P17), inception (P571), official website (P856) and, for
networks, the memberships (P463 with P580/P582 qualifiers). :func:`write_cache` keeps them in a
Turtle file whose header says what was asked and whether the answer is complete;
:class:`WikidataLoader` loads that file: the Wikidata triples as they are, plus the citykg
facts the dataset lacks (coordinates, population, country, website, local names, memberships).
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import urllib.error
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node
from SPARQLWrapper import POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from citykg import __version__
from citykg.errors import DataError, EndpointError, LoaderError
from citykg.files import read_input
from citykg.loaders.base import LoadContext, LoadedSource, source_graph_iri
from citykg.loaders.common import TIME_PROPERTY
from citykg.ontology.namespaces import CKG, ID, POS, SCHEMA, WD, WDT

__all__ = [
    "CACHE_NAME",
    "USER_AGENT",
    "WIKIDATA_ENDPOINT",
    "CacheInfo",
    "Linked",
    "WikidataLoader",
    "fetch",
    "linked_entities",
    "load_cache",
    "read_cache",
    "today",
    "write_cache",
]

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
#: Wikimedia's policy asks every client for a User-Agent naming the tool and how to reach it.
USER_AGENT = (
    f"citykg/{__version__} (https://w3id.org/citykg; city networks graph) SPARQLWrapper/2.0"
)
CACHE_NAME = "wikidata-cache.ttl"

P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
QID = re.compile(r"^Q[1-9][0-9]*$")

_ITEMS_QUERY = """
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?item rdfs:label ?en , ?local ; wdt:P625 ?coordinates ; wdt:P1082 ?population ; wdt:P17 ?country ;
        wdt:P571 ?inception ; wdt:P856 ?website .
}
WHERE {
  VALUES ?item { %s }
  OPTIONAL { ?item rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL {
    # The official languages of the item's country, or of the item if it is a country.
    ?item wdt:P17?/wdt:P37/wdt:P424 ?code .
    ?item rdfs:label ?local FILTER(LANG(?local) = ?code)
  }
  OPTIONAL { ?item wdt:P625 ?coordinates }
  OPTIONAL { ?item wdt:P1082 ?population }
  OPTIONAL { ?item wdt:P17 ?country }
  OPTIONAL { ?item wdt:P571 ?inception }
  OPTIONAL { ?item wdt:P856 ?website }
}"""

_MEMBERS_QUERY = """
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?member p:P463 ?statement ; rdfs:label ?label .
  ?statement ps:P463 ?network ; pq:P580 ?start ; pq:P582 ?end .
}
WHERE {
  VALUES ?network { %s }
  ?member p:P463 ?statement . ?statement ps:P463 ?network .
  OPTIONAL { ?statement pq:P580 ?start }
  OPTIONAL { ?statement pq:P582 ?end }
  OPTIONAL { ?member rdfs:label ?label FILTER(LANG(?label) = "en") }
}"""


# --- Asking --------------------------------------------------------------------------------------


def _values(qids: Iterable[str]) -> str:
    # Terms serialised by rdflib: a QID is checked against its pattern before it gets here.
    return " ".join(WD[q].n3() for q in qids)


def _ask(endpoint: str, query: str, timeout: float) -> Graph:
    """Run one CONSTRUCT query; every way it can fail becomes one :class:`EndpointError`."""
    sparql = SPARQLWrapper(endpoint, agent=USER_AGENT)
    sparql.setMethod(POST)
    sparql.setReturnFormat(TURTLE)
    sparql.setTimeout(int(max(1, timeout)))
    sparql.setQuery(query)
    try:
        response = sparql.query().response
        body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 429:
            wait = exc.headers.get("Retry-After") if exc.headers else None
            when = f"Wait {wait} seconds" if wait and wait.isdigit() else "Wait a minute"
            raise EndpointError(
                "the endpoint is limiting the rate of requests (HTTP 429)",
                f"{when} and run 'citykg enrich' again; the items fetched so far are kept.",
                file=endpoint,
            ) from None
        raise EndpointError(
            f"the endpoint answered HTTP {exc.code} ({exc.reason})",
            "Check the URL, or try again later.",
            file=endpoint,
        ) from None
    except SPARQLWrapperException as exc:
        # SPARQLWrapper turns HTTP 400, 401, 404, 414 and 500 into its own exceptions.
        what = type(exc).__name__
        codes = {
            "QueryBadFormed": 400,
            "Unauthorized": 401,
            "EndPointNotFound": 404,
            "URITooLong": 414,
            "EndPointInternalError": 500,
        }
        raise EndpointError(
            f"the endpoint answered HTTP {codes.get(what, '?')} ({what})",
            "Check the URL, or try again later.",
            file=endpoint,
        ) from None
    except TimeoutError:
        raise EndpointError(
            f"the endpoint did not answer within {timeout:g} seconds",
            "Try again later, or give a longer --timeout.",
            file=endpoint,
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise EndpointError(
                f"the endpoint did not answer within {timeout:g} seconds",
                "Try again later, or give a longer --timeout.",
                file=endpoint,
            ) from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise EndpointError(
            f"cannot reach the endpoint ({text})",
            "Check the URL and your connection, or try again later.",
            file=endpoint,
        ) from None
    except (http.client.HTTPException, OSError) as exc:
        raise EndpointError(
            f"the connection to the endpoint failed ({exc})", "Try again later.", file=endpoint
        ) from None
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for malformed input
        raise EndpointError(
            f"the endpoint's answer is not Turtle ({type(exc).__name__})",
            "Check that the URL is a SPARQL endpoint.",
            file=endpoint,
        ) from None
    return graph


def fetch(
    items: Sequence[str],
    networks: Sequence[str] = (),
    *,
    endpoint: str = WIKIDATA_ENDPOINT,
    timeout: float = 60,
    batch_size: int = 50,
    into: Graph | None = None,
) -> Graph:
    """Ask ``endpoint`` about ``items`` (QIDs) and the members of ``networks`` (QIDs).

    Answers are added to ``into`` batch by batch, so that after an :class:`EndpointError` it
    holds every batch that was answered (the caller decides what is complete).
    """
    graph = into if into is not None else Graph()
    for qid in (*items, *networks):
        if not QID.match(qid):
            raise LoaderError(f"'{qid}' is not a Wikidata ID", "Write it like Q1748.")
    batches = [(_ITEMS_QUERY, items[i : i + batch_size]) for i in range(0, len(items), batch_size)]
    batches += [
        (_MEMBERS_QUERY, networks[i : i + batch_size]) for i in range(0, len(networks), batch_size)
    ]
    for template, batch in batches:
        for triple in _ask(endpoint, template % _values(batch), timeout):
            graph.add(triple)
    return graph


# --- The cache file ------------------------------------------------------------------------------


@dataclass
class CacheInfo:
    """The header of a cache file: where from, when, what was asked, what is still missing."""

    endpoint: str = WIKIDATA_ENDPOINT
    retrieved: str = ""
    items: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def _qid_sort(qid: str) -> tuple[int, str]:
    return (int(qid[1:]) if QID.match(qid) else 0, qid)


def write_cache(path: Path, graph: Graph, info: CacheInfo) -> None:
    """Write ``graph`` as Turtle with a header of ``info``, atomically and reproducibly."""
    from citykg.ontology import bind_prefixes

    out = bind_prefixes(Graph())
    for prefix, namespace in (("p", P), ("ps", PS), ("pq", PQ), ("geo", GEO)):
        out.bind(prefix, namespace)
    for triple in graph:
        out.add(triple)
    header = [
        "# Wikidata answers kept by 'citykg enrich'. Later builds load this file offline;",
        "# 'citykg enrich --refresh' asks again. Do not edit: the next refresh overwrites it.",
        f"# endpoint: {info.endpoint}",
        f"# retrieved: {info.retrieved}",
        f"# complete: {'true' if info.complete else 'false'}",
        f"# items: {' '.join(sorted(set(info.items), key=_qid_sort))}",
        f"# networks: {' '.join(sorted(set(info.networks), key=_qid_sort))}",
        f"# missing: {' '.join(sorted(set(info.missing), key=_qid_sort))}",
    ]
    body = out.serialize(format="turtle")
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise LoaderError(
            f"cannot write the cache ({exc.strerror})", "Choose a writable --cache path.", file=path
        ) from None


def read_cache(path: Path) -> tuple[Graph, CacheInfo]:
    """Read a cache file written by :func:`write_cache`."""
    try:
        text = read_input(path).decode("utf-8")
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror})", "Check the path.", file=path) from None
    except UnicodeDecodeError:
        raise DataError(
            "is not UTF-8 text", "Run 'citykg enrich --refresh' to write it again.", file=path
        ) from None
    info = CacheInfo()
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "endpoint":
            info.endpoint = value
        elif key == "retrieved":
            info.retrieved = value
        elif key in ("items", "networks", "missing"):
            setattr(info, key, value.split())
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib's parser errors have no common base class
        where = re.search(r"line (\d+)", str(exc))
        raise DataError(
            "is not a valid cache (malformed Turtle)",
            "Run 'citykg enrich --refresh' to write it again.",
            file=path,
            line=int(where.group(1)) if where else None,
        ) from None
    return graph, info


# --- Loading -------------------------------------------------------------------------------------

_LINKS_QUERY = """
PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?kind ?wd ?place WHERE {
  { ?e ckg:kind "city" ; schema:location ?place . ?place skos:exactMatch ?wd .
    BIND("city" AS ?kind) }
  UNION { ?e owl:sameAs ?wd ; ckg:kind ?kind }
  UNION { ?e ckg:kind "country" ; skos:exactMatch ?wd . BIND("country" AS ?kind) }
  FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/Q"))
}"""


@dataclass(frozen=True)
class Linked:
    """A citykg entity that has a Wikidata ID, and its place (for a city)."""

    entity: URIRef
    kind: str
    place: URIRef | None


def linked_entities(graph: Graph) -> dict[str, list[Linked]]:
    """QID -> the citykg entities that point to it (cities through their place)."""
    found: dict[str, set[Linked]] = {}
    for entity, kind, wd, place in graph.query(_LINKS_QUERY):  # type: ignore[misc]
        qid = str(wd).rsplit("/", 1)[-1]
        found.setdefault(qid, set()).add(
            Linked(URIRef(str(entity)), str(kind), URIRef(str(place)) if place else None)
        )
    return {
        qid: sorted(links, key=lambda link: str(link.entity))
        for qid, links in sorted(found.items())
    }


def _literals(graph: Graph, subject: Node, predicate: URIRef) -> list[Literal]:
    """The literal values of ``predicate`` on ``subject``, sorted (for reproducible choices)."""
    return sorted(o for o in graph.objects(subject, predicate) if isinstance(o, Literal))


def _wikidata_date(value: Literal) -> Literal | None:
    """A Wikidata dateTime as the coarsest date it plausibly means.

    Truthy claims lose their precision: a year is stored as 1 January, a month as its first day.
    """
    match = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        return None
    year, month, day = match.groups()
    if month == "01" and day == "01":
        return Literal(year, datatype=XSD.gYear)
    if day == "01":
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(f"{year}-{month}-{day}", datatype=XSD.date)


def _point(value: Literal) -> tuple[Decimal, Decimal] | None:
    match = re.match(r"^\s*Point\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*$", str(value))
    if not match:
        return None
    try:
        long, lat = Decimal(match.group(1)), Decimal(match.group(2))
    except InvalidOperation:
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None
    return lat.quantize(Decimal("0.000001")), long.quantize(Decimal("0.000001"))


_FILLED = (POS.lat, POS.long, CKG.population, CKG.country, SCHEMA.foundingDate, FOAF.homepage)


class _Known:
    """What the graph loaded so far says about the facts enrichment may fill in.

    Read with two SPARQL queries: the Oxigraph-backed Dataset answers those fast, where
    triple-pattern calls on it go through rdflib's slower (and deprecated) context code.
    """

    def __init__(self, graph: Graph) -> None:
        values = " ".join(p.n3() for p in _FILLED)
        rows = graph.query(f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}")
        self.filled = {(URIRef(str(s)), URIRef(str(p))) for s, p in rows}  # type: ignore[misc]
        self.names: dict[URIRef, set[str]] = {}
        query = (
            "SELECT ?e ?n WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label>"
            "|<http://www.w3.org/2004/02/skos/core#altLabel> ?n }"
        )
        for entity, name in graph.query(query):  # type: ignore[misc]
            self.names.setdefault(URIRef(str(entity)), set()).add(str(name))

    def has(self, subject: URIRef, predicate: URIRef) -> bool:
        return (subject, predicate) in self.filled


def load_cache(path: Path, context: LoadContext | None = None) -> LoadedSource:
    """Load a Wikidata cache: its triples as they are, and the citykg facts the graph lacks.

    Examples
    --------
    >>> import tempfile
    >>> cache = Path(tempfile.mkdtemp()) / CACHE_NAME
    >>> write_cache(cache, Graph(), CacheInfo(items=["Q1748"], missing=["Q1748"]))
    >>> print(load_cache(cache).report[0])  # doctest: +ELLIPSIS
    wikidata-cache.ttl: 0 of 1 item answered, 0 facts added; incomplete (1 item not fetched ...
    """
    context = context or LoadContext()
    if not path.is_file():
        raise LoaderError("no such cache file", "Run 'citykg enrich' to write it.", file=path)
    wikidata, info = read_cache(path)
    known = context.graph
    graph = Graph()
    for triple in wikidata:
        graph.add(triple)
    links = linked_entities(known)
    facts = _Known(known)
    countries = {
        qid: link.entity for qid, ls in links.items() for link in ls if link.kind == "country"
    }
    added = 0

    def add(s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        nonlocal added
        if (s, p, o) not in graph:
            graph.add((s, p, o))
            added += 1

    answered = {
        str(s).rsplit("/", 1)[-1] for s in wikidata.subjects() if str(s).startswith(str(WD))
    }
    for qid, entities in links.items():
        item = WD[qid]
        for link in entities:
            target = link.place or link.entity
            names = set(facts.names.get(link.entity, ()))
            for label in _literals(wikidata, item, RDFS.label):
                if str(label) not in names:
                    add(link.entity, SKOS.altLabel, label)
                    names.add(str(label))
            if link.kind == "city":
                point = next(
                    (_point(v) for v in _literals(wikidata, item, WDT.P625) if _point(v)), None
                )
                if point and not facts.has(target, POS.lat) and not facts.has(target, POS.long):
                    add(target, POS.lat, Literal(point[0], datatype=XSD.decimal))
                    add(target, POS.long, Literal(point[1], datatype=XSD.decimal))
                population = max(
                    (v for v in wikidata.objects(item, WDT.P1082)),
                    default=None,
                    key=lambda v: Decimal(str(v)),
                )
                if population is not None and not facts.has(target, CKG.population):
                    add(
                        target,
                        CKG.population,
                        Literal(int(Decimal(str(population))), datatype=XSD.integer),
                    )
            if link.kind in ("city", "region", "organisation"):
                wd_countries = sorted(
                    str(c).rsplit("/", 1)[-1] for c in wikidata.objects(item, WDT.P17)
                )
                mapped = sorted({countries[c] for c in wd_countries if c in countries})
                if len(mapped) == 1 and not facts.has(link.entity, CKG.country):
                    add(link.entity, CKG.country, mapped[0])
                    if link.place is not None and not facts.has(link.place, CKG.country):
                        add(link.place, CKG.country, mapped[0])
            if link.kind == "network" and not facts.has(link.entity, SCHEMA.foundingDate):
                dates = sorted(
                    d
                    for v in _literals(wikidata, item, WDT.P571)
                    if (d := _wikidata_date(v)) is not None
                )
                if dates:
                    add(link.entity, SCHEMA.foundingDate, dates[0])
            websites = sorted(w for w in wikidata.objects(item, WDT.P856) if isinstance(w, URIRef))
            if websites and not facts.has(link.entity, FOAF.homepage) and link.kind != "country":
                add(link.entity, FOAF.homepage, websites[0])
    memberships, skipped = _memberships(wikidata, links, known, graph)
    added += memberships
    asked = len(set(info.items))
    got = len(answered & set(info.items))
    note = f"{path.name}: {got} of {_count(asked, 'item')} answered, {_count(added, 'fact')} added"
    if memberships or skipped:
        others = _count(skipped, "member") + " of networks on Wikidata not in the graph"
        note += f" ({_count(memberships, 'membership')}; {others})"
    note += "."
    if not info.complete:
        missing = _count(len(info.missing), "item")
        note = (
            note[:-1]
            + f"; incomplete ({missing} not fetched yet). Run 'citykg enrich' to fetch them."
        )
    return LoadedSource(
        name=source_graph_iri("wikidata"),
        label="wikidata",
        path=str(path),
        loader=WikidataLoader.name,
        graph=graph,
        report=[note],
    )


def _memberships(
    wikidata: Graph, links: dict[str, list[Linked]], known: Graph, graph: Graph
) -> tuple[int, int]:
    """Add an org:Membership for each P463 statement between two entities of the graph."""
    actors = {
        q: ls[0].entity
        for q, ls in links.items()
        if ls[0].kind in ("city", "region", "organisation", "administration")
    }
    networks = {
        q: ls[0].entity
        for q, ls in links.items()
        if ls[0].kind in ("network", "project", "programme", "organisation")
    }
    rows = known.query(
        "SELECT ?m ?o WHERE { ?x <http://www.w3.org/ns/org#member> ?m ; "
        "<http://www.w3.org/ns/org#organization> ?o }"
    )
    existing = {(URIRef(str(m)), URIRef(str(o))) for m, o in rows}  # type: ignore[misc]
    added = skipped = 0
    for member_item, statement in sorted(wikidata.subject_objects(P.P463)):
        network_item = wikidata.value(statement, PS.P463)
        if network_item is None:
            continue
        network = networks.get(str(network_item).rsplit("/", 1)[-1])
        member = actors.get(str(member_item).rsplit("/", 1)[-1])
        if network is None:
            continue
        if member is None:
            skipped += 1
            continue
        if (member, network) in existing:
            continue
        ids = [str(i)[len(str(ID)) :] for i in (member, network)]
        short = f"membership/{ids[0]}/{ids[1]}/member"
        node = ID[short]
        graph.add((node, RDF.type, ORG.Membership))
        graph.add((node, DCTERMS.identifier, Literal(short)))
        graph.add((node, ORG.member, member))
        graph.add((node, ORG.organization, network))
        graph.add((node, ORG.role, ID["member"]))
        graph.add((node, RDFS.label, Literal(f"{ids[0]} in {ids[1]} (member)", lang="en")))
        graph.add((node, DCTERMS.source, URIRef(str(member_item))))
        # Wikidata's member list is a public list: listed, as the dataset loader derives it.
        graph.add((node, CKG.status, CKG.listed))
        start = next(
            (d for v in _literals(wikidata, statement, PQ.P580) if (d := _wikidata_date(v))),
            None,
        )
        end = next(
            (d for v in _literals(wikidata, statement, PQ.P582) if (d := _wikidata_date(v))),
            None,
        )
        if start is not None or end is not None:
            period = URIRef(f"{node}/period")
            graph.add((node, ORG.memberDuring, period))
            graph.add((period, RDF.type, TIME.Interval))
            for value, predicate, suffix in (
                (start, TIME.hasBeginning, "start"),
                (end, TIME.hasEnd, "end"),
            ):
                if value is not None and value.datatype is not None:
                    instant = URIRef(f"{period}/{suffix}")
                    graph.add((period, predicate, instant))
                    graph.add((instant, RDF.type, TIME.Instant))
                    graph.add((instant, TIME_PROPERTY[value.datatype], value))
        added += 1
    return added, skipped


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def today() -> str:
    """Today's date in UTC, for a cache's header."""
    return dt.datetime.now(dt.UTC).date().isoformat()


class WikidataLoader:
    """Loads a Wikidata cache file written by ``citykg enrich`` (``wikidata-cache*.ttl``)."""

    name = "wikidata"
    description = "Wikidata answers kept by 'citykg enrich' (wikidata-cache.ttl)"
    #: Matches names against what the other sources loaded: runs after them.
    reads_graph = True
    #: Asked before a general RDF loader, which would read the cache as plain Turtle.
    specific = True

    def accepts(self, path: Path) -> bool:
        return path.is_file() and path.name.startswith("wikidata-cache") and path.suffix == ".ttl"

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]:
        return [load_cache(path, context)]
