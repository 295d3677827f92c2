"""Counts of what a citykg graph holds: by kind, or by the dataset or home it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset

from citykg.ontology.namespaces import CKG, DCAT, DCTERMS, ORG

__all__ = ["GROUPINGS", "Stats", "graph_stats", "source_stats"]

#: What ``citykg stats --by`` groups by.
GROUPINGS = ("kind", "dataset", "home")

_PREFIXES = (
    f"PREFIX ckg: <{CKG}>\nPREFIX org: <{ORG}>\nPREFIX dcat: <{DCAT}>\n"
    f"PREFIX dcterms: <{DCTERMS}>\n"
)
_KIND_COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x ckg:kind ?kind } GROUP BY ?kind
"""
_TYPE_COUNTS = """
SELECT ?name (COUNT(DISTINCT ?x) AS ?n) WHERE {
    VALUES (?name ?class) { ("membership" org:Membership) ("passage" ckg:Passage) }
    OPTIONAL { ?x a ?class }
} GROUP BY ?name
"""
# Entities by the datasets that state facts about them (ckg:inDataset); memberships by the
# dataset whose graph states them.
_SOURCE_COUNTS = """
SELECT %(group)s ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
    { ?x ckg:inDataset ?d ; ckg:kind ?kind }
    UNION
    { GRAPH ?g { ?x a org:Membership . ?d a dcat:Dataset } BIND("membership" AS ?kind) }
    OPTIONAL { ?d ckg:home/dcterms:identifier ?h }
    BIND(STRAFTER(STR(?d), "/dataset/") AS ?dataset)
    BIND(COALESCE(STR(?h), "") AS ?home)
} GROUP BY %(group)s ?kind
"""


@dataclass(frozen=True)
class Stats:
    """Entity counts by kind, with the triple and named-graph totals."""

    kinds: tuple[tuple[str, int], ...]
    triples: int
    graphs: tuple[tuple[str, int], ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "kinds": dict(self.kinds),
            "triples": self.triples,
            "graphs": dict(self.graphs),
        }


def graph_stats(dataset: Dataset) -> Stats:
    """Count entities by kind (city, network, project, ..., membership, passage).

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> dict(graph_stats(assemble(validate=False).dataset).kinds)["network"] > 0
    True
    """
    kinds: dict[str, int] = {}
    for query in (_KIND_COUNTS, _TYPE_COUNTS):
        for row in dataset.query(_PREFIXES + query):
            name, count = row  # type: ignore[misc]
            kinds[str(name)] = int(count)
    graphs = tuple(
        sorted(
            (str(g.identifier), len(g))
            for g in dataset.graphs()
            if str(g.identifier) != "urn:x-rdflib:default"
        )
    )
    return Stats(tuple(sorted(kinds.items())), len(dataset), graphs)


def source_stats(dataset: Dataset, by: str) -> list[tuple[str, ...]]:
    """Counts of entities (and memberships) per dataset or per home, by kind.

    ``by="dataset"`` gives rows ``(dataset, home, kind, count)``: an entity two datasets share
    counts in both. ``by="home"`` gives ``(home, kind, count)``, each entity once per home; a
    dataset without a home (the shared vocabulary) counts under the home ``""``.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> rows = source_stats(assemble(validate=False).dataset, "home")
    >>> ("copenhagen", "network", "5") in rows, ("", "country", "249") in rows
    (True, True)
    """
    if by not in ("dataset", "home"):
        raise ValueError(f"by must be 'dataset' or 'home', not {by!r}")
    group = "?dataset ?home" if by == "dataset" else "?home"
    rows: list[tuple[str, ...]] = []
    for row in dataset.query(_PREFIXES + _SOURCE_COUNTS % {"group": group}):
        values = row.asdict()  # type: ignore[union-attr]
        count = str(int(values["n"]))
        if by == "dataset":
            rows.append((str(values["dataset"]), str(values["home"]), str(values["kind"]), count))
        else:
            rows.append((str(values["home"]), str(values["kind"]), count))
    return sorted(rows, key=lambda r: (*r[:-1], int(r[-1])))
