"""Turn a networkx graph into the JSON the map page reads, and embed it safely.

The graph is read, never modified. Missing or malformed optional attributes get safe defaults
(a node without ``label`` is labelled with its ID, without ``kind`` it is ``"other"``; a single
string where a list is expected becomes a one-item list), so a caller's half-filled subgraph
still renders.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from .errors import VizError
from .style import kind_style, relation_style

__all__ = ["Payload", "build_payload", "embed_json"]

Payload = dict[str, Any]

MIN_SIZE = 10.0
MAX_SIZE = 40.0


def _text(value: Any, default: str = "") -> str:
    if value is None:
        return default
    return value if isinstance(value, str) else str(value)


def _texts(value: Any) -> list[str]:
    """A list of strings from None, one string, or an iterable of values."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    try:
        return [_text(v) for v in value if v is not None and _text(v)]
    except TypeError:
        return [_text(value)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _evidence(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if isinstance(value, Mapping | str):
        value = [value]
    items = []
    for item in value:
        if isinstance(item, Mapping):
            quote = _text(item.get("quote"))
            section = _text(item.get("section"))
            source = _text(item.get("source"))
        else:
            quote, section, source = _text(item), "", ""
        if quote or section or source:
            items.append({"quote": quote, "section": section, "source": source})
    return items


def build_payload(
    G: nx.Graph,
    *,
    title: str,
    physics: bool,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> Payload:
    """Collect everything the page needs from ``G``, in a deterministic order.

    Parameters
    ----------
    G : networkx.Graph
        Nodes and attributes as described in :mod:`citykg.viz`.
    title : str
        Shown as the page heading.
    physics : bool
        Whether vis-network's physics simulation starts enabled.
    positions : mapping, optional
        node -> (x, y) in canvas pixels; nodes not in it are placed by the browser.

    Returns
    -------
    dict
        JSON-serialisable; nodes sorted by ID, edges by (from, to, relation, label).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("cph", label="Copenhagen", kind="city")
    >>> G.add_node("c40", label="C40", kind="network")
    >>> G.add_edge("cph", "c40", relation="member")
    >>> p = build_payload(G, title="t", physics=True)
    >>> [n["id"] for n in p["nodes"]], p["edges"][0]["relation"]
    (['c40', 'cph'], 'member')
    """
    ids: dict[Hashable, str] = {}
    for node in G.nodes:
        nid = _text(node)
        ids[node] = nid
    if len(set(ids.values())) != len(ids):
        raise VizError(
            "two nodes have the same ID once turned into text (e.g. 1 and '1')",
            "Relabel the graph with unique string IDs (networkx.relabel_nodes).",
        )

    measure: dict[Hashable, float] = {}
    for node, attrs in G.nodes(data=True):
        c = _number(attrs.get("centrality"))
        if c is not None:
            measure[node] = max(c, 0.0)
    if not measure and G.number_of_edges():
        # nobody computed a centrality: size by degree, so hubs still stand out
        measure = {node: float(d) for node, d in G.degree()}
    top = max(measure.values(), default=0.0)

    nodes = []
    kinds: dict[str, int] = {}
    themes: dict[str, int] = {}
    networks: dict[str, int] = {}
    for node in sorted(G.nodes, key=lambda v: ids[v]):
        attrs = G.nodes[node]
        kind = _text(attrs.get("kind")) or "other"
        item: dict[str, Any] = {
            "id": ids[node],
            "label": _text(attrs.get("label")) or ids[node],
            "kind": kind,
            "alt": _texts(attrs.get("alt_labels")),
            "themes": sorted(set(_texts(attrs.get("themes")))),
            "networks": sorted(set(_texts(attrs.get("networks")))),
            "period": _text(attrs.get("period")),
            "evidence": _evidence(attrs.get("evidence")),
        }
        m = measure.get(node)
        item["size"] = (
            round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(m / top), 2)
            if m is not None and top > 0
            else MIN_SIZE
        )
        centrality = _number(attrs.get("centrality"))
        if centrality is not None:
            item["centrality"] = centrality
        community = _number(attrs.get("community"))
        if community is not None:
            item["community"] = int(community)
        if positions is not None and node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
        kinds[kind] = kinds.get(kind, 0) + 1
        for t in item["themes"]:
            themes[t] = themes.get(t, 0) + 1
        for n in item["networks"]:
            networks[n] = networks.get(n, 0) + 1

    directed = G.is_directed()
    raw_edges = []
    for u, v, attrs in G.edges(data=True):
        a, b = ids[u], ids[v]
        if not directed and b < a:
            a, b = b, a
        relation = _text(attrs.get("relation")) or "related"
        label = _text(attrs.get("label"))
        weight = _number(attrs.get("weight"))
        raw_edges.append((a, b, relation, label, weight))
    raw_edges.sort(key=lambda e: (e[0], e[1], e[2], e[3], e[4] if e[4] is not None else -1.0))
    top_weight = max((e[4] for e in raw_edges if e[4] is not None), default=0.0)

    edges = []
    relations: dict[str, int] = {}
    for i, (a, b, relation, label, weight) in enumerate(raw_edges):
        edge: dict[str, Any] = {"id": f"e{i}", "from": a, "to": b, "relation": relation}
        base = relation_style(relation)["width"]
        if weight is not None:
            edge["weight"] = weight
            if top_weight > 0 and weight > 0:
                # widths from 1x to 5x the relation's own width, by the share of the largest
                edge["width"] = round(base * (1 + 4 * weight / top_weight), 2)
        if label:
            edge["label"] = label
        edges.append(edge)
        relations[relation] = relations.get(relation, 0) + 1

    return {
        "title": title,
        "physics": physics,
        "directed": directed,
        "positioned": positions is not None,
        "kinds": {k: {**kind_style(k), "count": kinds[k]} for k in sorted(kinds)},
        "relations": {r: {**relation_style(r), "count": relations[r]} for r in sorted(relations)},
        "themes": {t: themes[t] for t in sorted(themes)},
        "networks": {n: networks[n] for n in sorted(networks)},
        "nodes": nodes,
        "edges": edges,
    }


_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def embed_json(data: Any) -> str:
    """Serialise ``data`` for a ``<script type="application/json">`` block.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so no value (a label such as
    ``</script><img src=x onerror=alert(1)>``) can end the block or start markup; JSON.parse
    turns them back into the same characters.

    Examples
    --------
    >>> embed_json({"label": "</script>"})
    '{"label":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return text.translate(_ESCAPES)
