"""The floor for ``citykg overlaps``: what an engineer writes by hand on pyoxigraph and scipy.

    python bench/handwritten.py DATA_FOLDER pairs 10      # = citykg overlaps --all-pairs --top 10
    python bench/handwritten.py DATA_FOLDER actor ID      # = citykg overlaps ID

DATA_FOLDER is a store's Oxigraph folder. It prints the rows as JSON lines (the two IDs, the
count, Jaccard rounded as citykg prints it in JSON, the shared IDs and their labels), which
``bench/run.py`` compares with citykg's answer. It knows the data: ties are memberships and
hosts, parties and organizers, between actors (city, region, organisation, administration)
and collaborations (network, project, programme, cooperation, event); and it knows Oxigraph:
each triple pattern of the pairs query is a subquery, which Oxigraph joins by hashing (the
same pattern as one basic graph pattern took about ten times longer). The pairs are one scipy
product ``M @ M.T``, upper triangle; only the pairs that can be among the top are sorted.
Nothing else: no networkx, no records, no validation of names.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pyoxigraph as ox
from scipy import sparse

P = """PREFIX ckg: <https://w3id.org/citykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
TIES = (
    P
    + """SELECT ?a ?c WHERE {
  { { SELECT ?m WHERE { ?m a org:Membership } }
    { SELECT ?m ?x WHERE { ?m org:member ?x } }
    { SELECT ?x ?a WHERE { ?x dcterms:identifier ?a } }
    { SELECT ?m ?y WHERE { ?m org:organization ?y } }
    { SELECT ?y ?c WHERE { ?y dcterms:identifier ?c } }
  }
  UNION { ?y ckg:hostedBy ?x . ?y dcterms:identifier ?c . ?x dcterms:identifier ?a }
  UNION { ?y ckg:party ?x . ?y dcterms:identifier ?c . ?x dcterms:identifier ?a }
  UNION { ?y schema:organizer ?x . ?y dcterms:identifier ?c . ?x dcterms:identifier ?a } }"""
)
KINDS = (
    P
    + """SELECT ?id ?k WHERE { { SELECT ?e ?k WHERE { ?e ckg:kind ?k } }
  { SELECT ?e ?id WHERE { ?e dcterms:identifier ?id } } }"""
)
LABELS = (
    P
    + """SELECT ?id ?l WHERE { { SELECT ?e ?id WHERE { ?e dcterms:identifier ?id } }
  { SELECT ?e ?l WHERE { ?e rdfs:label ?l } } { SELECT DISTINCT ?e WHERE { ?e ckg:kind [] } } }"""
)
ACTORS = {"city", "region", "organisation", "administration"}
COLLABS = {"network", "project", "programme", "cooperation", "event"}


def main() -> None:
    folder, mode, arg = sys.argv[1:4]
    store = ox.Store.read_only(folder)
    ask = lambda q: store.query(q, use_default_graph_as_union=True)  # noqa: E731
    kind = {s[0].value: s[1].value for s in ask(KINDS)}
    pairs = {(s[0].value, s[1].value) for s in ask(TIES)}
    pairs = {(a, c) for a, c in pairs if kind.get(a) in ACTORS and kind.get(c) in COLLABS}
    actors = sorted({a for a, _ in pairs})
    collabs = sorted({c for _, c in pairs})
    ai, ci = {a: i for i, a in enumerate(actors)}, {c: i for i, c in enumerate(collabs)}
    M = sparse.csr_matrix(
        (np.ones(len(pairs), np.int32), ([ai[a] for a, _ in pairs], [ci[c] for _, c in pairs])),
        shape=(len(actors), len(collabs)),
    )
    degree = np.asarray(M.sum(axis=1)).ravel()
    if mode == "pairs":
        S = sparse.triu(M @ M.T, k=1).tocoo()
        top = min(int(arg), S.nnz)
        # only the pairs sharing at least the top-th largest count can be among the top
        cut = np.partition(S.data, S.nnz - top)[S.nnz - top] if top else np.inf
        near = np.flatnonzero(S.data >= cut)
        r, c, n = S.row[near], S.col[near], S.data[near]
        jaccard = n / (degree[r] + degree[c] - n)
        best = np.lexsort((c, r, -jaccard, -n))[:top]
        rows = [(actors[r[k]], actors[c[k]], int(n[k]), jaccard[k]) for k in best]
    else:
        me = ai[arg]
        shared = (M @ M[me].T).tocoo()
        rows = [
            (arg, actors[r], int(n), n / (degree[me] + degree[r] - n))
            for r, n in zip(shared.row, shared.data, strict=True)
            if r != me
        ]
        rows.sort(key=lambda r: (-r[2], -r[3], r[1]))
    mine = {a: set(M[ai[a]].indices) for row in rows for a in row[:2]}
    labels = {s[0].value: s[1].value for s in ask(LABELS)}
    for a, b, n, jaccard in rows:
        items = sorted(collabs[j] for j in mine[a] & mine[b])
        record = {"a": a, "b": b, "shared": n, "jaccard": round(float(jaccard), 6)}
        print(json.dumps(record | {"items": items, "labels": [labels.get(i, i) for i in items]}))


if __name__ == "__main__":
    main()
