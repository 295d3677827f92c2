"""The local store answers through pyoxigraph directly: the same terms as through rdflib."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from citykg.queries.library import list_queries, prepare, resolve_params
from citykg.queries.sparql import LocalSource, plain
from tests.conftest import Run
from tests.test_query_errors import error, write

# Parameters without a default, filled with IDs of the built-in data.
NEEDED = {"entity": "c40", "a": "copenhagen", "b": "lisbon", "text": "climate"}


def through_rdflib(dataset: Dataset, text: str) -> list[dict[str, object]]:
    result = dataset.query(text)
    names = [str(v) for v in result.vars or []]
    return [{n: plain(row[i]) for i, n in enumerate(names)} for row in result]  # type: ignore[index]


def test_every_named_query_gives_rdflibs_terms(copenhagen: Dataset) -> None:
    source = LocalSource(copenhagen)
    assert source._direct is not None  # the store's Dataset takes the direct path
    compared = 0
    for query in list_queries():
        values = {p.name: NEEDED[p.name] for p in query.params if p.default is None}
        text = prepare(query.text, resolve_params(query, values, source)).text
        if query.form != "SELECT":
            continue
        direct = [dict(row) for row in source.select(text).rows]
        assert direct == through_rdflib(copenhagen, text), query.name
        compared += bool(direct)
    assert compared >= 15


def test_literal_kinds_and_unbound_values(copenhagen: Dataset) -> None:
    (row,) = (
        LocalSource(copenhagen)
        .select(
            'SELECT ?s ?l ?d ?n ?none WHERE { BIND("x" AS ?s) BIND("y"@da AS ?l) '
            "BIND(xsd:date('2024-01-02') AS ?d) BIND(3 AS ?n) OPTIONAL { <urn:nothing> <urn:p> ?none } }"
        )
        .rows
    )
    assert row == {
        "s": Literal("x"),
        "l": Literal("y", lang="da"),
        "d": Literal("2024-01-02", datatype=XSD.date),
        "n": Literal(3),
        "none": None,
    }
    assert row["s"].datatype is None  # type: ignore[union-attr]


def test_construct_through_the_direct_path(copenhagen: Dataset) -> None:
    graph = LocalSource(copenhagen).construct(
        "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s dcterms:identifier 'c40' ; rdfs:label ?l }"
    )
    assert isinstance(graph, Graph)
    assert set(graph) == {
        (
            URIRef("https://w3id.org/citykg/id/c40"),
            RDFS.label,
            Literal("C40 Cities Climate Leadership Group", lang="en"),
        )
    }


def test_triple_terms_are_refused_in_one_line(
    run: Run, copenhagen_store: Path, tmp_path: Path
) -> None:
    query = write(
        tmp_path / "star.rq", "SELECT ?t WHERE { BIND(<<( <urn:a> <urn:b> <urn:c> )>> AS ?t) }\n"
    )
    assert error(run, "query", "--file", query, "--store", copenhagen_store) == (
        "Error: the result holds an RDF 1.2 triple term, which rdflib cannot represent. "
        "Select the triple's subject, predicate and object instead."
    )
