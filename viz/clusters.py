"""Long member lists drawn as one node that opens on click.

A network with ninety member cities that have no other link on the map is, at the overview,
one fact: "C40: 93 members". Drawn as ninety dots it hides the rest of the portfolio. A
*group* is the set of nodes linked to nothing but one *hub*; groups of at least
:data:`GROUP_MIN` nodes start closed. Nodes linked to anything else (Copenhagen in C40 and in
FORCE) stay on the map, so nothing that connects two parts of the portfolio is ever folded away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable
from dataclasses import dataclass

import networkx as nx

__all__ = ["GROUP_MIN", "Group", "member_groups"]

GROUP_MIN = 12
"""A hub's leaves start as one node when there are at least this many."""


@dataclass(frozen=True)
class Group:
    """The leaves of one hub: the nodes linked to the hub and to nothing else."""

    hub: Hashable
    members: tuple[Hashable, ...]


def member_groups(
    G: nx.Graph, *, keep: Collection[Hashable] = (), minimum: int = GROUP_MIN
) -> list[Group]:
    """The groups of at least ``minimum`` leaves per hub, hubs in ID order.

    Parameters
    ----------
    G : networkx.Graph
        In a directed graph a leaf's one link must point to the hub (the member to what it
        belongs to), so a city's own portfolio is never folded; a self-loop is no link.
    keep : collection
        Nodes never folded into a group (the home city, a selected node).
    minimum : int
        The smallest group that is folded (at least 2: a hub with two leaves is not a leaf
        itself, so no group ever hides its own hub).

    Examples
    --------
    >>> G = nx.star_graph(["hub", *"abcdefghijklm"])
    >>> G.add_edge("a", "other")
    >>> [(g.hub, len(g.members)) for g in member_groups(G)]
    [('hub', 12)]
    >>> member_groups(G, keep={"b"})
    []
    >>> D = nx.DiGraph([(m, "network") for m in "abcdefghijkl"])
    >>> D.add_edges_from(("city", p) for p in "mnopqrstuvwx")
    >>> [(g.hub, len(g.members)) for g in member_groups(D)]
    [('network', 12)]
    """
    minimum = max(minimum, 2)
    leaves: dict[Hashable, list[Hashable]] = defaultdict(list)
    for node in G:
        if node in keep:
            continue
        others = set(nx.all_neighbors(G, node)) - {node}
        if len(others) == 1 and (
            not G.is_directed() or G.out_degree(node) - G.has_edge(node, node)
        ):
            leaves[next(iter(others))].append(node)
    groups = []
    for hub in sorted(leaves, key=str):
        members = sorted(leaves[hub], key=str)
        if len(members) >= minimum:
            groups.append(Group(hub, tuple(members)))
    return groups
