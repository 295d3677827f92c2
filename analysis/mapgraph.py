"""The graph behind the interactive map: collaborations, actors and themes, ready for citykg.viz.

Links point the way the data reads: from the member to what it belongs to (member -> network,
partner -> project, host -> event, party -> agreement), from a part to its whole, from an
initiative to its theme. Each link carries every role it merges, with periods, its own evidence
and that evidence's status (:func:`evidence_status`).

Examples
--------
>>> from citykg.analysis.networks import Entity, Network, Tie
>>> net = Network.from_parts(
...     [Entity("cph", "city", "København"), Entity("c40", "network", "C40", themes=("climate",)),
...      Entity("climate", "theme", "Climate action")],
...     [Tie("cph", "c40", "member")],
... )
>>> G = map_graph(net, home="cph")
>>> G.nodes["cph"]["networks"], G.edges["c40", "climate"]["relation"], G.nodes["cph"]["home"]
(['C40'], 'theme', True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import networkx as nx

from citykg.analysis.extract import entity_datasets
from citykg.analysis.metrics import ego, measure_nodes
from citykg.analysis.networks import (
    ACTOR_KINDS,
    COLLABORATION_KINDS,
    Entity,
    Network,
    load_network,
    period_text,
)
from citykg.analysis.overlaps import actor_overlaps
from citykg.analysis.places import SOURCE as PLACE_SOURCE
from citykg.analysis.places import place_nodes
from citykg.analysis.statuses import DataStatus, Statuses, read_statuses
from citykg.fold import name_key
from citykg.pagedata import Evidence, Quantity, data_status, evidence_status
from citykg.queries.sparql import SparqlSource

__all__ = [
    "MapFacts",
    "load_map_facts",
    "load_map_graph",
    "map_graph",
    "overlap_graph",
    "read_quantities",
]


def _status(evidence: Iterable[Mapping[str, str]], explicit: str | None = None) -> str | None:
    """The one rule of the project (:func:`citykg.pagedata.evidence_status`) on evidence dicts."""
    items = [
        Evidence(e.get("quote", ""), e.get("section", ""), e.get("source", "")) for e in evidence
    ]
    return evidence_status(items, explicit)


@dataclass
class MapFacts:
    """What the map reads beyond the network extraction (see ``sparql/map-facts.rq``)."""

    country: dict[str, str] = field(default_factory=dict)
    #: entity -> the datasets that state facts about it (ckg:inDataset), sorted
    datasets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def several_datasets(self) -> bool:
        """Whether the entities come from more than one dataset (else a colour says nothing)."""
        return len({d for names in self.datasets.values() for d in names}) > 1

    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: the data's own statuses, reasons and as-of dates (:mod:`citykg.analysis.statuses`)
    statuses: Statuses = field(default_factory=Statuses)
    #: entity -> its figures, one line each (measure, figure, time, status)
    quantities: dict[str, list[str]] = field(default_factory=dict)


def read_quantities(source: SparqlSource) -> dict[str, list[Quantity]]:
    """Every entity's quantities (``sparql/quantities.rq``), sorted, by entity ID."""
    query = (resources.files("citykg.analysis") / "sparql" / "quantities.rq").read_text("utf-8")
    found: dict[str, list[Quantity]] = {}
    for row in source.select(query).rows:
        subject = str(row["s"])

        def text(name: str, row: Mapping[str, object] = row) -> str:
            value = row.get(name)
            return "" if value is None else str(value)

        status = data_status([text("status")] if text("status") else [], subject, source.name)
        found.setdefault(subject, []).append(
            Quantity(
                measure=text("measure"),
                value=text("value"),
                min=text("min"),
                max=text("max"),
                qualifier=text("qualifier") or "exact",
                unit=text("unit"),
                year=text("year"),
                start=text("start"),
                end=text("end"),
                status=status or "",
            )
        )
    return {s: sorted(q) for s, q in sorted(found.items())}


def load_map_facts(source: SparqlSource) -> MapFacts:
    """Countries, coordinates, the data's statuses and the figures from ``source``.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> from citykg.queries.sparql import LocalSource
    >>> facts = load_map_facts(LocalSource(assemble(validate=False).dataset))
    >>> facts.country["lisbon"], facts.coordinates  # the built-in data gives no coordinates
    ('Portugal', {})
    """
    query = (resources.files("citykg.analysis") / "sparql" / "map-facts.rq").read_text("utf-8")
    facts = MapFacts()
    lat: dict[str, float] = {}
    long: dict[str, float] = {}
    for row in source.select(query).rows:
        name, value = str(row["field"]), str(row["value"])
        subject = str(row["s"])
        if name == "country":
            # one country per entity: the first name in order, whatever order rows come in
            facts.country[subject] = min(value, facts.country.get(subject, value))
        elif name in ("lat", "long"):
            target = lat if name == "lat" else long
            try:
                target[subject] = float(value)
            except ValueError:
                continue
    facts.coordinates = {s: (lat[s], long[s]) for s in sorted(lat) if s in long}
    facts.datasets = entity_datasets(source)
    facts.statuses = read_statuses(source)
    facts.quantities = {s: [q.text for q in qs] for s, qs in read_quantities(source).items()}
    return facts


