"""Node positions computed in Python, so a large map opens without browser physics.

networkx's own layouts are too slow for the sizes a city portfolio reaches (measured on a
5,000-node, 21,000-edge synthetic graph, 2 cores): ``spring_layout`` 7.3 s for 10 iterations
and 31 s for 50, ``forceatlas2_layout`` 42 s for 50, ``kamada_kawai_layout`` far longer;
``spectral_layout`` takes 1.1 s but piles hubs' members onto one point. This module implements
the grid variant of Fruchterman-Reingold (their 1991 paper: repulsion only between nodes closer
than twice the ideal edge length), with the neighbour pairs found by a k-d tree, so one
iteration costs about O(n + edges + close pairs) instead of O(n^2).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "EVEN_GRAPH",
    "SMALL_GRAPH",
    "community_positions",
    "fast_layout",
    "group_disks",
    "network_positions",
    "scale_positions",
    "separate",
    "star_positions",
]

EVEN_GRAPH = 120
"""Up to this many nodes the layout is Kamada-Kawai's (even spacing; its cost grows as n^2)."""
SMALL_GRAPH = 300
"""Up to this many nodes networkx's spring layout is used; above, :func:`fast_layout`."""

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def fast_layout(
    G: nx.Graph,
    *,
    order: Sequence[Hashable] | None = None,
    iterations: int = 80,
    seed: int = 42,
    initial: Mapping[Hashable, tuple[float, float]] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Force-directed positions for every node of ``G``, deterministic for a given ``seed``.

    Parameters
    ----------
    G : networkx.Graph
        Any graph; direction and multi-edges are ignored, ``weight`` is not used.
    order : sequence, optional
        The node order to use (defaults to ``sorted(G, key=str)``), so the result does not
        depend on the order the caller inserted nodes in.
    iterations : int
        Cooling steps. 80 keeps 5,000 nodes under a second on two cores.
    seed : int
        Seed of the random initial placement.
    initial : mapping, optional
        Starting positions for some nodes (others start at random).

    Returns
    -------
    dict
        node -> (x, y), in units of the ideal edge length (about 1).

    Examples
    --------
    >>> pos = fast_layout(nx.path_graph(4))
    >>> sorted(pos) == [0, 1, 2, 3]
    True
    >>> fast_layout(nx.path_graph(4)) == pos
    True
    """
    nodes = list(order) if order is not None else sorted(G, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    if initial:
        for v, (x, y) in initial.items():
            if v in index:
                pos[index[v]] = (x, y)
    pairs = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64)
    src = pairs[:, 0] if len(pairs) else np.zeros(0, dtype=np.int64)
    dst = pairs[:, 1] if len(pairs) else np.zeros(0, dtype=np.int64)
    degree = np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
    # hubs (a network with hundreds of members) would pull everything into one dense ball and
    # the close-pair count would explode; dividing the pull by the hub's degree keeps the
    # density even (the "dissuade hubs" idea of ForceAtlas2)
    pull = 1.0 / np.sqrt(np.maximum(degree[src], 1) * np.maximum(degree[dst], 1))
    k = 1.0  # ideal edge length
    cutoff = 2.0 * k
    temperature = side / 10
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        # repulsion k^2/d between close pairs only
        close = cKDTree(pos).query_pairs(cutoff, output_type="ndarray")
        if len(close):
            a, b = close[:, 0], close[:, 1]
            delta = pos[a] - pos[b]
            dist2 = np.maximum((delta**2).sum(axis=1), 1e-4)
            force = (k * k / dist2)[:, None] * delta
            disp += _scatter(a, force, n) - _scatter(b, force, n)
        # attraction d^2/k along edges
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt(np.maximum((delta**2).sum(axis=1), 1e-8))
            force = (dist / k * pull)[:, None] * delta
            disp += _scatter(dst, force, n) - _scatter(src, force, n)
        # weak gravity keeps components and isolated nodes together
        disp -= 0.01 * pos
        length = np.sqrt(np.maximum((disp**2).sum(axis=1), 1e-12))
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(nodes)}


def _scatter(idx: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum 2-D ``values`` into ``n`` rows by ``idx`` (bincount is much faster than np.add.at)."""
    out = np.empty((n, 2))
    out[:, 0] = np.bincount(idx, weights=values[:, 0], minlength=n)
    out[:, 1] = np.bincount(idx, weights=values[:, 1], minlength=n)
    return out


def scale_positions(
    pos: Mapping[Hashable, tuple[float, float]], spacing: float = 60.0
) -> dict[Hashable, tuple[float, float]]:
    """Centre positions and scale them to canvas pixels, neighbours about ``spacing`` apart.

    Works for any units (networkx layouts in [-1, 1], the caller's own ``x``/``y``), keeping the
    aspect ratio. The scale is set by the median distance from each node to its nearest
    neighbour, not by the extent, so one far-away isolated node cannot squeeze the rest into a
    heap of overlapping shapes.

    Examples
    --------
    >>> scale_positions({"a": (0.0, 0.0), "b": (1.0, 0.0)}, spacing=60)
    {'a': (-30.0, 0.0), 'b': (30.0, 0.0)}
    """
    if not pos:
        return {}
    xy = np.array(list(pos.values()), dtype=float)
    centre = (xy.max(axis=0) + xy.min(axis=0)) / 2
    xy -= centre
    factor = 1.0
    if len(xy) > 1:
        nearest = cKDTree(xy).query(xy, k=2)[0][:, 1]
        nearest = nearest[nearest > 0]
        if len(nearest):
            factor = spacing / float(np.median(nearest))
    xy *= factor
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(pos, xy, strict=True)}


