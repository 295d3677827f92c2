"""Turn a networkx graph into the JSON the map page reads, and embed it safely.

The graph is read, never modified. Missing or malformed optional attributes get safe defaults
(a node without ``label`` is labelled with its ID, without ``kind`` it is ``"other"``; a single
string where a list is expected becomes a one-item list), so a caller's half-filled subgraph
still renders.

Everything the page compares or colours is decided here, in Python: each node's search keys
are :func:`citykg.fold.fold` of its names, and the page folds what the user types with a table
made by the same function (:func:`fold_table`), so the search box matches exactly as
``citykg query search`` and ``citykg overlaps`` do.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from citykg.fold import fold

from .clusters import Group
from .errors import VizError
from .style import GROUP_COLOURS, OTHER_COLOUR, kind_style, relation_style

__all__ = ["COLOUR_BY", "Payload", "build_payload", "embed_json", "fold_table"]

Payload = dict[str, Any]

MIN_SIZE = 10.0
MAX_SIZE = 40.0
SHORT_LABEL = 22
"""Labels longer than this are drawn as the node's shortest other name, where it has one."""
COLOUR_BY = ("kind", "community", "country", "dataset")
"""What node colours can stand for; the page has a control to switch between them."""

_URL = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)


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
    """Evidence items; ``url`` is set only for a web address, the one thing the page links."""
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
            entry = {"quote": quote, "section": section, "source": source}
            if _URL.match(source.strip()):
                entry["url"] = source.strip()
            if isinstance(item, Mapping) and item.get("on") is not None:
                entry["on"] = _text(item["on"])
            items.append(entry)
    # quotes first: what a strategy says reads before the addresses of lists
    return sorted(items, key=lambda e: not e["quote"])


def _node_ids(G: nx.Graph) -> dict[Hashable, str]:
    ids = {node: _text(node) for node in G.nodes}
    if len(set(ids.values())) != len(ids):
        raise VizError(
            "two nodes have the same ID once turned into text (e.g. 1 and '1')",
            "Relabel the graph with unique string IDs (networkx.relabel_nodes).",
        )
    return ids


def group_size(members: int) -> float:
    """The drawn size of a folded list of ``members`` nodes."""
    return round(min(MAX_SIZE, MIN_SIZE + 2.5 * math.sqrt(members)), 2)


def node_sizes(G: nx.Graph) -> dict[Hashable, float]:
    """Node sizes from ``centrality`` (or degree when nobody computed one), square-root scaled."""
    measure: dict[Hashable, float] = {}
    for node, attrs in G.nodes(data=True):
        c = _number(attrs.get("centrality"))
        if c is not None:
            measure[node] = max(c, 0.0)
    if not measure and G.number_of_edges():
        # nobody computed a centrality: size by degree, so hubs still stand out
        measure = {node: float(d) for node, d in G.degree()}
    top = max(measure.values(), default=0.0)
    return {
        node: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(m / top), 2)
        for node, m in measure.items()
        if top > 0
    }


def _node_item(nid: str, attrs: Mapping[str, Any], size: float | None) -> dict[str, Any]:
    label = _text(attrs.get("label")) or nid
    alt = _texts(attrs.get("alt_labels"))
    item: dict[str, Any] = {
        "id": nid,
        "label": label,
        "kind": _text(attrs.get("kind")) or "other",
        "alt": alt,
        "keys": [fold(name) for name in (label, *alt)],
        "themes": sorted(set(_texts(attrs.get("themes")))),
        "networks": sorted(set(_texts(attrs.get("networks")))),
        "period": _text(attrs.get("period")),
        "evidence": _evidence(attrs.get("evidence")),
        "size": size if size is not None else MIN_SIZE,
    }
    if len(label) > SHORT_LABEL:
        # on the canvas a long label hides its neighbours: "C40", not "C40 Cities Climate
        # Leadership Group", when the data has a shorter name (the panel shows them all)
        shorter = [a for a in alt if 2 <= len(a) < len(label)]
        if shorter:
            item["short"] = min(shorter, key=lambda a: (len(a), a))
    for key in (
        "country",
        "dataset",
        "evidence_status",
        "status_note",
        "as_of",
        "place",
        "unplaced",
    ):
        value = _text(attrs.get(key))
        if value:
            item[key] = value
    quantities = _texts(attrs.get("quantities"))
    if quantities:
        item["quantities"] = quantities
    centrality = _number(attrs.get("centrality"))
    if centrality is not None:
        item["centrality"] = centrality
    community = _number(attrs.get("community"))
    if community is not None:
        item["community"] = int(community)
    if attrs.get("home") is True:
        item["home"] = True
    return item