def _mentions(text: str, names: Sequence[str]) -> bool:
    """Whether ``text`` names one of ``names`` as whole words, as the one fold reads them."""
    key = f" {name_key(text)} "
    return any(f" {n} " in key for n in names)


def _names(entity: Entity) -> list[str]:
    keys = {name_key(n) for n in (entity.label, *entity.alt_labels) if n}
    return sorted(k for k in keys if len(k) >= 3)


def _node_attrs(
    net: Network, node: str, facts: MapFacts, measures: Mapping[Hashable, Mapping[str, Any]]
) -> dict[str, Any]:
    B = net.graph
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
        parents = own + [p for p in entity.part_of if p in B and net.entities[p].kind == "network"]
    evidence = [e.as_dict() for e in entity.evidence]
    attrs: dict[str, Any] = {
        "label": entity.name,
        "kind": entity.kind,
        "alt_labels": list(entity.alt_labels),
        "themes": sorted(net.label(t) for t in topics),
        "networks": sorted(net.label(p) for p in parents),
        "period": period_text(entity.start, entity.end),
        "evidence": evidence,
    }
    explicit = facts.statuses.entities.get(node) or DataStatus()
    status = _status(evidence, explicit.status)
    if status:
        attrs["evidence_status"] = status
    if explicit.note:
        attrs["status_note"] = explicit.note
    if explicit.as_of:
        attrs["as_of"] = explicit.as_of
    if node in facts.quantities:
        attrs["quantities"] = list(facts.quantities[node])
    if node in facts.country:
        attrs["country"] = facts.country[node]
    if node in facts.datasets:
        attrs["datasets"] = facts.datasets[node]  # what --dataset filters by
        if facts.several_datasets:
            attrs["dataset"] = " + ".join(facts.datasets[node])
    if node in facts.coordinates:
        attrs["lat"], attrs["long"] = facts.coordinates[node]
    if node in measures:
        attrs["centrality"] = measures[node]["betweenness"]
        attrs["community"] = measures[node]["community"]
    return attrs


def _tie_attrs(net: Network, actor: str, collaboration: str, facts: MapFacts) -> dict[str, Any]:
    """A link's roles, periods, evidence, status, and the quotes on either end naming the other."""
    edge = net.graph.edges[actor, collaboration]
    link = facts.statuses.of_link(
        actor, collaboration, [t["role"] for t in edge["ties"]], edge["evidence"]
    )
    attrs: dict[str, Any] = {
        "relation": edge["relation"],
        "roles": list(edge["roles"]),
        "label": ", ".join(edge["roles"]),
        "ties": [dict(t) for t in edge["ties"]],
        "period": period_text(edge.get("start"), edge.get("end")),
        "status": edge["status"],
        "evidence": list(edge["evidence"]),
    }
    if link.status:
        attrs["evidence_status"] = link.status
    if link.note:
        attrs["status_note"] = link.note
    if link.as_of:
        attrs["as_of"] = link.as_of
    mentions = []
    for on, other in ((collaboration, actor), (actor, collaboration)):
        names = _names(net.entities[other])
        for e in net.entities[on].evidence:
            if e.quote and _mentions(e.quote, names):
                mentions.append({**e.as_dict(), "on": on})
    if mentions:
        attrs["mentions"] = mentions
    return attrs


def _theme_node(net: Network, theme: str) -> dict[str, Any]:
    t = net.entities[theme]
    evidence = [e.as_dict() for e in t.evidence]
    attrs: dict[str, Any] = {
        "label": t.name,
        "kind": "theme",
        "alt_labels": list(t.alt_labels),
        "themes": [],
        "networks": [],
        "period": "",
        "evidence": evidence,
    }
    status = _status(evidence)
    if status:
        attrs["evidence_status"] = status
    return attrs


