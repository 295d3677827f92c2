"""Typed helpers for running SPARQL on a pyoxigraph store directly (without rdflib)."""

from __future__ import annotations

import pyoxigraph as ox

__all__ = ["solutions"]


def solutions(inner: ox.Store, query: str, *, union: bool = False) -> ox.QuerySolutions:
    """The solutions of a SELECT ``query`` on ``inner`` (over the union of graphs if ``union``).

    Examples
    --------
    >>> store = ox.Store()
    >>> [row["n"].value for row in solutions(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")]
    ['0']
    """
    result = inner.query(query, use_default_graph_as_union=union)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("the query is not a SELECT query")
    return result
