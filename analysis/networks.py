"""From the store to networkx: who takes part in which collaboration, in which role, when.

:func:`load_network` reads the parts of the graph an analysis needs
(:mod:`citykg.analysis.extract`) into a :class:`Network`: the :class:`Entity` and :class:`Tie`
records, name lookup, and from them

- :func:`bipartite_graph`: actors (cities, regions, organisations, administrations; attribute
  ``bipartite=0``) and collaborations (networks, projects, programmes, cooperations, events;
  ``bipartite=1``). One edge per actor-collaboration pair, whatever the number of memberships;
  its ``roles`` lists them all.
- :func:`citykg.analysis.mapgraph.map_graph`: the same plus themes as nodes, with the attributes
  the map renderer (:mod:`citykg.viz`) reads.

A tie is ``current`` when its period contains the reference date (an unknown start or end
counts as open), ``past`` when it ended before it, ``future`` when it starts after it.

Examples
--------
>>> net = Network.from_parts(
...     [Entity("cph", "city", "København"), Entity("c40", "network", "C40")],
...     [Tie("cph", "c40", "member")],
... )
>>> sorted(net.graph.edges(data="roles"))
[('cph', 'c40', ['member'])]
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import networkx as nx

from citykg.analysis.extract import (
    ACTOR_KINDS,
    COLLABORATION_KINDS,
    PARTS,
    Entity,
    Evidence,
    Tie,
    check_parts,
    extract,
)
from citykg.errors import CitykgError, closest, did_you_mean
from citykg.fold import name_key
from citykg.queries.sparql import SparqlSource

__all__ = [
    "ACTOR_KINDS",
    "COLLABORATION_KINDS",
    "PARTS",
    "ROLE_ORDER",
    "Entity",
    "Evidence",
    "Network",
    "Tie",
    "bipartite_graph",
    "check_kinds",
    "load_network",
    "period_bounds",
    "period_text",
]

#: The most telling role first: an edge with several roles is drawn as its first one.
ROLE_ORDER = (
    "lead",
    "founder",
    "steering-committee",
    "host",
    "organizer",
    "party",
    "partner",
    "innovation-city",
    "participant",
    "member",
)


@lru_cache(maxsize=1 << 16)
def _day(text: str | None, last: bool) -> dt.date | None:
    # Cached: a world of 250k ties has a few thousand distinct dates, parsed 1.3M times.
    if not text:
        return None
    parts = text[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if last else 1)
        if len(parts) > 2:
            return dt.date(year, month, int(parts[2]))
        if not last:
            return dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    except (ValueError, IndexError):
        return None


def period_bounds(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a period given as ISO dates, year-months or years.

    Examples
    --------
    >>> period_bounds("2016-09", "2020-08")
    (datetime.date(2016, 9, 1), datetime.date(2020, 8, 31))
    >>> period_bounds("2019", None)
    (datetime.date(2019, 1, 1), None)
    """
    return _day(start, False), _day(end, True)


def _status(start: str | None, end: str | None, today: dt.date) -> str:
    lo, hi = period_bounds(start, end)
    if hi is not None and hi < today:
        return "past"
    if lo is not None and lo > today:
        return "future"
    return "current"


def period_text(start: str | None, end: str | None) -> str:
    """A period for people: ``2016-09 \N{EN DASH} 2020-08``, ``since 2019-01``, ``2023``.

    Examples
    --------
    >>> period_text("2016-09", "2020-08"), period_text("2019-01-01", None), period_text(None, None)
    ('2016-09 \N{EN DASH} 2020-08', 'since 2019-01-01', '')
    """
    if start and end:
        return start if start == end else f"{start} \N{EN DASH} {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return ""


def check_kinds(kinds: Sequence[str] | None, allowed: Sequence[str]) -> list[str]:
    """``kinds`` validated against ``allowed``; :class:`CitykgError` for an unknown one.

    Examples
    --------
    >>> check_kinds(["network"], COLLABORATION_KINDS)
    ['network']
    >>> check_kinds(["netwrok"], COLLABORATION_KINDS)
    Traceback (most recent call last):
    ...
    citykg.errors.CitykgError: unknown kind 'netwrok'. Did you mean 'network'?
    """
    out = []
    for kind in kinds or ():
        if kind not in allowed:
            hint = did_you_mean(kind, allowed) or "Use one of " + ", ".join(allowed) + "."
            raise CitykgError(f"unknown kind '{kind}'", hint)
        out.append(kind)
    return out