def _nodes(
    G: nx.Graph,
    ids: Mapping[Hashable, str],
    positions: Mapping[Hashable, tuple[float, float]] | None,
    grouped: Mapping[Hashable, str],
) -> list[dict[str, Any]]:
    sizes = node_sizes(G)
    nodes = []
    for node in sorted(G.nodes, key=lambda v: ids[v]):
        item = _node_item(ids[node], G.nodes[node], sizes.get(node))
        if positions is not None and node in positions:
            item["x"], item["y"] = positions[node]
        if node in grouped:
            item["group"] = grouped[node]
        nodes.append(item)
    return nodes


def _ties(value: Any) -> list[dict[str, str]]:
    ties = []
    for tie in value if isinstance(value, list | tuple) else []:
        if isinstance(tie, Mapping) and tie.get("role"):
            ties.append({k: _text(tie.get(k)) for k in ("role", "start", "end", "status")})
    return ties


def _edge_item(a: str, b: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    relation = _text(attrs.get("relation")) or "related"
    roles = _texts(attrs.get("roles")) or [relation]
    edge: dict[str, Any] = {"from": a, "to": b, "relation": relation, "roles": roles}
    for key in ("label", "period", "status", "evidence_status", "status_note", "as_of"):
        value = _text(attrs.get(key))
        if value:
            edge["text" if key == "label" else key] = value
    weight = _number(attrs.get("weight"))
    if weight is not None:
        edge["weight"] = weight
    ties = _ties(attrs.get("ties"))
    if ties:
        edge["ties"] = ties
    evidence = _evidence(attrs.get("evidence"))
    if evidence:
        edge["evidence"] = evidence
    mentions = _evidence(attrs.get("mentions"))
    if mentions:
        edge["mentions"] = mentions
    return edge


def _edges(G: nx.Graph, ids: Mapping[Hashable, str]) -> list[dict[str, Any]]:
    directed = G.is_directed()
    items = []
    for u, v, attrs in G.edges(data=True):
        a, b = ids[u], ids[v]
        if not directed and b < a:
            a, b = b, a
        items.append(_edge_item(a, b, attrs))
    items.sort(
        key=lambda e: (e["from"], e["to"], e["relation"], e.get("text", ""), e.get("weight", -1.0))
    )
    top_weight = max((e.get("weight", 0.0) for e in items), default=0.0)
    for i, edge in enumerate(items):
        edge["id"] = f"e{i}"
        weight = edge.get("weight")
        if weight is not None and top_weight > 0 and weight > 0:
            # widths from 1x to 6x the relation's own width, by the share of the largest
            base = relation_style(edge["relation"])["width"]
            edge["width"] = round(base * (1 + 5 * weight / top_weight), 2)
    return items


def _group_nodes(
    groups: Sequence[Group],
    G: nx.Graph,
    ids: Mapping[Hashable, str],
    positions: Mapping[Hashable, tuple[float, float]] | None,
    group_ids: Mapping[Hashable, str],
) -> list[dict[str, Any]]:
    """One entry per closed member list: its node ID, hub, members and the words to show."""
    out = []
    for group in groups:
        hub = G.nodes[group.hub]
        names = [_text(hub.get("label")) or ids[group.hub], *_texts(hub.get("alt_labels"))]
        short = min(names, key=lambda s: (len(s) < 2, len(s), s))
        relations = Counter(
            _text(
                (G.get_edge_data(m, group.hub) or G.get_edge_data(group.hub, m) or {}).get(
                    "relation"
                )
            )
            or "related"
            for m in group.members
        )
        # "93 members"; a list that mixes roles is named by its commonest ("401 members
        # and others"): the panel lists each member's own role
        top = relations.most_common(1)[0][0]
        noun = relation_style(top)["backward"] + (" and others" if len(relations) > 1 else "")
        kinds = Counter(_text(G.nodes[m].get("kind")) or "other" for m in group.members)
        gid = group_ids[group.hub]
        item: dict[str, Any] = {
            "id": gid,
            "hub": ids[group.hub],
            "members": [ids[m] for m in group.members],
            "short": short,
            "noun": noun,
            "kind": kinds.most_common(1)[0][0],
            "size": group_size(len(group.members)),
        }
        if positions is not None and gid in positions:
            item["x"], item["y"] = positions[gid]
        out.append(item)
    return out


def group_node_ids(G: nx.Graph, groups: Iterable[Group]) -> dict[Hashable, str]:
    """hub -> the ID of its group's node, unique among the graph's own node IDs."""
    taken = {_text(v) for v in G}
    out = {}
    for group in groups:
        gid = f"group:{_text(group.hub)}"
        while gid in taken:
            gid += "+"
        taken.add(gid)
        out[group.hub] = gid
    return out


def _palette(counts: Counter[str], describe: Mapping[str, str]) -> list[dict[str, Any]]:
    """Legend entries, largest first: the first ones get their own colour, the rest grey."""
    entries = []
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for i, (key, count) in enumerate(ranked):
        colour = GROUP_COLOURS[i] if i < len(GROUP_COLOURS) else OTHER_COLOUR
        entries.append(
            {"key": key, "name": describe.get(key, key), "count": count, "color": colour}
        )
    return entries


def _colourings(nodes: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Legends for colouring by community (named after its largest node), country, dataset."""
    communities: Counter[str] = Counter()
    leader: dict[str, tuple[float, str]] = {}
    countries: Counter[str] = Counter()
    datasets: Counter[str] = Counter()
    for n in nodes:
        if "dataset" in n:
            datasets[n["dataset"]] += 1
        if "community" in n:
            key = str(n["community"])
            communities[key] += 1
            best = leader.get(key)
            if best is None or (-n["size"], n["label"]) < (-best[0], best[1]):
                leader[key] = (n["size"], n["label"])
        if "country" in n:
            countries[n["country"]] += 1
    names = {k: f"around {label}" for k, (_, label) in leader.items()}
    return {
        "community": _palette(communities, names),
        "country": _palette(countries, {}),
        "dataset": _palette(datasets, {}),
    }


def _legend_counts(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    kinds = Counter(n["kind"] for n in nodes)
    relations = Counter(e["relation"] for e in edges)
    roles = {r for e in edges for r in e["roles"]}
    themes = Counter(t for n in nodes for t in n["themes"])
    networks = Counter(w for n in nodes for w in n["networks"])
    return {
        "kinds": {k: {**kind_style(k), "count": kinds[k]} for k in sorted(kinds)},
        "relations": {r: {**relation_style(r), "count": relations[r]} for r in sorted(relations)},
        # the words for every role, also those never drawn as a line's own style
        "roles": {
            r: {k: relation_style(r)[k] for k in ("forward", "backward")} for r in sorted(roles)
        },
        "themes": dict(sorted(themes.items())),
        "networks": dict(sorted(networks.items())),
    }


def _weights(G: nx.Graph, edges: Sequence[Mapping[str, Any]], minimum: float | None) -> Any:
    values = [e["weight"] for e in edges if "weight" in e]
    if not values:
        return None
    top = max(values)
    start = min(minimum, top) if minimum is not None else min(values)
    return {
        "label": _text(G.graph.get("weight_label")) or "weight",
        "min": min(values),
        "max": top,
        "start": start,
    }


def build_payload(
    G: nx.Graph,
    *,
    title: str,
    physics: bool = False,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    groups: Sequence[Group] = (),
    colour_by: str = "kind",
    min_weight: float | None = None,
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
        node (or group node ID) -> (x, y) in canvas pixels.
    groups : sequence of Group
        Member lists that start closed (:func:`citykg.viz.clusters.member_groups`).
    colour_by : str
        What node colours stand for at first (one of :data:`COLOUR_BY`).
    min_weight : float, optional
        Links lighter than this start hidden (the page has a slider).

    Returns
    -------
    dict
        JSON-serialisable; nodes sorted by ID, edges by (from, to, relation, label).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("cph", label="København", kind="city", home=True)
    >>> G.add_node("c40", label="C40", kind="network")
    >>> G.add_edge("cph", "c40", relation="member")
    >>> p = build_payload(G, title="t")
    >>> [n["id"] for n in p["nodes"]], p["edges"][0]["relation"], p["home"]
    (['c40', 'cph'], 'member', 'cph')
    >>> p["nodes"][1]["keys"]
    ['kobenhavn']
    """
    if colour_by not in COLOUR_BY:
        raise VizError(
            f"cannot colour the map by {colour_by!r}", "Use one of " + ", ".join(COLOUR_BY) + "."
        )
    ids = _node_ids(G)
    group_ids = group_node_ids(G, groups)
    grouped = {m: group_ids[g.hub] for g in groups for m in g.members}
    nodes = _nodes(G, ids, positions, grouped)
    edges = _edges(G, ids)
    homes = [n["id"] for n in nodes if n.get("home")]
    centre = G.graph.get("centre")
    labels = [n["label"] for n in nodes] + [a for n in nodes for a in n["alt"]]
    return {
        "title": title,
        "physics": physics,
        "directed": G.is_directed(),
        "positioned": positions is not None,
        "home": homes[0] if homes else None,
        "centre": ids.get(centre),
        "colour_by": colour_by,
        "colourings": _colourings(nodes),
        **_legend_counts(nodes, edges),
        "nodes": nodes,
        "edges": edges,
        "groups": _group_nodes(groups, G, ids, positions, group_ids),
        "weights": _weights(G, edges, min_weight),
        # how the sizes' betweenness was estimated on a large graph (absent when exact)
        "estimate": _text(G.graph.get("centrality_note")) or None,
        "fold": fold_table(labels),
    }


# Characters the page can fold whatever the labels hold: Latin-1 Supplement, Latin Extended-A
# and -B, Latin Extended Additional, Greek, Cyrillic and general punctuation.
_FOLD_BLOCKS = ((0x80, 0x250), (0x370, 0x530), (0x1E00, 0x1F00), (0x2000, 0x2070))
_SPACES = tuple(chr(c) for c in range(0x80, 0x10000) if chr(c).isspace())


def fold_table(texts: Iterable[str]) -> dict[str, str]:
    """What :func:`citykg.fold.fold` turns each non-ASCII character into, before spacing.

    The table covers every character of ``texts``, the blocks in ``_FOLD_BLOCKS`` and every
    white-space character. The page folds typed text character by character with it, lower-
    cases ASCII, then collapses white space as :func:`citykg.fold.fold` does; anyascii
    transliterates one code point at a time, so this gives the same result.

    Examples
    --------
    >>> table = fold_table(["Łódź", "北京"])
    >>> table["Ł"], table["ó"], table["北"], "a" in table
    ('l', 'o', 'bei', False)
    """
    chars = {c for text in texts for c in text if ord(c) >= 0x80}
    chars.update(chr(c) for lo, hi in _FOLD_BLOCKS for c in range(lo, hi))
    chars.update(_SPACES)
    # fold() strips and collapses; per character only the transliteration and case count, so
    # a space from "\u00a0" is kept here and collapsed by the page afterwards
    table = {}
    for c in sorted(chars):
        folded = fold("a" + c + "a")[1:-1]
        table[c] = folded
    return table


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
