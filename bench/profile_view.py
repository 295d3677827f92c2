"""How long the public profile takes: pyoxigraph's own terms against rdflib term by term.

    python bench/profile_view.py [TRIPLES]

Builds a synthetic graph of TRIPLES statements (default 1,000,000) in an in-memory Oxigraph
store, 1 % of its entities marked internal, and times :func:`public_view` on it (the path for
stores, which filters pyoxigraph quads) and on the same data in rdflib's memory store (the
generic path, term by term through rdflib). Prints both and their ratio, measured in one run.
"""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from citykg.graph.profile import public_profile, public_view

ID = "https://w3id.org/citykg/id/"
CKG = "https://w3id.org/citykg/ontology#"


def synthetic(triples: int) -> ox.Store:
    graph = ox.NamedNode("https://w3id.org/citykg/graph/source/bench")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    link = ox.NamedNode(CKG + "party")
    identifier = ox.NamedNode("http://purl.org/dc/terms/identifier")
    internal = ox.NamedNode(CKG + "internal")
    entities = triples // 4
    quads = []
    for i in range(entities):
        node = ox.NamedNode(f"{ID}e{i}")
        quads.append(ox.Quad(node, label, ox.Literal(f"Entity {i}", language="en"), graph))
        quads.append(ox.Quad(node, identifier, ox.Literal(f"e{i}"), graph))
        quads.append(ox.Quad(node, link, ox.NamedNode(f"{ID}e{(i * 7919) % entities}"), graph))
        if i % 100 == 0:
            quads.append(ox.Quad(node, internal, ox.Literal(True), graph))
        else:
            quads.append(
                ox.Quad(node, link, ox.NamedNode(f"{ID}e{(i * 104729) % entities}"), graph)
            )
    store = ox.Store()
    store.bulk_extend(quads)
    return store


def timed(dataset: Dataset) -> tuple[float, int]:
    start = time.perf_counter()
    view = public_view(dataset, public_profile(dataset))
    return time.perf_counter() - start, len(view)


def main() -> None:
    triples = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    store = synthetic(triples)
    oxigraph = Dataset(store=OxigraphStore(store=store), default_union=True)
    memory = Dataset()
    for quad in oxigraph.quads((None, None, None, None)):
        memory.graph(quad[3]).add(quad[:3])
    fast, kept = timed(oxigraph)
    slow, kept_slow = timed(memory)
    assert kept == kept_slow, (kept, kept_slow)
    print(f"{len(store)} triples, {kept} public")
    print(f"pyoxigraph path: {fast:.2f} s")
    print(f"rdflib path:     {slow:.2f} s")
    print(f"ratio:           {slow / fast:.1f}x")


if __name__ == "__main__":
    main()
