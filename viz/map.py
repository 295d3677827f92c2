"""Render a networkx graph as one self-contained, offline HTML network map.

The page is our own template (``templates/map.html``, ``map.css``, ``map.js``) around the
vis-network 9.1.2 build that pyvis ships, inlined, so the file opens from a USB stick or an
e-mail attachment with no network: no script, style sheet, font or image is fetched, and a
Content-Security-Policy with ``default-src 'none'`` makes the browser refuse any request the
page might still try. The graph's data sits in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` escaped, and the page writes it with ``textContent`` only.

We do not use pyvis's ``Network.from_nx``/``add_edge`` to build the data: they scan every
existing edge for each new one (64 s for 5,000 nodes), rewrite the caller's ``size`` and
``weight`` attributes in place, and pyvis's own templates load Bootstrap and tom-select from
CDNs. Building the node and edge lists ourselves takes milliseconds. From pyvis we only take
the vis-network files it ships.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TypedDict, Unpack

import networkx as nx

import citykg
from citykg.files import write_atomic

from .clusters import Group, member_groups
from .errors import VizError
from .geo import OUTLINE_SOURCE, outline, world_positions
from .layout import (
    SMALL_GRAPH,
    community_positions,
    group_disks,
    network_positions,
    scale_positions,
    separate,
    star_positions,
)
from .pages import csp, inline_script, template_text
from .payload import build_payload, embed_json, group_node_ids, group_size, node_sizes

__all__ = ["LAYOUTS", "VIS_VERSION", "MapOptions", "render_html", "write_html"]

LAYOUTS = ("network", "geo")
GEO_SIZE = 0.35

VIS_VERSION = "9.1.2"


def _vis_file(name: str) -> str:
    try:
        lib = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}" / name
        return lib.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise VizError(
            f"the vis-network {VIS_VERSION} files are not in the installed pyvis package",
            "Install pyvis 0.3.2 (pip install 'pyvis==0.3.2'), which ships them.",
        ) from exc


def _inline_style(css: str) -> str:
    return re.sub(r"</style", r"<\\/style", css, flags=re.IGNORECASE)


def _texts(value: object) -> list[str]:
    return [value] if isinstance(value, str) and value else []


def _has_position(attrs: dict[str, object]) -> bool:
    x, y = attrs.get("x"), attrs.get("y")
    return isinstance(x, int | float) and isinstance(y, int | float) and not isinstance(x, bool)


def _layout(
    G: nx.Graph, groups: list[Group], group_ids: dict[Hashable, str], seed: int
) -> dict[Hashable, tuple[float, float]]:
    """Positions of every node and group node: the folded map laid out, members in disks."""
    given = {v: (float(a["x"]), float(a["y"])) for v, a in G.nodes(data=True) if _has_position(a)}
    if given and len(given) == G.number_of_nodes():
        pos: dict[Hashable, tuple[float, float]] = scale_positions(given)
        for g in groups:
            xs, ys = zip(*(pos[m] for m in g.members), strict=True)
            pos[group_ids[g.hub]] = (round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1))
        return pos
    folded = {m for g in groups for m in g.members}
    H = nx.Graph()
    H.add_nodes_from(v for v in G if v not in folded)
    H.add_edges_from((u, v) for u, v in G.edges() if u not in folded and v not in folded)
    H.add_edges_from((g.hub, group_ids[g.hub]) for g in groups)
    community = {v: c for v, c in G.nodes(data="community") if c is not None and v in H}
    if H.number_of_nodes() > SMALL_GRAPH and not given and len(set(community.values())) > 1:
        pos = community_positions(H, community, seed=seed)
    else:
        pos = network_positions(H, seed=seed, given={v: p for v, p in given.items() if v in H})
    radius: dict[Hashable, float] = dict(node_sizes(G))
    radius.update((group_ids[g.hub], group_size(len(g.members))) for g in groups)
    pos = separate(pos, radius)
    pos.update(group_disks(pos, {group_ids[g.hub]: (g.hub, g.members) for g in groups}))
    return pos


def render_html(
    G: nx.Graph,
    *,
    title: str,
    physics: bool = False,
    seed: int = 42,
    expand: bool = False,
    colour_by: str | None = None,
    min_weight: float | None = None,
    layout: str = "network",
) -> str:
    """The interactive map of ``G`` as one self-contained HTML page.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph. A directed graph's links read from start to end ("Copenhagen
        *member of* C40") and get arrows. Node attributes: ``label``, ``kind``,
        ``alt_labels``, ``themes``, ``networks``, ``period``, ``evidence`` (list of
        ``{"quote", "section", "source"}``), ``evidence_status`` (``stated``, ``listed`` or
        ``inferred``) and ``status_note``, ``country``, ``home`` (True for the home city, which
        is emphasised and always labelled), optional ``centrality`` (sizes the node; without
        it, degree does), ``community``, ``x``/``y``. Edge attributes: ``relation``,
        ``roles`` (every role of the link), ``ties`` (``{"role", "start", "end", "status"}``
        each), ``period``, ``evidence``, ``evidence_status``, ``mentions`` (quotes on either
        end that name the other, with ``on``: the node they are on), ``weight`` (line width)
        and ``label`` (a text for the panel; links are never labelled on the map). Graph
        attributes: ``centre`` (a star's centre: the ranked list names the other ends) and
        ``weight_label`` (what ``weight`` counts, in words). All are optional and the graph is
        not modified.
    title : str
        Page title and heading.
    physics : bool
        Start vis-network's physics (a bounded run, then still). Off by default: every map
        is laid out here before it is shown and does not move; the page has a switch.
    seed : int
        Layout seed; the same graph and seed give byte-identical HTML.
    expand : bool
        Draw every node. By default long member lists (:func:`citykg.viz.clusters.member_groups`)
        start folded into one node that opens on click (never in a star with a ``centre``).
    colour_by : str, optional
        ``kind``, ``community`` or ``country``; by default kind, or community on maps of more
        than a thousand nodes. The page can switch.
    min_weight : float, optional
        Links with a smaller ``weight`` (and nodes left without links) start hidden; the page
        has a slider.
    layout : str
        ``network`` (positions from the links) or ``geo``: a world map, nodes at their
        ``lat``/``long`` over Natural Earth's outline (:mod:`citykg.viz.geo`); nodes without
        them are listed beside the map, with their ``unplaced`` reason where given. Node
        attribute ``place`` (how the point was found) and graph attribute ``place_source``
        are shown in the panel and the legend.

    Returns
    -------
    str
        The page. It makes no network requests.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("copenhagen", label="København", kind="city", alt_labels=["Copenhagen"])
    >>> G.add_node("c40", label="C40", kind="network")
    >>> G.add_edge("copenhagen", "c40", relation="member")
    >>> page = render_html(G, title="Copenhagen in C40")
    >>> page.startswith("<!DOCTYPE html>") and "København" in page
    True
    >>> page == render_html(G, title="Copenhagen in C40")
    True
    """
    if not isinstance(G, nx.Graph):
        raise VizError(
            f"render_html needs a networkx graph, got {type(G).__name__}",
            "Select a subgraph first (e.g. with citykg.viz.ego_view) and pass that.",
        )
    if layout not in LAYOUTS:
        raise VizError(f"no layout {layout!r}", "Use one of " + ", ".join(LAYOUTS) + ".")
    keep = {v for v, home in G.nodes(data="home") if home is True}
    # a star (an overlaps view) is all leaves around its centre: it is never folded
    star = G.graph.get("centre") in G
    geo = layout == "geo"
    groups = [] if expand or star or geo else member_groups(G, keep=keep)
    group_ids = group_node_ids(G, groups)
    if geo:
        positions = world_positions(G)
    elif star and not all(_has_position(a) for _, a in G.nodes(data=True)):
        positions = star_positions(G, G.graph["centre"])
    else:
        positions = _layout(G, groups, group_ids, seed)
    if colour_by is None:
        many = G.number_of_nodes() > 1000
        has_communities = any(c is not None for _, c in G.nodes(data="community"))
        colour_by = "community" if many and has_communities else "kind"
    payload = build_payload(
        G,
        title=title,
        physics=bool(physics),
        positions=positions,
        groups=groups,
        colour_by=colour_by,
        min_weight=min_weight,
    )
    payload["layout"] = layout
    if geo:
        payload["outline"] = outline()
        payload["sources"] = [OUTLINE_SOURCE, *_texts(G.graph.get("place_source"))]
        for node in payload["nodes"]:
            # a world map is wide: shapes a third of their network size keep cities apart
            node["size"] = round(node["size"] * GEO_SIZE, 2)

    vis_js = inline_script(_vis_file("vis-network.min.js"))
    map_js = inline_script(template_text("map.js"))
    parts = {
        "CSP": html.escape(csp(vis_js, map_js, images="data: blob:"), quote=False),
        "VERSION": html.escape(citykg.__version__),
        "TITLE": html.escape(title),
        "VIS_CSS": _inline_style(_vis_file("vis-network.css")),
        "MAP_CSS": _inline_style(template_text("map.css")),
        "DATA": embed_json(payload),
        "VIS_JS": vis_js,
        "MAP_JS": map_js,
    }
    # one pass, so text inserted for one marker is never searched for the next
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], template_text("map.html"))


class MapOptions(TypedDict, total=False):
    """The keyword options of :func:`render_html`, passed on by the writers."""

    physics: bool
    seed: int
    expand: bool
    colour_by: str | None
    min_weight: float | None
    layout: str


def write_html(
    G: nx.Graph,
    path: str | PathLike[str],
    *,
    title: str,
    private: bool = False,
    **options: Unpack[MapOptions],
) -> Path:
    """Write :func:`render_html` of ``G`` to ``path`` (UTF-8) and return the path; a new
    file is 0600 when ``private`` (the map holds internal data).

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.Graph([("a", "b")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = write_html(G, os.path.join(d, "map.html"), title="Demo")
    ...     out.stat().st_size > 100_000
    True
    """
    out = Path(path)
    page = render_html(G, title=title, **options)
    try:
        write_atomic(out, page, private=private)
    except OSError as exc:
        raise VizError(
            f"cannot write the map ({exc.strerror or exc})",
            "Check that the folder exists and is writable.",
            file=out,
        ) from exc
    return out