def map_graph(
    net: Network,
    *,
    themes: bool = True,
    focus: str | None = None,
    radius: int = 2,
    home: str | None = None,
    facts: MapFacts | None = None,
) -> nx.DiGraph:
    """The graph for the interactive map: actors, collaborations and themes as nodes.

    Node attributes follow :mod:`citykg.viz`: ``label``, ``kind``, ``alt_labels``, ``themes``
    (labels; an actor also has the themes of the collaborations it takes part in), ``networks``
    (labels of the networks an actor belongs to; for a collaboration, itself if it is a network
    and the networks it is part of), ``period`` (text), ``evidence`` (list of ``{quote, section,
    source}``), ``evidence_status``, ``status_note`` (the reason of an inference), ``as_of``
    (the date its lists describe), ``quantities`` (one line per figure), ``country``,
    ``dataset`` (the sources it comes from),
    ``lat``/``long`` where the data has them,
    ``centrality`` (betweenness in the actor-collaboration graph), ``community`` (Louvain,
    seeded) and ``home`` (True on the home city). Links run actor -> collaboration with
    ``relation`` (the most telling role: ``member``, ``lead``, ``host``, ``party``, ...),
    ``roles`` (all of them), ``ties`` (each role's period and status), ``period``, ``status``
    (current, past or future), ``evidence``, ``evidence_status``, ``status_note``, ``as_of`` and
    ``mentions`` (quotes on
    either end that name the other); collaboration -> parent collaboration (``part-of``) and
    item -> theme (``theme``). Theme nodes have no ``centrality`` or ``community``: they are
    not part of the actor-collaboration graph those are computed on.

    Actors without any tie are left out. With ``focus`` (a node ID), only the actors and
    collaborations within ``radius`` steps of it are kept (networkx's ego graph), with their
    themes; centrality and community are still those of the whole graph; the graph attribute
    ``focus`` names it.

    Examples
    --------
    >>> from citykg.analysis.networks import Entity, Tie
    >>> entities = [Entity("a", "city", "A"), Entity("n", "network", "N")]
    >>> net = Network.from_parts(entities, [Tie("a", "n", "lead")])
    >>> sorted(map_graph(net).edges(data="relation"))
    [('a', 'n', 'lead')]
    """
    facts = facts or MapFacts()
    B = net.graph
    measures, betweenness = measure_nodes(B)
    keep = [n for n in B if B.degree(n) > 0 or B.nodes[n]["bipartite"] == 1]
    G = nx.DiGraph()
    if not betweenness.exact:
        # sizes come from betweenness: say when it is an estimate (a large graph)
        G.graph["centrality_note"] = betweenness.note()
    if focus is not None:
        near = set(ego(B, focus, radius))
        keep = [n for n in keep if n in near]
        G.graph["focus"] = focus
    for node in keep:
        G.add_node(node, **_node_attrs(net, node, facts, measures))
    if home is not None and home in G:
        G.nodes[home]["home"] = True
    for u, v in B.edges():
        actor, collaboration = (u, v) if B.nodes[u]["bipartite"] == 0 else (v, u)
        if actor in G and collaboration in G:
            G.add_edge(actor, collaboration, **_tie_attrs(net, actor, collaboration, facts))
    for node in keep:
        entity = net.entities[node]
        for parent in entity.part_of:
            if parent in G:
                G.add_edge(node, parent, relation="part-of", roles=["part-of"], label="part of")
        if not themes:
            continue
        for theme in entity.themes:
            if theme not in net.entities:
                continue
            if theme not in G:
                G.add_node(theme, **_theme_node(net, theme))
            G.add_edge(node, theme, relation="theme", roles=["theme"], label="theme")
    return G


def overlap_graph(
    net: Network, actor: str, *, home: str | None = None, facts: MapFacts | None = None
) -> nx.Graph:
    """The actors that share collaborations with ``actor``, as a star around it.

    Each link's ``weight`` is the number of collaborations shared and its ``label`` names
    them; nodes carry the same attributes as in :func:`map_graph`. The graph attributes
    ``centre`` (the actor) and ``weight_label`` tell the renderer how to read the star.

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
    >>> G.edges["cph", "lis"]["weight"], G.edges["cph", "lis"]["label"], G.graph["centre"]
    (2, 'C40, FORCE', 'cph')
    """
    rows = actor_overlaps(net, actor)
    full = map_graph(net, themes=False, home=home, facts=facts)
    centre = net.resolve(actor, ACTOR_KINDS, "actor")
    G = nx.Graph(centre=centre, weight_label="collaborations shared")
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
    home: str | None = None,
    require_home: bool = True,
    places: bool = False,
) -> nx.Graph:
    """Extract the graph from ``source`` and build the map graph (see :func:`map_graph`).

    ``focus`` may be an ID or a name of an actor or collaboration, ``home`` of an actor; an
    unknown one raises :class:`citykg.errors.CitykgError` with the closest names, except a
    ``home`` that is not ``require_home``: the graph attribute ``home_missing`` then names it,
    for the caller to say. ``overlaps_of`` (an actor) gives :func:`overlap_graph` instead.
    ``places`` puts a point on every city it can (:func:`citykg.analysis.places.place_nodes`)
    and names the gazetteer in the graph attribute ``place_source``.
    """
    net = load_network(source, today)
    facts = load_map_facts(source)
    home_id = None
    if home is not None and (require_home or net.matches(home, ACTOR_KINDS)):
        home_id = net.resolve(home, ACTOR_KINDS, "home city")
    G: nx.Graph
    if overlaps_of is not None:
        G = overlap_graph(net, overlaps_of, home=home_id, facts=facts)
    else:
        node = None
        if focus is not None:
            kinds = (*ACTOR_KINDS, *COLLABORATION_KINDS)
            node = net.resolve(focus, kinds, "actor or collaboration")
        G = map_graph(net, themes=themes, focus=node, radius=radius, home=home_id, facts=facts)
    if home is not None and home_id is None:
        G.graph["home_missing"] = home
    if places:
        place_nodes(G)
        G.graph["place_source"] = PLACE_SOURCE
    return G
