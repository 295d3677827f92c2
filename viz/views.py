"""Small pure helpers that cut a view out of a graph before it is drawn, and name it.

Each returns a new graph (a copy: drawing or changing it never touches the caller's graph).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from citykg.errors import did_you_mean
from citykg.fold import fold

from .errors import UnknownNodeError, VizError

__all__ = ["ego_view", "filter_view", "find_node", "view_title"]


def _names(attrs: dict[str, Any]) -> list[str]:
    names = [attrs.get("label")]
    alt = attrs.get("alt_labels") or []
    names.extend([alt] if isinstance(alt, str) else alt)
    return [n for n in names if isinstance(n, str) and n]


def find_node(G: nx.Graph, name: Hashable) -> Hashable:
    """The node of ``G`` called ``name``: its ID, or else its label or an alt label.

    Labels are matched as :func:`citykg.fold.fold` folds them, like everywhere in citykg
    ("kobenhavn" finds "København", "lodz" finds "Łódź").

    Raises
    ------
    UnknownNodeError
        No node has that ID or name; the message suggests the closest IDs and labels.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("copenhagen", label="København")
    >>> find_node(G, "copenhagen"), find_node(G, "kobenhavn")
    ('copenhagen', 'copenhagen')
    >>> try:
    ...     find_node(G, "copenhagn")
    ... except UnknownNodeError as e:
    ...     print(e)
    no node 'copenhagn' in the graph. Did you mean 'copenhagen'?
    """
    if name in G:
        return name
    if isinstance(name, str):
        wanted = fold(name)
        hits = sorted(
            (str(v), v) for v, a in G.nodes(data=True) if any(fold(n) == wanted for n in _names(a))
        )
        if hits:
            found: Hashable = hits[0][1]
            return found
    choices = [str(v) for v in G] + [n for _, a in G.nodes(data=True) for n in _names(a)]
    raise UnknownNodeError(
        f"no node {str(name)!r} in the graph",
        did_you_mean(str(name), choices) or "Check the spelling, or list the nodes first.",
    )


def ego_view(G: nx.Graph, node: Hashable, depth: int = 1) -> nx.Graph:
    """The nodes within ``depth`` links of ``node`` (in either direction) and the links among them.

    Parameters
    ----------
    G : networkx.Graph
    node : hashable
        A node ID, label or alt label (see :func:`find_node`).
    depth : int
        How many links away to go; 0 gives the node alone.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> sorted(ego_view(G, "b", 1))
    ['a', 'b', 'c']
    """
    if depth < 0:
        raise VizError(f"depth must be 0 or more, got {depth}", "Use depth=1 for direct links.")
    centre = find_node(G, node)
    return nx.ego_graph(G, centre, radius=depth, undirected=True).copy()


def _check(
    wanted: Iterable[str] | None, present: set[str], what: str, named: set[str] | None = None
) -> set[str] | None:
    # ``present`` is what is accepted; ``named`` (default: all of it) what a hint may list:
    # a theme may be given by its node's label, but other nodes' labels are not themes.
    if wanted is None:
        return None
    named = present if named is None else named
    chosen = {wanted} if isinstance(wanted, str) else set(wanted)
    for w in sorted(chosen - present):
        raise VizError(
            f"no node has {what} {w!r}",
            did_you_mean(w, named) or f"Known {what}s: " + ", ".join(sorted(named)[:20]) + ".",
        )
    return chosen


def _by_label(names: Iterable[str] | None, by_id: dict[str, str]) -> list[str] | None:
    if names is None:
        return None
    chosen = [names] if isinstance(names, str) else list(names)
    return [by_id.get(name, name) for name in chosen]


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value or [] if isinstance(v, str)]


def filter_view(
    G: nx.Graph,
    *,
    kinds: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    networks: Iterable[str] | None = None,
    datasets: Iterable[str] | None = None,
) -> nx.Graph:
    """The nodes that match every given criterion, and the links among them.

    A node matches ``kinds`` if its ``kind`` is one of them, ``themes`` if one of its
    ``themes`` is (or its label is one: the theme node itself), and likewise ``networks``;
    ``datasets`` if one of its ``datasets`` (the datasets that state facts about it) is.
    Themes belong to the vocabulary every dataset shares: with ``datasets`` they stay while
    something kept is linked to them. ``None`` means no restriction.

    Raises
    ------
    VizError
        A kind, theme or network that no node has (likely a typo), with the closest ones.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("cph", kind="city", themes=["Climate"])
    >>> G.add_node("c40", kind="network", label="C40", themes=["Climate"])
    >>> G.add_node("hh", kind="city", themes=["Culture"])
    >>> sorted(filter_view(G, kinds=["city"], themes=["Climate"]))
    ['cph']
    """
    node_kinds = {str(a.get("kind") or "other") for _, a in G.nodes(data=True)}
    labels = {a["label"] for _, a in G.nodes(data=True) if isinstance(a.get("label"), str)}
    # A theme or network may be named by its node's ID too (``climate`` for "Climate action").
    by_id = {str(v): a["label"] for v, a in G.nodes(data=True) if isinstance(a.get("label"), str)}
    themes = _by_label(themes, by_id)
    networks = _by_label(networks, by_id)
    node_themes = {t for _, a in G.nodes(data=True) for t in _list(a.get("themes"))}
    node_networks = {n for _, a in G.nodes(data=True) for n in _list(a.get("networks"))}
    want_kinds = _check(kinds, node_kinds, "kind")
    want_themes = _check(themes, node_themes | labels, "theme", node_themes)
    want_networks = _check(networks, node_networks | labels, "network", node_networks)
    node_datasets = {d for _, a in G.nodes(data=True) for d in _list(a.get("datasets"))}
    want_datasets = _check(datasets, node_datasets, "dataset")

    def keep(attrs: dict[str, Any]) -> bool:
        label = attrs.get("label")
        if want_kinds is not None and str(attrs.get("kind") or "other") not in want_kinds:
            return False
        if want_themes is not None and not (
            want_themes & set(_list(attrs.get("themes"))) or label in want_themes
        ):
            return False
        if (
            want_datasets is not None
            and attrs.get("kind") != "theme"
            and not want_datasets & set(_list(attrs.get("datasets")))
        ):
            return False
        return want_networks is None or bool(
            want_networks & set(_list(attrs.get("networks"))) or label in want_networks
        )

    view = G.subgraph([v for v, a in G.nodes(data=True) if keep(a)]).copy()
    if want_datasets is not None:
        view.remove_nodes_from(
            [v for v, a in view.nodes(data=True) if a.get("kind") == "theme" and not view.degree(v)]
        )
    return view


_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&\-]{1,9}\Z")
_PLURALS = {"city": "cities", "country": "countries", "theme": "themes", "person": "persons"}


def _name(G: nx.Graph, node: Hashable) -> str:
    """A node's name for a title: "FORCE (Cities Cooperating for Circular Economy)" when the
    data has an acronym for a long label, else the label."""
    attrs = G.nodes[node]
    label = attrs.get("label") if isinstance(attrs.get("label"), str) else None
    label = label or str(node)
    words = set(re.findall(r"\w+", label))
    acronyms = [a for a in _list(attrs.get("alt_labels")) if _ACRONYM.match(a) and a not in words]
    if len(label) > 24 and acronyms:
        return f"{min(acronyms, key=len)} ({label})"
    return label


def _named(G: nx.Graph, names: Iterable[str]) -> list[str]:
    """Theme or network names as the graph labels them (an ID becomes its node's label)."""
    out = []
    for name in names:
        node = name if name in G else None
        out.append(_name(G, node) if node is not None else name)
    return out


def view_title(
    G: nx.Graph,
    *,
    themes: Iterable[str] = (),
    networks: Iterable[str] = (),
    kinds: Iterable[str] = (),
    geo: bool = False,
    datasets: Iterable[str] = (),
) -> str:
    """A heading that says what the view shows, in the data's own words.

    Reads the graph attributes ``centre`` (an overlaps view) and ``focus`` (a focus view),
    the node marked ``home``, and the filters the view was cut with (IDs or names; ``datasets``
    by ID); ``geo`` for a world map of a centre's partners.

    Examples
    --------
    >>> G = nx.Graph(focus="force")
    >>> G.add_node("force", label="Cities Cooperating for Circular Economy", alt_labels=["FORCE"])
    >>> G.add_node("climate", label="Climate adaptation")
    >>> view_title(G)
    'Around FORCE (Cities Cooperating for Circular Economy)'
    >>> del G.graph["focus"]
    >>> view_title(G, themes=["climate"], kinds=["city", "project"])
    'Climate adaptation: who works on it (cities and projects only)'
    """
    theme_names = _named(G, themes)
    network_names = _named(G, networks)
    centre, focus = G.graph.get("centre"), G.graph.get("focus")
    homes = [v for v, h in G.nodes(data="home") if h is True]
    qualifiers = []
    if centre in G and geo:
        title = f"Where {_name(G, centre)}'s partners are"
    elif centre in G:
        title = f"Who shares collaborations with {_name(G, centre)}"
    elif focus in G:
        title = f"Around {_name(G, focus)}"
    elif network_names:
        title = " and ".join(network_names) + (
            " and its members" if len(network_names) == 1 else ""
        )
        network_names = []
    elif theme_names:
        title = " and ".join(theme_names) + ": who works on it"
        theme_names = []
    elif homes:
        title = f"{_name(G, homes[0])}'s international networks"
    else:
        title = "International networks"
    if theme_names:
        qualifiers.append("on " + " and ".join(theme_names))
    if network_names:
        qualifiers.append("in " + " and ".join(network_names))
    kinds = list(kinds)
    if kinds:
        words = [_PLURALS.get(k, k + "s") for k in kinds]
        listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
        qualifiers.append(f"({listed} only)")
    datasets = sorted(datasets)
    if datasets:
        noun = "dataset" if len(datasets) == 1 else "datasets"
        qualifiers.append(f"(from {noun} " + " and ".join(datasets) + ")")
    return " ".join([title, *qualifiers])
