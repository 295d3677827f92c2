"""Partnership overlaps ("interlocks"): who shares which collaborations, and which networks
share which members.

Every overlap names the shared items, not only a count: a row says that Lisbon shares C40 and
FORCE with Copenhagen. Filters narrow the collaborations first (by kind, by theme, including
narrower themes) and the ties (current or past), then overlaps are counted on what is left.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("cph", "city", "Copenhagen"), Entity("lis", "city", "Lisbon"),
...      Entity("c40", "network", "C40"), Entity("force", "project", "FORCE")],
...     [Tie("cph", "c40", "member"), Tie("lis", "c40", "member"),
...      Tie("cph", "force", "lead"), Tie("lis", "force", "partner")],
... )
>>> [(o.other, o.items) for o in actor_overlaps(net, "cph")]
[('lis', ('c40', 'force'))]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from citykg.analysis.networks import (
    ACTOR_KINDS,
    COLLABORATION_KINDS,
    Network,
    check_kinds,
    load_network,
)
from citykg.analysis.projection import projection_blocks, rank_order, sparse_projection, top_pairs
from citykg.errors import CitykgError
from citykg.queries.sparql import SparqlSource

__all__ = [
    "MODES",
    "STATUSES",
    "Overlap",
    "OverlapReport",
    "actor_overlaps",
    "all_pair_overlaps",
    "collaboration_overlaps",
    "filtered_graph",
    "find_overlaps",
]

STATUSES = ("current", "past")
MODES = ("actor", "pairs", "networks")


@dataclass(frozen=True)
class Overlap:
    """Two nodes of one side and the nodes of the other side they share.

    ``actor``/``other`` are actors and ``items`` collaborations, or (network overlaps) the
    reverse. ``jaccard`` is shared / union of both neighbour sets.
    """

    actor: str
    other: str
    items: tuple[str, ...]
    jaccard: float

    @property
    def shared(self) -> int:
        return len(self.items)


def filtered_graph(
    net: Network,
    *,
    kinds: Sequence[str] | None = None,
    theme: str | None = None,
    status: str | None = None,
) -> nx.Graph:
    """The actor-collaboration graph with only the collaborations and ties the filters keep.

    Parameters
    ----------
    kinds : collaboration kinds to keep (network, project, programme, cooperation, event).
    theme : a theme ID or name; collaborations tagged with it or a narrower theme are kept.
    status : ``current`` or ``past``: keep only ties of that status.

    Returns
    -------
    networkx.Graph
        A copy, or the network's own graph when no filter removes anything (copying 250k
        edges with their attributes took 4-6 s): read it, do not modify it.
    """
    wanted = set(check_kinds(kinds, COLLABORATION_KINDS) or COLLABORATION_KINDS)
    theme_id = net.resolve(theme, ["theme"], "theme") if theme else None
    if status is not None and status not in STATUSES:
        raise CitykgError(f"unknown status '{status}'", "Use current or past.")
    if theme_id is not None:
        net.require("themes")
    if status is not None:
        net.require("roles")
    B = net.graph
    if theme_id is None and status is None and wanted == set(COLLABORATION_KINDS):
        return B
    keep = [
        n
        for n, attrs in B.nodes(data=True)
        if attrs["bipartite"] == 0
        or (attrs["kind"] in wanted and (theme_id is None or net.has_theme(n, theme_id)))
    ]
    F = nx.Graph(B.subgraph(keep))
    if status is not None:
        F.remove_edges_from([(u, v) for u, v, s in F.edges(data="status") if s != status])
    return F


Adjacency = Mapping[str, Collection[str]]


def _adjacency(
    net: Network,
    *,
    kinds: Sequence[str] | None = None,
    theme: str | None = None,
    status: str | None = None,
) -> Adjacency:
    """Each actor and collaboration with what it is tied to, after the filters.

    Without a filter, the network's own adjacency (no networkx graph is built: at a million
    triples that took longer than the overlaps); else the filtered graph's.
    """
    wanted = set(check_kinds(kinds, COLLABORATION_KINDS) or COLLABORATION_KINDS)
    if theme is None and status is None and wanted == set(COLLABORATION_KINDS):
        return net.adjacency
    F = filtered_graph(net, kinds=kinds, theme=theme, status=status)
    return {n: set(F.adj[n]) for n in F}


def actor_overlaps(
    net: Network,
    actor: str,
    *,
    kinds: Sequence[str] | None = None,
    theme: str | None = None,
    status: str | None = None,
) -> list[Overlap]:
    """Everyone who shares a collaboration with ``actor`` (an ID or name), most shared first.

    Ties are ranked by Jaccard similarity, then by ID. The others are the actors two steps
    from ``actor`` in the filtered graph (its ego graph of radius 2).
    """
    node = net.resolve(actor, ACTOR_KINDS, "actor")
    adjacency = _adjacency(net, kinds=kinds, theme=theme, status=status)
    mine = set(adjacency.get(node, ()))
    others = {other for item in mine for other in adjacency[item]} - {node}
    rows = []
    for other in others:
        if net.entities[other].kind not in ACTOR_KINDS:
            continue
        theirs = adjacency[other]
        items = tuple(sorted(mine.intersection(theirs)))
        shared = len(items)
        rows.append(Overlap(node, other, items, shared / (len(mine) + len(theirs) - shared)))
    return sorted(rows, key=lambda o: (-o.shared, -o.jaccard, o.other))


def _pairs(
    net: Network, adjacency: Adjacency, side: Sequence[str], limit: int | None
) -> list[Overlap]:
    """The overlaps of the pairs of nodes of the ``side`` kinds, ranked, at most ``limit``."""
    nodes = sorted(n for n, near in adjacency.items() if near and net.entities[n].kind in side)
    # Rank on the arrays (nodes are sorted, so index order is ID order) and name the shared
    # items only for the rows returned: millions of pairs stay cheap under a limit.
    if limit is not None and limit >= 0:
        # streamed: each block keeps its best `limit` pairs, no array of all pairs is made
        p = top_pairs(projection_blocks(adjacency, nodes, "jaccard"), limit)
        rows, cols, weights = p.rows, p.cols, p.weights
    else:
        p = sparse_projection(adjacency, nodes, "jaccard")
        order = rank_order(p)[:limit]
        rows, cols, weights = p.rows[order], p.cols[order], p.weights[order]
    out = []
    for r, c, w in zip(rows.tolist(), cols.tolist(), weights.tolist(), strict=True):
        a, b = nodes[r], nodes[c]
        shared = tuple(sorted(set(adjacency[a]).intersection(adjacency[b])))
        out.append(Overlap(a, b, shared, float(w)))
    return out


def all_pair_overlaps(
    net: Network,
    *,
    kinds: Sequence[str] | None = None,
    theme: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[Overlap]:
    """Every pair of actors that shares a collaboration, most shared first (at most ``limit``).

    Pairs come from the sparse projection (:func:`citykg.analysis.projection.sparse_projection`),
    so that all pairs of long member lists stay fast; ties in the ranking go by Jaccard, then
    by the two IDs.
    """
    adjacency = _adjacency(net, kinds=kinds, theme=theme, status=status)
    return _pairs(net, adjacency, ACTOR_KINDS, limit)


def collaboration_overlaps(
    net: Network,
    *,
    kinds: Sequence[str] | None = None,
    theme: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[Overlap]:
    """Pairs of collaborations that share members, most shared first (``items``: the actors)."""
    adjacency = _adjacency(net, kinds=kinds, theme=theme, status=status)
    return _pairs(net, adjacency, COLLABORATION_KINDS, limit)


@dataclass(frozen=True)
class OverlapReport:
    """Overlap rows with the network they came from (for labels and kinds)."""

    mode: str
    actor: str | None
    rows: tuple[Overlap, ...]
    net: Network


def find_overlaps(
    source: SparqlSource,
    actor: str,
    *,
    mode: str = "actor",
    kinds: Sequence[str] | None = None,
    theme: str | None = None,
    status: str | None = None,
    today: dt.date | None = None,
    limit: int | None = None,
) -> OverlapReport:
    """Read the graph from ``source`` and compute overlaps.

    ``mode`` is ``actor`` (everyone sharing with ``actor``, an ID or a name; the other modes
    ignore it), ``pairs`` (all actor pairs) or
    ``networks`` (collaboration pairs sharing members). ``today`` sets what is current;
    ``limit`` keeps the first rows only.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    # read what the filters use: the themes for a theme, the periods for a status
    parts = ["ties", *(["themes"] if theme else []), *(["roles"] if status else [])]
    net = load_network(source, today, parts)
    if mode == "actor":
        rows = actor_overlaps(net, actor, kinds=kinds, theme=theme, status=status)[:limit]
        return OverlapReport(mode, net.resolve(actor, ACTOR_KINDS, "actor"), tuple(rows), net)
    find = all_pair_overlaps if mode == "pairs" else collaboration_overlaps
    rows = find(net, kinds=kinds, theme=theme, status=status, limit=limit)
    return OverlapReport(mode, None, tuple(rows), net)
