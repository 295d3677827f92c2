"""networkx's centrality measures, computed fast enough for a million-triple graph.

networkx stays the graph model and the interface: each function takes a networkx graph and
returns what the networkx function of the same name returns, computed elsewhere where
networkx is slow at scale (pure-Python loops over every node and edge):

- :func:`betweenness_centrality`: igraph's Brandes in C, exact while the work (sources times
  nodes and edges) stays under :data:`EXACT_WORK`; above it, from a random sample of source
  nodes, exactly as ``networkx.betweenness_centrality(G, k=..., seed=...)`` estimates it,
  with a stated error: every value within :attr:`Betweenness.error` of the exact one with
  probability 95% (Hoeffding's bound for the mean of the sampled sources' dependencies,
  which lie in [0, 1], over all nodes at once). At a million triples (23k nodes) exact
  betweenness took 58-90 s in igraph and several minutes in networkx (``bench/run.py``).
- :func:`eigenvector_centrality`: networkx's own power iteration (the same start, the same
  (A + I) step, norm and stopping rule), as scipy sparse products: 235 s in networkx at a
  million triples.
- :func:`core_number`: igraph's coreness (the same integers).
- :func:`effective_size`: Burt's effective size of an undirected, unweighted graph by counting
  the links among each node's contacts in a sparse matrix; networkx copies each node's ego
  graph with its attributes (18 s for 78 actors of a 200-node synthetic world).

Results agree with networkx to the last bits of a float (tests/test_algorithms.py), and
where a sample is used, with networkx's own estimate from the same sample.

Examples
--------
>>> G = nx.path_graph(4)
>>> betweenness_centrality(G).values == nx.betweenness_centrality(G)
True
>>> core_number(G) == nx.core_number(G)
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import igraph
import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = [
    "CONFIDENCE",
    "EXACT_WORK",
    "Betweenness",
    "betweenness_centrality",
    "betweenness_of_edges",
    "core_number",
    "effective_size",
    "effective_sizes",
    "eigenvector_centrality",
    "louvain_of_edges",
    "per_node",
    "sample_error",
]

#: Betweenness is exact while sources x (nodes + edges) stays under this (about 1-2 s on the
#: 2-core benchmark machine: a 5,000-node map is exact); above, sources are sampled to fit.
EXACT_WORK = 100_000_000
#: The probability that every sampled betweenness is within the stated error.
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Betweenness:
    """Betweenness centrality (networkx's normalised values) and how it was computed.

    ``sources`` of ``nodes`` were used as sources of shortest paths; when they are fewer,
    each value is within ``error`` of the exact one with probability :data:`CONFIDENCE`
    (for all nodes at once).
    """

    values: dict[Hashable, float]
    sources: int
    nodes: int
    error: float

    @property
    def exact(self) -> bool:
        return self.sources >= self.nodes

    def note(self) -> str:
        """One line for people: how the values were estimated (empty when exact).

        Examples
        --------
        >>> Betweenness({}, 100, 4000, 0.12).note()
        'betweenness estimated from 100 of 4,000 nodes: each value within ±0.12 of the exact one (95% confidence)'
        """  # noqa: E501
        if self.exact:
            return ""
        return (
            f"betweenness estimated from {self.sources:,} of {self.nodes:,} nodes: each value "
            f"within \N{PLUS-MINUS SIGN}{self.error:.2g} of the exact one "
            f"({CONFIDENCE:.0%} confidence)"
        )


def _edges(G: nx.Graph) -> tuple[list[Hashable], list[tuple[int, int]]]:
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    return nodes, [(index[u], index[v]) for u, v in G.edges() if u != v]


def sample_error(sources: int, nodes: int) -> float:
    """The error bound of a betweenness estimated from ``sources`` of ``nodes`` sources.

    Each value is a mean of at least ``sources - 1`` sampled dependencies in [0, 1] (a node's
    own dependency is left out), drawn without replacement, so Hoeffding's inequality holds;
    the union bound over the ``nodes`` values gives probability :data:`CONFIDENCE` for all.

    Examples
    --------
    >>> round(sample_error(1000, 20000), 3)
    0.082
    """
    if sources >= nodes:
        return 0.0
    return min(1.0, math.sqrt(math.log(2 * nodes / (1 - CONFIDENCE)) / (2 * (sources - 1))))


def betweenness_centrality(
    G: nx.Graph, *, exact: bool = False, seed: int = 42, work: int | None = None
) -> Betweenness:
    """Normalised betweenness of the undirected, unweighted graph ``G``.

    Exact while ``len(G) * (len(G) + edges)`` is at most ``work`` (:data:`EXACT_WORK` unless
    given) or with ``exact``; else
    from ``k`` source nodes sampled with ``random.Random(seed)``, ``k`` as large as ``work``
    allows (at least 64), giving what ``networkx.betweenness_centrality(G, k=k, seed=seed)``
    gives.

    Examples
    --------
    >>> G = nx.star_graph(5)
    >>> b = betweenness_centrality(G, work=1)  # sampled: at least 64 sources, so all 6
    >>> b.exact, b.values[0]
    (True, 1.0)
    """
    nodes, edges = _edges(G)
    return betweenness_of_edges(nodes, edges, exact=exact, seed=seed, work=work)


def betweenness_of_edges(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[int, int]] | npt.NDArray[np.int32],
    *,
    exact: bool = False,
    seed: int = 42,
    work: int | None = None,
) -> Betweenness:
    """:func:`betweenness_centrality` of the graph of ``nodes`` linked by ``edges`` (pairs of
    indices into ``nodes``, no loops or repeats), without a networkx graph."""
    n = len(nodes)
    size = n + len(edges)
    work = EXACT_WORK if work is None else work
    k = n if exact or n * size <= work else min(n, max(64, work // max(size, 1)))
    if n <= 2:  # no pair has a node between them
        return Betweenness(dict.fromkeys(nodes, 0.0), n, n, 0.0)
    graph = igraph.Graph(n=n, edges=edges)
    if k >= n:
        # igraph counts each pair once; networkx normalises by the (n-1)(n-2)/2 pairs
        raw = np.asarray(graph.betweenness(directed=False), dtype=float)
        values = raw * (2 / ((n - 1) * (n - 2)))
        return Betweenness(dict(zip(nodes, values.tolist(), strict=True)), n, n, 0.0)
    sample = random.Random(seed).sample(list(nodes), k)  # networkx's draw for the same seed
    index = {node: i for i, node in enumerate(nodes)}
    chosen = sorted(index[s] for s in sample)
    # igraph halves the dependencies of single sources in an undirected graph
    raw = 2 * np.asarray(graph.betweenness(directed=False, sources=chosen), dtype=float)
    # networkx's scaling of a sample without endpoints: a sampled node misses its own source
    scale = np.full(n, 1 / (k * (n - 2)))
    scale[chosen] = 1 / ((k - 1) * (n - 2))
    values = raw * scale
    return Betweenness(dict(zip(nodes, values.tolist(), strict=True)), k, n, sample_error(k, n))


def louvain_of_edges(
    n: int,
    edges: Sequence[tuple[int, int]] | npt.NDArray[np.int32],
    weights: Sequence[float] | npt.NDArray[Any] | None = None,
    seed: int = 42,
) -> list[set[int]]:
    """Louvain communities of the graph of ``n`` nodes and ``edges`` by igraph's multilevel
    algorithm, seeded: the same communities on every run for the same input order.

    igraph draws from Python's random module unless told otherwise: it gets its own seeded
    generator for the call, and the module's state is left alone.

    Examples
    --------
    >>> sorted(map(sorted, louvain_of_edges(5, [(0, 1), (1, 2), (2, 0), (3, 4)])))
    [[0, 1, 2], [3, 4]]
    """
    graph = igraph.Graph(n=n, edges=edges)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = graph.community_multilevel(weights=None if weights is None else list(weights))
    finally:
        igraph.set_random_number_generator(random)
    return [set(group) for group in found]


def eigenvector_centrality(
    G: nx.Graph, max_iter: int = 1000, tol: float = 1e-10
) -> dict[Hashable, float]:
    """``networkx.eigenvector_centrality(G, max_iter, tol)`` (unweighted), as sparse products.

    The same iteration: start from the uniform vector, multiply by (A + I), divide by the
    Euclidean norm, stop when the L1 change is below ``len(G) * tol``; raises
    :class:`networkx.PowerIterationFailedConvergence` after ``max_iter`` steps.

    Examples
    --------
    >>> G = nx.path_graph(3)
    >>> got = eigenvector_centrality(G, max_iter=1000, tol=1e-10)
    >>> want = nx.eigenvector_centrality(G, max_iter=1000, tol=1e-10)
    >>> all(abs(got[n] - want[n]) < 1e-12 for n in G)
    True
    """
    if len(G) == 0:
        raise nx.NetworkXPointlessConcept("cannot compute centrality for the null graph")
    nodes = list(G)
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=None, format="csr")
    x = np.full(len(nodes), 1 / len(nodes))
    for _ in range(max_iter):
        last = x
        x = last + A.T @ last
        x /= math.hypot(*x.tolist()) or 1
        if float(np.abs(x - last).sum()) < len(nodes) * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


def core_number(G: nx.Graph) -> dict[Hashable, int]:
    """``networkx.core_number(G)``, by igraph (G without self-loops, as networkx requires).

    Examples
    --------
    >>> core_number(nx.complete_graph(4))
    {0: 3, 1: 3, 2: 3, 3: 3}
    """
    if nx.number_of_selfloops(G) > 0:
        raise nx.NetworkXNotImplemented(
            "Input graph has self loops which is not permitted; "
            "Consider using G.remove_edges_from(nx.selfloop_edges(G))."
        )
    nodes, edges = _edges(G)
    return dict(zip(nodes, igraph.Graph(n=len(nodes), edges=edges).coreness(), strict=True))


def effective_size(G: nx.Graph, nodes: Iterable[Hashable]) -> dict[Hashable, float]:
    """``networkx.effective_size(G, nodes)`` of an undirected graph without self-loops, unweighted.

    A node's effective size is its number of contacts less twice the links among them over
    that number (NaN for an isolated node); the links are counted exactly, so the float is
    networkx's.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4)])
    >>> effective_size(G, [3]) == nx.effective_size(G, nodes=[3])
    True
    """
    if G.is_directed() or nx.number_of_selfloops(G) > 0:
        raise ValueError("effective_size needs an undirected graph without self-loops")
    return per_node(G, nodes, effective_sizes, weight=None)


def per_node(
    G: nx.Graph,
    nodes: Iterable[Hashable],
    measure: Callable[[sparse.csr_array, Sequence[int]], list[float]],
    weight: str | None = None,
) -> dict[Hashable, float]:
    """``measure`` (of an adjacency matrix and row numbers) for ``nodes`` of ``G``, by node:
    the sparse form of a networkx per-node measure, computed only for the rows asked for."""
    order = list(G)
    index = {n: i for i, n in enumerate(order)}
    A = sparse.csr_array(nx.to_scipy_sparse_array(G, nodelist=order, weight=weight, format="csr"))
    wanted = list(nodes)
    return dict(zip(wanted, measure(A, [index[n] for n in wanted]), strict=True))


def effective_sizes(A: sparse.csr_array, rows: Sequence[int]) -> list[float]:
    """:func:`effective_size` of the nodes ``rows`` of the symmetric adjacency matrix ``A``
    (no diagonal)."""
    out = []
    for i in rows:
        contacts = A.indices[A.indptr[i] : A.indptr[i + 1]]
        if len(contacts) == 0:
            out.append(float("nan"))
            continue
        links = A[contacts][:, contacts].nnz // 2  # each link among them is there twice
        out.append(len(contacts) - (2 * links) / len(contacts))
    return out
