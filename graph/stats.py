"""Counts of what a citykg graph holds."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset

from citykg.ontology.namespaces import CKG, ORG

__all__ = ["Stats", "graph_stats"]

_PREFIXES = f"PREFIX ckg: <{CKG}>\nPREFIX org: <{ORG}>\n"
_KIND_COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x ckg:kind ?kind } GROUP BY ?kind
"""
_TYPE_COUNTS = """
SELECT ?name (COUNT(DISTINCT ?x) AS ?n) WHERE {
    VALUES (?name ?class) { ("membership" org:Membership) ("passage" ckg:Passage) }
    OPTIONAL { ?x a ?class }
} GROUP BY ?name
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