def network_positions(
    G: nx.Graph,
    *,
    seed: int = 42,
    spacing: float = 60.0,
    given: Mapping[Hashable, tuple[float, float]] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Settled canvas positions (pixels) for every node of ``G``, deterministic for ``seed``.

    The map is still when it opens: the positions are computed here, once, instead of by a
    physics simulation in the browser that may never settle. ``given`` positions (the caller's
    ``x``/``y``) are used when every node has one, else they seed the layout.

    Examples
    --------
    >>> pos = network_positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos), pos == network_positions(nx.path_graph(["c", "b", "a"]))
    (['a', 'b', 'c'], True)
    """
    n = G.number_of_nodes()
    if given and len(given) == n:
        return scale_positions(given, spacing)
    order = sorted(G, key=str)
    # networkx takes nodes in a fixed order, so the result does not depend on the caller's
    # insertion order
    H = nx.Graph()
    H.add_nodes_from(order)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    start = dict(given) if given else None
    if n <= EVEN_GRAPH:
        # Kamada-Kawai spaces a small map evenly (spring layouts crowd the hub's neighbours
        # into its middle): 0.4 s for the 70 nodes of Copenhagen's folded map
        pos = nx.kamada_kawai_layout(H, dist=_distances(H), pos=start)
        raw = {v: (float(p[0]), float(p[1])) for v, p in pos.items()}
    elif n <= SMALL_GRAPH:
        pos = nx.spring_layout(H, seed=seed, pos=start, k=2.5 / math.sqrt(n), iterations=200)
        raw = {v: (float(p[0]), float(p[1])) for v, p in pos.items()}
    else:
        raw = fast_layout(G, order=order, seed=seed, initial=given or None)
    return scale_positions(raw, spacing)


def group_disks(
    pos: Mapping[Hashable, tuple[float, float]],
    groups: Mapping[Hashable, tuple[Hashable, Sequence[Hashable]]],
    spacing: float = 34.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions for the members of closed groups: a disk beyond each group's node.

    Parameters
    ----------
    pos : mapping
        Positions of the hubs and of the group nodes (from :func:`network_positions`).
    groups : mapping
        group node -> (hub, members).
    spacing : float
        About how far apart members sit.

    Returns
    -------
    dict
        member -> (x, y): a sunflower-seed disk (even density, no rings of overlapping dots)
        whose near edge is where the group node was, on the side away from the hub, so an
        opened group spreads outwards instead of over the rest of the map.

    Examples
    --------
    >>> disk = group_disks({"hub": (0.0, 0.0), "g": (10.0, 0.0)}, {"g": ("hub", ["a", "b"])})
    >>> all(x > 10 for x, _ in disk.values())
    True
    """
    out: dict[Hashable, tuple[float, float]] = {}
    for group, (hub, members) in groups.items():
        hx, hy = pos[hub]
        gx, gy = pos[group]
        dx, dy = gx - hx, gy - hy
        length = math.hypot(dx, dy) or 1.0
        ux, uy = (dx / length, dy / length) if length > 1e-9 else (1.0, 0.0)
        radius = spacing * math.sqrt(len(members) / math.pi) + spacing / 2
        cx, cy = gx + ux * radius, gy + uy * radius
        for i, member in enumerate(members):
            r = spacing * math.sqrt((i + 0.5) / math.pi)
            angle = i * GOLDEN_ANGLE
            out[member] = (round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1))
    return out