def _edge(collab: Entity, group: list[Tie], today: dt.date, evidence: bool) -> dict[str, Any]:
    """The attributes of one actor-collaboration edge from its ties (roles read)."""
    details = []
    proofs: set[Evidence] = set()
    for tie in sorted(group, key=lambda t: t.role):
        start = tie.start or collab.start
        end = tie.end or collab.end or (collab.start if collab.kind == "event" else None)
        status = _status(start, end, today)
        details.append({"role": tie.role, "start": start or "", "end": end or "", "status": status})
        proofs |= set(tie.evidence)
    roles = sorted({d["role"] for d in details})
    statuses = {d["status"] for d in details}
    status = next(s for s in ("current", "future", "past") if s in statuses)
    edge: dict[str, Any] = {
        "roles": roles,
        "relation": min(
            roles,
            key=lambda r: (ROLE_ORDER.index(r) if r in ROLE_ORDER else len(ROLE_ORDER), r),
        ),
        "ties": details,
        "status": status,
        "current": status == "current",
    }
    if evidence:
        edge["evidence"] = [e.as_dict() for e in sorted(proofs)]
    starts = [d["start"] for d in details]
    ends = [d["end"] for d in details]
    if all(starts):
        edge["start"] = min(starts, key=lambda s: period_bounds(s, None)[0] or dt.date.max)
    if all(ends):
        edge["end"] = max(ends, key=lambda s: period_bounds(None, s)[1] or dt.date.min)
    return edge


def bipartite_graph(
    entities: Iterable[Entity],
    ties: Iterable[Tie],
    today: dt.date,
    parts: Iterable[str] = PARTS,
) -> nx.Graph:
    """The actor-collaboration graph: nodes are short IDs, one edge per pair.

    Node attributes: ``id``, ``label``, ``alt_labels``, ``kind``, ``bipartite`` (0 actor, 1
    collaboration); with the ``themes`` part ``themes`` (IDs) and ``theme_labels``; with
    ``facts`` ``purposes``; with ``roles`` ``start``/``end`` where known. Edge attributes, with
    the ``roles`` part: ``roles`` (sorted), ``relation`` (the most telling role), ``ties``
    (each role with its period and status), ``status`` (``current`` if any tie is),
    ``current``, ``start``/``end`` where known; with ``evidence``: ``evidence`` (dicts of
    quote, section, source). An attribute of a part not read is absent, never empty.

    Examples
    --------
    >>> B = bipartite_graph(
    ...     [Entity("a", "city", "A"), Entity("n", "network", "N", start="2010")],
    ...     [Tie("a", "n", "member"), Tie("a", "n", "lead", end="2012")],
    ...     dt.date(2020, 1, 1),
    ... )
    >>> B.edges["a", "n"]["roles"], B.edges["a", "n"]["status"]
    (['lead', 'member'], 'current')
    >>> bipartite_graph([Entity("a", "city", "A"), Entity("n", "network", "N")],
    ...                 [Tie("a", "n", "")], dt.date(2020, 1, 1), ["ties"]).edges["a", "n"]
    {}
    """
    wanted = check_parts(parts)
    by_id = {e.id: e for e in entities}
    theme_label = {e.id: e.name for e in by_id.values() if e.kind == "theme"}
    B = nx.Graph(today=today.isoformat())
    # actors first, so that every edge iterates (and exports) as actor -> collaboration
    for entity in sorted(by_id.values(), key=lambda e: (e.kind not in ACTOR_KINDS, e.id)):
        if entity.kind not in ACTOR_KINDS and entity.kind not in COLLABORATION_KINDS:
            continue
        attrs: dict[str, Any] = {
            "id": entity.id,
            "label": entity.name,
            "alt_labels": list(entity.alt_labels),
            "kind": entity.kind,
            "bipartite": 0 if entity.kind in ACTOR_KINDS else 1,
        }
        if "themes" in wanted:
            attrs["themes"] = list(entity.themes)
            attrs["theme_labels"] = [theme_label.get(t, t) for t in entity.themes]
        if "facts" in wanted:
            attrs["purposes"] = list(entity.purposes)
        if "roles" in wanted and entity.start:
            attrs["start"] = entity.start
        if "roles" in wanted and entity.end:
            attrs["end"] = entity.end
        B.add_node(entity.id, **attrs)

    if "roles" not in wanted:  # who with what, nothing more: no attributes to work out
        B.add_edges_from(
            sorted(
                {(t.actor, t.collaboration) for t in ties if t.actor in B and t.collaboration in B}
            )
        )
        return B
    grouped: dict[tuple[str, str], list[Tie]] = defaultdict(list)
    for tie in ties:
        if tie.actor in B and tie.collaboration in B:
            grouped[(tie.actor, tie.collaboration)].append(tie)
    evidence = "evidence" in wanted
    for (actor, collaboration), group in sorted(grouped.items()):
        B.add_edge(actor, collaboration, **_edge(by_id[collaboration], group, today, evidence))
    return B


