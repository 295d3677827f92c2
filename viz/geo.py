"""The world map's projection and outline: Natural Earth's countries at 1:110m, shipped with
citykg (``geodata/``), projected like the nodes so that the page draws both with one view.

The projection is equirectangular (longitude and latitude as x and y, :data:`SCALE` pixels a
degree): partners are found by where they are, and for a city network a plain grid of
degrees reads as well as any other projection while keeping the page's code small.
The outline is TopoJSON; decoding it takes a few lines (below) instead of a dependency.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx

__all__ = ["OUTLINE_SOURCE", "SCALE", "outline", "project", "world_positions"]

SCALE = 10.0
"""Canvas pixels per degree at zoom 1."""

OUTLINE_SOURCE = "Natural Earth 1:110m countries (public domain), from the world-atlas package"

# The Antarctic is left out: no city network reaches it, and it would take a fifth of the map.
_SOUTH = -60.0


def project(lat: float, long: float) -> tuple[float, float]:
    """Canvas position of a point (y grows southwards, as on screen).

    Examples
    --------
    >>> project(55.68, 12.57)
    (125.7, -556.8)
    """
    return round(long * SCALE, 1), round(-lat * SCALE, 1)


def world_positions(G: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Positions of the nodes that have ``lat`` and ``long`` (the others are not drawn).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", lat=-34.6, long=-58.4)
    >>> G.add_node("b")
    >>> world_positions(G)
    {'a': (-584.0, 346.0)}
    """
    out = {}
    for node, attrs in G.nodes(data=True):
        lat, long = attrs.get("lat"), attrs.get("long")
        if isinstance(lat, int | float) and isinstance(long, int | float):
            out[node] = project(float(lat), float(long))
    return out


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(
    arcs: list[list[tuple[float, float]]], indexes: Sequence[int]
) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _packed(points: Iterable[tuple[float, float]]) -> list[int]:
    """Projected points as whole pixels, each after the first as a step from the one before
    (about a third of the text of absolute numbers); repeated points dropped.

    A line that crosses the 180th meridian (Fiji, Chukotka) goes on past the map's edge
    instead of jumping back across the whole world.
    """
    out: list[int] = []
    last = (0, 0)
    shift = 0.0
    previous: float | None = None
    for long, lat in points:
        if previous is not None and abs(long + shift - previous) > 180:
            shift += 360 if long + shift < previous else -360
        previous = long + shift
        x, y = round((long + shift) * SCALE), round(-lat * SCALE)
        if out and (x, y) == last:
            continue
        out.extend((x - last[0], y - last[1]))
        last = (x, y)
    return out


@cache
def outline() -> dict[str, list[list[int]]]:
    """The land (closed rings) and the borders (each arc once), packed by :func:`_packed`.

    Examples
    --------
    >>> world = outline()
    >>> len(world["land"]) > 100 and len(world["borders"]) > 300
    True
    """
    path = resources.files("citykg.viz") / "geodata" / "countries-110m.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    land = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                ring = _ring(arcs, indexes)
                if max(lat for _, lat in ring) > _SOUTH:
                    land.append(_packed(ring))
    borders = [_packed(arc) for arc in arcs if max(lat for _, lat in arc) > _SOUTH]
    return {"land": land, "borders": [b for b in borders if len(b) >= 4]}