def _distances(H: nx.Graph) -> dict[Hashable, dict[Hashable, float]]:
    """Path lengths, with one more than the longest for nodes in different components.

    networkx's own default for unreachable pairs (a million) throws components so far apart
    that each shrinks to a dot when the map is fitted to the screen.
    """
    dist: dict[Hashable, dict[Hashable, float]] = {
        v: {u: float(d) for u, d in lengths.items()} for v, lengths in nx.shortest_path_length(H)
    }
    apart = 1.0 + max((d for row in dist.values() for d in row.values()), default=0.0)
    for v in H:
        row = dist.setdefault(v, {})
        for u in H:
            row.setdefault(u, apart)
    return dist


def star_positions(
    G: nx.Graph, centre: Hashable, spacing: float = 56.0
) -> dict[Hashable, tuple[float, float]]:
    """Rings around ``centre``: the heavier a node's link to it, the nearer its ring.

    An overlaps view reads from the middle out: the partners sharing most sit closest, each
    ring in label order. Nodes not linked to the centre go on an outer ring.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("c", "a", weight=3)
    >>> G.add_edge("c", "b", weight=1)
    >>> pos = star_positions(G, "c")
    >>> pos["c"], abs(pos["a"][0]) < abs(pos["b"][0]) or abs(pos["a"][1]) < abs(pos["b"][1])
    ((0.0, 0.0), True)
    """
    rings: dict[float, list[Hashable]] = {}
    for node in G:
        if node == centre:
            continue
        data = G.get_edge_data(centre, node)
        weight = -1.0
        if data is not None:
            value = data.get("weight", 1)
            weight = float(value) if isinstance(value, int | float) else 1.0
        rings.setdefault(weight, []).append(node)
    pos: dict[Hashable, tuple[float, float]] = {centre: (0.0, 0.0)}
    radius = 0.0
    for ring, weight in enumerate(sorted(rings, reverse=True)):
        members = sorted(rings[weight], key=lambda v: (str(G.nodes[v].get("label", v)), str(v)))
        # far enough out to clear the ring inside, and wide enough to seat every member
        radius = max(radius + 2.2 * spacing, len(members) * spacing / (2 * math.pi))
        for i, node in enumerate(members):
            # each ring turned a little, so that rings of one or two do not stack in a line
            angle = -math.pi / 2 + 0.9 * ring + 2 * math.pi * i / len(members)
            pos[node] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return pos


