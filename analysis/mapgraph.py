"""The graph behind the interactive map: collaborations, actors and themes, ready for citykg.viz.

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("cph", "city", "København"), Entity("c40", "network", "C40", themes=("climate",)),
...      Entity("climate", "theme", "Climate action")],
...     [Tie("cph", "c40", "member")],
... )
>>> G = map_graph(net)
>>> G.nodes["cph"]["networks"], G.edges["c40", "climate"]["relation"]
(['C40'], 'theme')
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from citykg.analysis.metrics import ego, node_measures
from citykg.analysis.networks import (
    ACTOR_KINDS,
    COLLABORATION_KINDS,
    Network,
    load_network,
    period_text,
)
from citykg.analysis.overlaps import actor_overlaps
from citykg.queries.sparql import SparqlSource

__all__ = ["load_map_graph", "map_graph", "overlap_graph"]


def map_graph(
    net: Network, *, themes: bool = True, focus: str | None = None, radius: int = 2
) -> nx.Graph:
    """The graph for the interactive map: actors, collaborations and themes as nodes.

    Node attributes follow :mod:`citykg.viz`: ``label``, ``kind``, ``alt_labels``, ``themes``
    (labels; an actor also has the themes of the collaborations it takes part in), ``networks``
    (labels of the networks an actor belongs to; for a collaboration, itself if it is a network
    and the networks it is part of), ``period`` (text), ``evidence`` (list of ``{quote, section,
    source}``), ``centrality`` (betweenness in the actor-collaboration graph) and ``community``
    (Louvain, seeded). Edges carry ``relation``: a tie's most telling role (``member``,
    ``lead``, ``host``, ``party``, ...), ``theme`` to a theme, ``part-of`` to a parent
    collaboration; ``label`` lists all roles of a tie, ``status`` says current, past or future.
    Theme nodes have no ``centrality`` or ``community``: they are not part of the actor-
    collaboration graph those are computed on.
    Actors without any tie are left out. With ``focus`` (a node ID), only the actors and
    collaborations within ``radius`` steps of it are kept (networkx's ego graph), with their
    themes; centrality and community are still those of the whole graph.

    Examples
    --------
    >>> from citykg.analysis.networks import Entity, Tie
    >>> entities = [Entity("a", "city", "A"), Entity("n", "network", "N")]
    >>> net = Network.from_parts(entities, [Tie("a", "n", "lead")])
    >>> sorted(map_graph(net).edges(data="relation"))
    [('a', 'n', 'lead')]
    """
    B = net.graph
    measures = node_measures(B)
    keep = [n for n in B if B.degree(n) > 0 or B.nodes[n]["bipartite"] == 1]
    if focus is not None:
        near = set(ego(B, focus, radius))
        keep = [n for n in keep if n in near]
    G = nx.Graph()
    for node in keep:
        entity = net.entities[node]
        topics = set(entity.themes)
        if entity.kind in ACTOR_KINDS:
            parents = [c for c in B[node] if net.entities[c].kind == "network"]
            # An actor works on the themes of what it takes part in: the theme filter of the
            # map then shows the partners of a theme, not only its initiatives.
            for collaboration in B[node]:
                topics.update(net.entities[collaboration].themes)
        else:  # a network counts as its own, so that filtering by it keeps it on the map
            own = [node] if entity.kind == "network" else []
            parents = own + [
                p for p in entity.part_of if p in B and net.entities[p].kind == "network"
            ]
        G.add_node(
            node,
            label=entity.name,
            kind=entity.kind,
            alt_labels=list(entity.alt_labels),
            themes=sorted(net.label(t) for t in topics),
            networks=sorted(net.label(p) for p in parents),
            period=period_text(entity.start, entity.end),
            evidence=[e.as_dict() for e in entity.evidence],
            centrality=measures[node]["betweenness"],
            community=measures[node]["community"],
        )
    for u, v, attrs in B.edges(data=True):
        if u in G and v in G:
            G.add_edge(
                u,
                v,
                relation=attrs["relation"],
                label=", ".join(attrs["roles"]),
                status=attrs["status"],
            )
    for node in keep:
        entity = net.entities[node]
        for parent in entity.part_of:
            if parent in G:
                G.add_edge(node, parent, relation="part-of", label="part of")
        if not themes:
            continue
        for theme in entity.themes:
            t = net.entities.get(theme)
            if t is None:
                continue
            if theme not in G:
                G.add_node(
                    theme,
                    label=t.name,
                    kind="theme",
                    alt_labels=list(t.alt_labels),
                    themes=[],
                    networks=[],
                    period="",
                    evidence=[e.as_dict() for e in t.evidence],
                )
            G.add_edge(node, theme, relation="theme", label="theme")
    return G


def overlap_graph(net: Network, actor: str) -> nx.Graph:
    """The actors that share collaborations with ``actor``, as a star around it.

    Each link's ``weight`` is the number of collaborations shared and its ``label`` names
    them; nodes carry the same attributes as in :func:`map_graph`.

    Examples
    --------
    >>> from citykg.analysis.networks import Entity, Tie
    >>> net = Network.from_parts(
    ...     [Entity("cph", "city", "Copenhagen"), Entity("lis", "city", "Lisbon"),
    ...      Entity("c40", "network", "C40"), Entity("force", "project", "FORCE")],
    ...     [Tie("cph", "c40", "member"), Tie("lis", "c40", "member"),
    ...      Tie("cph", "force", "lead"), Tie("lis", "force", "partner")],
    ... )
    >>> G = overlap_graph(net, "cph")
    >>> G.edges["cph", "lis"]["weight"], G.edges["cph", "lis"]["label"]
    (2, 'C40, FORCE')
    """
    rows = actor_overlaps(net, actor)
    full = map_graph(net, themes=False)
    centre = net.resolve(actor, ACTOR_KINDS, "actor")
    G = nx.Graph()
    G.add_node(centre, **full.nodes[centre])
    for row in rows:
        if not row.items:
            continue
        G.add_node(row.other, **full.nodes[row.other])
        G.add_edge(
            centre,
            row.other,
            relation="overlap",
            weight=row.shared,
            label=", ".join(net.label(i) for i in row.items),
        )
    return G


def load_map_graph(
    source: SparqlSource,
    today: dt.date | None = None,
    *,
    focus: str | None = None,
    radius: int = 2,
    themes: bool = True,
    overlaps_of: str | None = None,
) -> nx.Graph:
    """Extract the graph from ``source`` and build the map graph (see :func:`map_graph`).

    ``focus`` may be an ID or a name of an actor or collaboration; an unknown one raises
    :class:`citykg.errors.CitykgError` with the closest names. ``overlaps_of`` (an actor)
    gives :func:`overlap_graph` instead.
    """
    net = load_network(source, today)
    if overlaps_of is not None:
        return overlap_graph(net, overlaps_of)
    node = None
    if focus is not None:
        node = net.resolve(focus, (*ACTOR_KINDS, *COLLABORATION_KINDS), "actor or collaboration")
    return map_graph(net, themes=themes, focus=node, radius=radius)
