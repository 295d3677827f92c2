"""The baseline for ``citykg analyze``: the same computations written directly on pyoxigraph
and igraph, with no networkx, no records and no output formatting.

    python bench/igraph_analyses.py DATA_FOLDER centrality|communities|brokers|themes HOME

It reads the ties (and for themes the themes) with the queries of ``bench/handwritten.py``
and computes, on igraph: degree, betweenness (exact, or from as many sampled sources as
citykg samples: the same work), eigenvector centrality, coreness and multilevel (Louvain)
communities; communities alone; for brokers the actor projection (one scipy product), its
betweenness, Burt's constraint and communities; for themes the initiatives and partners of
each theme (plain Python sets: igraph has nothing to add). It prints one summary line.
"""

from __future__ import annotations

import random
import sys

import igraph
import numpy as np
import pyoxigraph as ox
from handwritten import ACTORS, COLLABS, KINDS, TIES, P
from scipy import sparse

#: citykg's budget (citykg.analysis.algorithms.EXACT_WORK), copied so that this script
#: imports nothing of citykg.
EXACT_WORK = 100_000_000
THEMES = (
    P
    + """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?id ?field ?t WHERE {
  { ?e dcterms:subject ?x . ?x dcterms:identifier ?t BIND("theme" AS ?field) }
  UNION { ?e skos:broader ?x . ?x dcterms:identifier ?t BIND("broader" AS ?field) }
  ?e dcterms:identifier ?id }"""
)


def betweenness(graph: igraph.Graph) -> list[float]:
    n, size = graph.vcount(), graph.vcount() + graph.ecount()
    if n * size <= EXACT_WORK:
        return list(graph.betweenness(directed=False))
    k = min(n, max(64, EXACT_WORK // size))
    return list(graph.betweenness(directed=False, sources=random.Random(42).sample(range(n), k)))


def main() -> None:
    folder, mode, home = sys.argv[1:4]
    store = ox.Store.read_only(folder)
    ask = lambda q: store.query(q, use_default_graph_as_union=True)  # noqa: E731
    kind = {s[0].value: s[1].value for s in ask(KINDS)}
    pairs = {(s[0].value, s[1].value) for s in ask(TIES)}
    pairs = {(a, c) for a, c in pairs if kind.get(a) in ACTORS and kind.get(c) in COLLABS}
    nodes = sorted(k for k, v in kind.items() if v in ACTORS | COLLABS)
    index = {n: i for i, n in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[c]) for a, c in pairs])
    if mode == "centrality":
        degree = graph.degree()
        between = betweenness(graph)
        eigen = graph.eigenvector_centrality(scale=False)
        core = graph.coreness()
        linked = graph.subgraph([v for v in range(len(nodes)) if degree[v]])
        groups = linked.community_multilevel()
        top = max(range(len(nodes)), key=lambda v: (between[v], eigen[v]))
        print(f"{len(nodes)} nodes; top {nodes[top]}; {len(groups)} communities; core {max(core)}")
    elif mode == "communities":
        linked = graph.subgraph([v for v in range(len(nodes)) if graph.degree(v)])
        print(f"{len(linked.community_multilevel())} communities")
    elif mode == "brokers":
        actors = sorted({a for a, _ in pairs})
        ai = {a: i for i, a in enumerate(actors)}
        collab = {c: i for i, c in enumerate(sorted({c for _, c in pairs}))}
        M = sparse.csr_matrix(
            (
                np.ones(len(pairs), np.int32),
                ([ai[a] for a, _ in pairs], [collab[c] for _, c in pairs]),
            ),
            shape=(len(actors), len(collab)),
        )
        S = sparse.triu(M @ M.T, k=1).tocoo()
        projection = igraph.Graph(n=len(actors), edges=np.column_stack([S.row, S.col]).tolist())
        projection.es["weight"] = S.data.tolist()
        between = betweenness(projection)
        candidates = [v for v in range(len(actors)) if between[v] > 0]
        constraint = projection.constraint(candidates, weights="weight")
        groups = projection.community_multilevel(weights="weight")
        print(f"{len(candidates)} brokers; {len(groups)} communities; {min(constraint, default=0)}")
    else:
        themes: dict[str, set[str]] = {}
        broader: dict[str, set[str]] = {}
        for s in ask(THEMES):
            target = themes if s[1].value == "theme" else broader
            target.setdefault(s[0].value, set()).add(s[2].value)
        below: dict[str, set[str]] = {t: {t} for t, v in kind.items() if v == "theme"}
        for _ in range(len(below)):  # the narrower themes, to a fixed point
            for t, parents in broader.items():
                for p in parents:
                    below.setdefault(p, {p}).update(below.get(t, {t}))
        members: dict[str, set[str]] = {}
        for a, c in pairs:
            members.setdefault(c, set()).add(a)
        rows = 0
        for _, narrower in sorted(below.items()):
            work = [c for c in members if themes.get(c, set()) & narrower]
            partners = {a for c in work for a in members[c]} - {home}
            rows += bool(work) + bool(partners)
        print(f"{len(below)} themes; {rows}")


if __name__ == "__main__":
    main()
