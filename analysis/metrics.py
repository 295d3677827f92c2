"""Centrality, communities, cores and brokers of networkx graphs.

All measures are on the actor-collaboration graph (:func:`citykg.analysis.networks.bipartite_graph`)
except the broker measures, which are on the actor projection (two actors linked when they share
a collaboration): a broker is an actor on many of the shortest paths between other actors
(betweenness), whose contacts are not otherwise tied to each other (low Burt constraint, high
effective size), and whose contacts fall into several communities.

Louvain communities are seeded (:data:`SEED`) so a run gives the same communities every time;
they are numbered from 1 by size (largest first), ties broken by their smallest node ID.
Betweenness, eigenvector centrality and core numbers are networkx's, computed by
:mod:`citykg.analysis.algorithms` (igraph and scipy): on a large graph betweenness is estimated
from a sample of sources, with its error stated (:class:`~citykg.analysis.algorithms.Betweenness`).

Examples
--------
>>> import networkx as nx
>>> B = nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("c", "y")])
>>> node_measures(B)["b"]["degree"]
0.5
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from citykg.analysis.algorithms import (
    Betweenness,
    betweenness_centrality,
    betweenness_of_edges,
    core_number,
    effective_sizes,
    eigenvector_centrality,
    louvain_of_edges,
    per_node,
)
from citykg.analysis.networks import (
    ACTOR_KINDS,
    COLLABORATION_KINDS,
    Network,
    check_kinds,
    load_network,
)
from citykg.analysis.projection import sparse_projection
from citykg.errors import CitykgError
from citykg.queries.sparql import SparqlSource

__all__ = [
    "BROKERS_MAX_LINKS",
    "LOUVAIN_NETWORKX_LINKS",
    "SEED",
    "Broker",
    "BrokerReport",
    "CentralityReport",
    "Community",
    "CommunityReport",
    "NodeMeasures",
    "actor_projection",
    "analyze_brokers",
    "analyze_centrality",
    "analyze_communities",
    "brokers",
    "burt_constraint",
    "centrality",
    "communities",
    "ego",
    "louvain",
    "measure_nodes",
    "node_measures",
]

#: The Louvain seed: fixed so that communities are the same on every run.
SEED = 42
#: Louvain runs in networkx up to this many links (the communities of earlier versions), and
#: as igraph's multilevel algorithm above: networkx took 6-7 s for the 54k ties of a
#: million-triple world and minutes for a projection of millions of links, igraph 0.3 s.
LOUVAIN_NETWORKX_LINKS = 20_000
#: The most links of the actor projection that brokers works on: a million-triple world with
#: networks of thousands of members projects to 40 million, which took over 150 s and 7.8 GB
#: before it was stopped (in igraph too); 2 million (100k triples) take about 20 s.
BROKERS_MAX_LINKS = 10_000_000
_DIGITS = 6


def louvain(G: nx.Graph, weight: str | None = None, seed: int = SEED) -> list[set[Hashable]]:
    """Louvain communities of ``G``, seeded, largest first (ties: smallest node first).

    networkx's up to :data:`LOUVAIN_NETWORKX_LINKS` links, igraph's multilevel algorithm
    (the same method, another implementation) above.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5)])
    >>> louvain(G)
    [{1, 2, 3}, {4, 5}]
    """
    if G.number_of_nodes() == 0:
        return []
    # Louvain visits nodes in the graph's order: sort them so that input order cannot matter.
    nodes = sorted(G.nodes, key=str)
    edges = sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    if len(edges) <= LOUVAIN_NETWORKX_LINKS:
        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_edges_from(edges)
        found = nx.community.louvain_communities(H, weight=weight, seed=seed)
    else:
        index = {n: i for i, n in enumerate(nodes)}
        pairs = [(index[u], index[v]) for u, v, _ in edges]
        weights = None if weight is None else [d.get(weight, 1) for _, _, d in edges]
        groups = louvain_of_edges(len(nodes), pairs, weights, seed)
        found = [{nodes[i] for i in group} for group in groups]
    return _by_size(found)


def _by_size(found: Iterable[set[Hashable]]) -> list[set[Hashable]]:
    return sorted(found, key=lambda c: (-len(c), min(str(n) for n in c)))


def _numbering(groups: Iterable[set[Hashable]]) -> dict[Hashable, int]:
    return {node: i for i, group in enumerate(groups, start=1) for node in group}


def measure_nodes(
    B: nx.Graph, seed: int = SEED, *, exact: bool = False
) -> tuple[dict[Hashable, dict[str, Any]], Betweenness]:
    """:func:`node_measures` and how its betweenness was computed (exact or sampled).

    ``exact`` computes betweenness exactly on any graph (slow on large ones).
    """
    degree = nx.degree_centrality(B) if len(B) > 1 else dict.fromkeys(B, 0.0)
    betweenness = betweenness_centrality(B, exact=exact, seed=seed)
    try:
        eigenvector = (
            eigenvector_centrality(B, max_iter=1000, tol=1e-10)
            if B.number_of_edges()
            else dict.fromkeys(B, 0.0)
        )
    except nx.PowerIterationFailedConvergence:
        eigenvector = nx.eigenvector_centrality_numpy(B)
    core = core_number(B)
    # the same numbering as communities(): isolated nodes are in none (0)
    community = _numbering(louvain(B.subgraph(n for n in B if B.degree(n) > 0), seed=seed))
    measures = {
        node: {
            "degree": round(degree[node], _DIGITS),
            "betweenness": round(betweenness.values[node], _DIGITS),
            "eigenvector": round(abs(eigenvector[node]), _DIGITS),
            "core": core[node],
            "community": community.get(node, 0),
        }
        for node in B
    }
    return measures, betweenness


def node_measures(B: nx.Graph, seed: int = SEED) -> dict[Hashable, dict[str, Any]]:
    """Degree, betweenness and eigenvector centrality, core number and community of each node.

    ``community`` numbers match :func:`communities`; an isolated node has community 0.

    Centralities are networkx's normalised ones, rounded to six decimals so that output and
    exports do not change with the last bits of a float. On a large graph betweenness is
    estimated (:func:`citykg.analysis.algorithms.betweenness_centrality`; :func:`measure_nodes`
    says how).
    """
    return measure_nodes(B, seed)[0]


@dataclass(frozen=True)
class NodeMeasures:
    """One row of the centrality report."""

    id: str
    label: str
    kind: str
    ties: int
    degree: float
    betweenness: float
    eigenvector: float
    core: int
    community: int


def _kinds(kinds: Iterable[str] | None) -> set[str]:
    every = (*ACTOR_KINDS, *COLLABORATION_KINDS)
    return set(check_kinds(list(kinds or ()), every) or every)


@dataclass(frozen=True)
class CentralityReport:
    """Centrality rows and how their betweenness was computed."""

    rows: list[NodeMeasures]
    betweenness: Betweenness


def centrality(
    net: Network, kinds: Iterable[str] | None = None, *, exact: bool = False
) -> CentralityReport:
    """Centrality of actors and collaborations, most between first.

    Sorted by betweenness, then eigenvector centrality, then ID; ``kinds`` keeps only those
    kinds (the measures are computed on the whole graph either way). ``exact``: exact
    betweenness however large the graph.
    """
    net.require("ties")
    B = net.graph
    keep = _kinds(kinds)
    measures, betweenness = measure_nodes(B, exact=exact)
    rows = [
        NodeMeasures(str(n), net.label(n), B.nodes[n]["kind"], B.degree(n), **measures[n])
        for n in B
        if B.nodes[n]["kind"] in keep
    ]
    rows.sort(key=lambda r: (-r.betweenness, -r.eigenvector, r.id))
    return CentralityReport(rows, betweenness)


@dataclass(frozen=True)
class Community:
    """A Louvain community of the actor-collaboration graph."""

    number: int
    size: int
    actors: tuple[str, ...]
    collaborations: tuple[str, ...]
    hubs: tuple[str, ...]


def communities(net: Network, hubs: int = 3) -> list[Community]:
    """Louvain communities of the actor-collaboration graph (isolated nodes left out).

    Each names its collaborations and its ``hubs`` best-connected actors.
    """
    net.require("ties")
    B = net.graph
    connected = B.subgraph(n for n in B if B.degree(n) > 0)
    out = []
    for number, group in enumerate(louvain(connected), start=1):
        members = sorted(group, key=str)
        actors = tuple(str(n) for n in members if B.nodes[n]["bipartite"] == 0)
        collabs = tuple(str(n) for n in members if B.nodes[n]["bipartite"] == 1)
        top = sorted(actors, key=lambda n: (-B.degree(n), n))[:hubs]
        out.append(Community(number, len(members), actors, collabs, tuple(top)))
    return out


def actor_projection(net: Network) -> nx.Graph:
    """Actors with at least one tie, linked when they share collaborations.

    Edge ``weight``: the number of shared collaborations. Computed with the sparse product,
    which gives networkx's weights exactly (tests/test_projection.py) and scales to long lists.
    """
    B = net.graph
    actors = [n for n in net.actors if B.degree(n) > 0]
    return sparse_projection(B, actors, "shared").to_graph()


def ego(B: nx.Graph, node: Hashable, radius: int = 2) -> nx.Graph:
    """The part of the actor-collaboration graph ``B`` within ``radius`` steps of ``node``.

    Radius 2 around an actor holds its collaborations and everyone it shares one with.

    Examples
    --------
    >>> sorted(ego(nx.Graph([("a", "x"), ("b", "x"), ("b", "y"), ("c", "y")]), "a"))
    ['a', 'b', 'x']
    """
    return nx.ego_graph(B, node, radius=radius)


def burt_constraint(
    G: nx.Graph, nodes: Iterable[Hashable], weight: str | None = "weight"
) -> dict[Hashable, float]:
    """Burt's constraint of ``nodes`` in the undirected graph ``G``, as :func:`networkx.constraint`.

    Written with scipy.sparse because networkx recomputes every normalised mutual weight from
    scratch (cubic in the degree): 34 s for Copenhagen's 200 contacts in the built-in data.
    Here it is one product: with ``P`` the weights normalised by row, node ``u``'s constraint is
    the sum over its neighbours ``v`` of ``(P + P @ P)[u, v] ** 2``. A test checks it against
    networkx. Isolated nodes get NaN, as in networkx.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4)])
    >>> round(burt_constraint(G, [3])[3], 6) == round(nx.constraint(G, [3])[3], 6)
    True
    """
    return per_node(G, nodes, _constraint, weight=weight)


def _constraint(A: sparse.csr_array, rows: Sequence[int]) -> list[float]:
    """Burt's constraint of the nodes ``rows`` of the weighted adjacency matrix ``A``.

    Only those rows of ``P + P @ P`` are computed: each row alone, as the whole product
    would give it.
    """
    A = sparse.csr_array(A, dtype=float)
    totals = np.asarray(A.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        scale = np.where(totals > 0, 1.0 / totals, 0.0)
    P = sparse.csr_array(sparse.diags_array(scale) @ A)
    wanted = list(rows)
    Q = sparse.csr_array(P[wanted] + P[wanted] @ P)
    out = []
    for k, i in enumerate(wanted):
        neighbours = A.indices[A.indptr[i] : A.indptr[i + 1]]
        if len(neighbours) == 0:
            out.append(float("nan"))
            continue
        row = Q[[k], :].toarray().ravel()
        out.append(float(np.sum(row[neighbours] ** 2)))
    return out


@dataclass(frozen=True)
class Broker:
    """An actor that bridges otherwise separate groups."""

    id: str
    label: str
    kind: str
    betweenness: float
    constraint: float
    effective_size: float
    communities: int
    collaborations: tuple[str, ...]


def brokers(net: Network, *, exact: bool = False) -> tuple[list[Broker], Betweenness]:
    """Actors with a positive betweenness on the actor projection, most between first, and
    how that betweenness was computed.

    ``constraint`` is Burt's constraint weighted by shared collaborations (low: contacts are
    not tied to each other), ``effective_size`` Burt's effective size (non-redundant contacts,
    unweighted), ``communities`` the
    number of Louvain communities of the projection among the actor and its contacts. On a
    large projection betweenness is estimated from sampled sources (unless ``exact``): an
    actor whose betweenness is below the stated error may then be missing.

    The projection stays arrays and a sparse matrix (a networkx graph of it only for
    networkx's Louvain on a small one): a world of 100k triples projects to millions of links.
    """
    net.require("ties")
    near = net.adjacency
    actors = sorted(a for a, tied in near.items() if tied and net.entities[a].kind in ACTOR_KINDS)
    p = sparse_projection(near, actors, "shared")
    if len(p) > BROKERS_MAX_LINKS:
        raise CitykgError(
            f"the actor projection has {len(p):,} links, more than brokers handles "
            f"({BROKERS_MAX_LINKS:,}): Burt's constraint and the communities need it whole",
            "Use 'citykg analyze centrality' (betweenness on the actor-collaboration graph) "
            "or 'citykg overlaps --all-pairs --top N'.",
        )
    edges = np.column_stack([p.rows, p.cols])
    between = betweenness_of_edges(actors, edges, exact=exact)
    betweenness = between.values
    candidates = [i for i, a in enumerate(actors) if betweenness[a] > 0]
    if not candidates:
        return [], between  # no actors, or none between others (scipy cannot build an empty matrix)
    upper = sparse.coo_array((p.weights, (p.rows, p.cols)), shape=(len(actors), len(actors)))
    A = sparse.csr_array(upper + upper.T)
    constraint = _constraint(A, candidates)
    # unweighted: networkx has a fast formula for it (the weighted one is cubic in the degree)
    effective = effective_sizes(A, candidates)
    if len(p) <= LOUVAIN_NETWORKX_LINKS:
        community = _numbering(louvain(p.to_graph(), weight="weight"))
    else:
        groups = louvain_of_edges(len(actors), edges, p.weights)
        community = _numbering(_by_size({actors[i] for i in g} for g in groups))
    rows = []
    for k, i in enumerate(candidates):
        n = actors[i]
        contacts = A.indices[A.indptr[i] : A.indptr[i + 1]]
        groups_near = {community[actors[j]] for j in contacts} | {community[n]}
        rows.append(
            Broker(
                n,
                net.label(n),
                net.entities[n].kind,
                round(betweenness[n], _DIGITS),
                round(constraint[k], _DIGITS),
                round(effective[k], _DIGITS),
                len(groups_near),
                tuple(sorted(near[n])),
            )
        )
    rows.sort(key=lambda r: (-r.betweenness, r.constraint, r.id))
    return rows, between


def analyze_centrality(
    source: SparqlSource,
    kinds: Iterable[str] | None = None,
    today: dt.date | None = None,
    *,
    exact: bool = False,
) -> CentralityReport:
    """Read the ties from ``source`` and report :func:`centrality`."""
    return centrality(load_network(source, today, ["ties"]), kinds, exact=exact)


@dataclass(frozen=True)
class CommunityReport:
    """Communities with the network they came from (for labels)."""

    net: Network
    communities: list[Community]


def analyze_communities(source: SparqlSource, today: dt.date | None = None) -> CommunityReport:
    """Read the ties from ``source`` and report :func:`communities`."""
    net = load_network(source, today, ["ties"])
    return CommunityReport(net, communities(net))


@dataclass(frozen=True)
class BrokerReport:
    """Brokers with the network they came from (for labels) and how their betweenness was
    computed."""

    net: Network
    brokers: list[Broker]
    betweenness: Betweenness


def analyze_brokers(
    source: SparqlSource, today: dt.date | None = None, *, exact: bool = False
) -> BrokerReport:
    """Read the ties from ``source`` and report :func:`brokers`."""
    net = load_network(source, today, ["ties"])
    return BrokerReport(net, *brokers(net, exact=exact))