@dataclass
class Network:
    """The extracted graph: entities, ties, the bipartite graph, and name lookup.

    Build one with :func:`load_network` (from a SPARQL source) or :meth:`from_parts`.
    ``parts`` says what was read (:data:`citykg.analysis.extract.PARTS`); an analysis that
    needs more asks :meth:`require`, so that a part never read cannot pass for an empty one.
    """

    entities: dict[str, Entity] = field(repr=False)
    ties: list[Tie] = field(repr=False)
    today: dt.date
    parts: frozenset[str] = frozenset(PARTS)

    @cached_property
    def graph(self) -> nx.Graph:
        """The actor-collaboration graph (:func:`bipartite_graph`) of what was read."""
        with _collector_paused():
            return bipartite_graph(self.entities.values(), self.ties, self.today, self.parts)

    @cached_property
    def adjacency(self) -> dict[str, set[str]]:
        """Each actor and collaboration with the nodes it is tied to: the neighbours in
        :attr:`graph`, without building it (an analysis that needs only these is faster).

        Examples
        --------
        >>> net = Network.from_parts(
        ...     [Entity("a", "city"), Entity("n", "network"), Entity("t", "theme")],
        ...     [Tie("a", "n", "member")],
        ... )
        >>> net.adjacency
        {'a': {'n'}, 'n': {'a'}}
        """
        kinds = (*ACTOR_KINDS, *COLLABORATION_KINDS)
        near: dict[str, set[str]] = {
            k: set() for k in sorted(self.entities) if self.entities[k].kind in kinds
        }
        for tie in self.ties:
            if tie.actor in near and tie.collaboration in near:
                near[tie.actor].add(tie.collaboration)
                near[tie.collaboration].add(tie.actor)
        return near

    @classmethod
    def from_parts(
        cls,
        entities: Iterable[Entity],
        ties: Iterable[Tie],
        today: dt.date | None = None,
        parts: Iterable[str] = PARTS,
    ) -> Network:
        return cls(
            {e.id: e for e in entities}, list(ties), today or dt.date.today(), check_parts(parts)
        )

    def require(self, *parts: str) -> None:
        """ValueError unless the parts were read (a caller asked for too little).

        Examples
        --------
        >>> Network.from_parts([], [], parts=["ties"]).require("themes")
        Traceback (most recent call last):
        ...
        ValueError: the network was read without its themes: load it with them
        """
        missing = [p for p in parts if p not in self.parts]
        if missing:
            raise ValueError(
                f"the network was read without its {', '.join(missing)}: load it with them"
            )

    # --- kinds -------------------------------------------------------------------------
    def of_kind(self, *kinds: str) -> list[str]:
        """IDs of the entities of the given kinds, sorted."""
        return sorted(e.id for e in self.entities.values() if e.kind in kinds)

    @property
    def actors(self) -> list[str]:
        return [n for n, b in sorted(self.graph.nodes(data="bipartite")) if b == 0]

    @property
    def collaborations(self) -> list[str]:
        return [n for n, b in sorted(self.graph.nodes(data="bipartite")) if b == 1]

    def label(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return entity.name if entity else entity_id

    # --- themes ------------------------------------------------------------------------
    @cached_property
    def narrower(self) -> dict[str, set[str]]:
        """Each theme with itself and all themes below it (transitively)."""
        self.require("themes")
        children: dict[str, set[str]] = defaultdict(set)
        for theme in self.of_kind("theme"):
            for parent in self.entities[theme].broader:
                children[parent].add(theme)
        out: dict[str, set[str]] = {}
        for theme in self.of_kind("theme"):
            seen, stack = {theme}, [theme]
            while stack:
                for child in children[stack.pop()]:
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            out[theme] = seen
        return out

    def has_theme(self, entity_id: str, theme: str) -> bool:
        """Whether the entity is tagged with ``theme`` or a theme below it."""
        self.require("themes")
        return bool(self.narrower.get(theme, {theme}) & set(self.entities[entity_id].themes))

    # --- names -------------------------------------------------------------------------
    @cached_property
    def _names(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            for name in (entity.id, entity.label, *entity.alt_labels):
                if name:
                    names[name_key(name)].add(entity.id)
        return names

    def matches(self, name: str, kinds: Sequence[str]) -> list[str]:
        """IDs of entities of ``kinds`` whose ID, label or an alt label is ``name``.

        Matching ignores case and accents: ``kobenhavn`` finds Copenhagen.
        """
        found = self._names.get(name_key(name), set())
        return sorted(i for i in found if self.entities[i].kind in kinds)

    def suggestions(self, name: str, kinds: Sequence[str]) -> list[str]:
        """The IDs of entities of ``kinds`` whose names are closest to ``name``."""
        candidates = {
            n: ids
            for n, ids in self._names.items()
            if any(self.entities[i].kind in kinds for i in ids)
        }
        out: list[str] = []
        for near in closest(name_key(name), candidates, n=5):
            out += [
                i
                for i in sorted(candidates[near])
                if self.entities[i].kind in kinds and i not in out
            ]
        return out[:3]

    def resolve(self, name: str, kinds: Sequence[str], what: str) -> str:
        """The one entity of ``kinds`` called ``name``; :class:`CitykgError` otherwise.

        Examples
        --------
        >>> net = Network.from_parts([Entity("lisbon", "city", "Lisbon", ("Lisboa",))], [])
        >>> net.resolve("LISBOA", ["city"], "actor")
        'lisbon'
        >>> net.resolve("lisbn", ["city"], "actor")
        Traceback (most recent call last):
        ...
        citykg.errors.CitykgError: unknown actor 'lisbn'. Did you mean 'lisbon'?
        """
        found = self.matches(name, kinds)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"'{i}' ({self.label(i)})" for i in found)
            raise CitykgError(
                f"the {what} name '{name}' is ambiguous", f"Use one of the IDs {listed}."
            )
        near = self.suggestions(name, kinds)
        if near:
            hint = "Did you mean " + " or ".join(f"'{i}'" for i in near) + "?"
        else:
            hint = "Use an ID or a name that is in the graph."
        raise CitykgError(f"unknown {what} '{name}'", hint)


def load_network(
    source: SparqlSource, today: dt.date | None = None, parts: Iterable[str] = PARTS
) -> Network:
    """Read ``parts`` of the graph from ``source`` into a :class:`Network` (statuses relative
    to ``today``); everything by default.

    Examples
    --------
    >>> from citykg.graph.build import assemble
    >>> from citykg.queries.sparql import LocalSource
    >>> net = load_network(LocalSource(assemble(validate=False).dataset), dt.date(2026, 1, 1))
    >>> net.graph.edges["copenhagen", "force"]["roles"]
    ['lead']
    """
    wanted = check_parts(parts)
    with _collector_paused():
        entities, ties = extract(source, wanted)
        return Network.from_parts(entities, ties, today, wanted)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while, as it was afterwards.

    Reading a graph allocates millions of objects that stay alive (result rows, records,
    ties, graph dicts); every burst of allocations triggered a collection that walked all
    of them again: about 35 of 130 s of load_network for 250k memberships. Cycles made
    meanwhile are collected after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