def separate(
    pos: Mapping[Hashable, tuple[float, float]],
    radius: Mapping[Hashable, float],
    gap: float = 6.0,
    iterations: int = 60,
) -> dict[Hashable, tuple[float, float]]:
    """Positions nudged apart until no two shapes overlap (within ``iterations``).

    Layouts place points; the map draws shapes up to 40 px across, so a theme can sit under
    the home city's circle. Each step pushes every overlapping pair apart along the line
    between them, half each, and stops when none overlaps.

    Examples
    --------
    >>> out = separate({"a": (0.0, 0.0), "b": (5.0, 0.0)}, {"a": 10.0, "b": 10.0})
    >>> round(out["b"][0] - out["a"][0]) >= 26
    True
    """
    nodes = list(pos)
    if len(nodes) < 2:
        return {v: pos[v] for v in nodes}
    xy = np.array([pos[v] for v in nodes], dtype=float)
    r = np.array([radius.get(v, 10.0) for v in nodes], dtype=float)
    reach = 2 * float(r.max()) + gap
    # a fixed tiny offset per node, so that two nodes on one point can be told apart
    jitter = np.stack([np.cos(np.arange(len(nodes))), np.sin(np.arange(len(nodes)))], axis=1)
    for _ in range(iterations):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = xy[b] - xy[a]
        dist = np.sqrt((delta**2).sum(axis=1))
        need = r[a] + r[b] + gap
        mask = dist < need
        if not mask.any():
            break
        a, b, delta, dist, need = a[mask], b[mask], delta[mask], dist[mask], need[mask]
        same = dist < 1e-6
        delta[same] = jitter[b[same]] - jitter[a[same]]
        dist = np.maximum(np.sqrt((delta**2).sum(axis=1)), 1e-6)
        push = ((need - dist) / 2 / dist)[:, None] * delta
        xy -= _scatter(a, push, len(nodes))
        xy += _scatter(b, push, len(nodes))
    return {
        v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, xy, strict=True)
    }


def community_positions(
    G: nx.Graph,
    community: Mapping[Hashable, Hashable],
    *,
    seed: int = 42,
    spacing: float = 60.0,
) -> dict[Hashable, tuple[float, float]]:
    """A big map laid out one community at a time, the communities side by side.

    One force layout of 5,000 nodes is a round cloud with every hub in its middle, where
    no label fits. Here each community (``community``: node -> its community; a node without
    one joins the community most of its neighbours are in) is laid out alone with
    :func:`fast_layout`, as a disk, and the disks are arranged by how many links run between
    them (networkx's spring layout of the community graph), then pushed apart until none
    overlaps. Colour by community and each blob is one colour with its hub in its middle.

    Examples
    --------
    >>> G = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["x", "y", "z"]))
    >>> G.add_edge("c", "x")
    >>> pos = community_positions(G, {v: v in "abc" for v in G})
    >>> math.dist(pos["a"], pos["b"]) < math.dist(pos["a"], pos["z"])
    True
    """
    member = dict(community)
    for node in sorted((v for v in G if v not in member), key=str):
        around = [member[u] for u in nx.all_neighbors(G, node) if u in member]
        member[node] = max(sorted(set(around), key=str), key=around.count) if around else node
    blocks: dict[Hashable, list[Hashable]] = {}
    for node in sorted(G, key=str):
        blocks.setdefault(member[node], []).append(node)
    local: dict[Hashable, dict[Hashable, tuple[float, float]]] = {}
    radius: dict[Hashable, float] = {}
    for key, nodes in blocks.items():
        H = G.subgraph(nodes)
        pos = scale_positions(fast_layout(H, order=nodes, seed=seed), spacing)
        local[key] = pos
        radius[key] = max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + spacing
    between = nx.Graph()
    between.add_nodes_from(sorted(blocks, key=str))
    for u, v in G.edges():
        a, b = member[u], member[v]
        if a != b:
            w = between.get_edge_data(a, b, {"weight": 0})["weight"]
            between.add_edge(a, b, weight=w + 1)
    centres = nx.spring_layout(between, seed=seed, weight="weight")
    reach = 2 * max(radius.values())
    spread = {k: (float(p[0]) * reach * 2, float(p[1]) * reach * 2) for k, p in centres.items()}
    spread = separate(spread, radius, gap=spacing, iterations=300)
    out: dict[Hashable, tuple[float, float]] = {}
    for key, pos in local.items():
        cx, cy = spread[key]
        for node, (x, y) in pos.items():
            out[node] = (round(cx + x, 1), round(cy + y, 1))
    return out
