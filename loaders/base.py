"""The loader interface: one protocol, one registry.

A loader turns a source (a folder, a file) into RDF for one or more named graphs. Built-in
loaders are registered through the ``citykg.loaders`` entry-point group in pyproject.toml, the
same way a third-party package registers its own; :func:`register` adds one at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from rdflib import Graph, URIRef

from citykg.errors import LoaderError, did_you_mean
from citykg.ontology.namespaces import GRAPH

__all__ = [
    "Declared",
    "LoadContext",
    "LoadedSource",
    "Loader",
    "Location",
    "PendingRef",
    "PreparedSource",
    "Quote",
    "find_loader",
    "get_loader",
    "loader_names",
    "register",
    "source_graph_iri",
]


@dataclass(frozen=True)
class Location:
    """Where a piece of data was written: a file and, where known, a 1-based line."""

    file: str
    line: int | None = None


@dataclass(frozen=True)
class Quote:
    """An evidence quote as a dataset writes it: the section's full ID, the quote, where."""

    section: str
    text: str
    where: Location


@dataclass(frozen=True)
class Declared:
    """An ID a source defines or adds facts to, before any source is loaded.

    ``kind`` is the singular kind (``city``, ``section``, ...); ``defines`` says whether the
    source names the entity (gives its label) or only adds facts to it.
    """

    kind: str
    location: Location
    defines: bool = True


@dataclass(frozen=True)
class PendingRef:
    """A reference to an ID that no source had declared when it was read.

    The build checks it after every source has loaded (a member list may create the city it
    names), so that references resolve across all sources whatever their order.
    """

    value: str
    kinds: tuple[str, ...]
    field: str
    what: str
    location: Location


@dataclass
class LoadContext:
    """What a loader may know of the build it is part of.

    Attributes
    ----------
    known : dict
        Short IDs declared by the build's sources, mapped to their IRIs, so that a source can
        refer to entities of another.
    kinds : dict
        The same IDs mapped to their singular kind (``city``, ``network``, ``section``, ...).
    graph : rdflib.Graph
        Read-only view of everything loaded so far (for loaders that match names).
    options : dict
        Loader options from the command line (``format``, column names, ...).
    """

    known: dict[str, URIRef] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    graph: Graph = field(default_factory=Graph)
    options: Mapping[str, object] = field(default_factory=dict)


@dataclass
class LoadedSource:
    """What a loader produced for one named graph.

    Either ``graph`` holds the triples, or ``file`` names an RDF file that the store parses
    directly with its own (fast) parser in ``rdf_format`` (an rdflib format name such as
    ``ox-turtle``).
    """

    name: URIRef
    label: str
    path: str
    loader: str
    graph: Graph | None = None
    file: Path | None = None
    rdf_format: str | None = None
    ids: dict[str, URIRef] = field(default_factory=dict)
    locations: dict[URIRef, Location] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    #: Where each single-valued statement ``(subject, predicate)`` was written, so that a
    #: conflict between two sources can name both places.
    facts: dict[tuple[URIRef, URIRef], Location] = field(default_factory=dict)
    #: References to IDs no source had declared yet (checked by the build at the end).
    pending: list[PendingRef] = field(default_factory=list)
    #: Entities this source adds facts to without naming them, with where.
    additions: dict[URIRef, Location] = field(default_factory=dict)
    #: The evidence quotes a dataset writes (checked against a loaded text of the document).
    quotes: list[Quote] = field(default_factory=list)
    #: A document's text, by section full ID: what the text loader read (each quote naming a
    #: section of the document must occur in it).
    section_texts: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class PreparedSource(Protocol):
    """A source read and checked, not yet loaded: what it declares, then :meth:`load`."""

    declared: Mapping[str, Declared]
    notes: list[str]

    def load(self, context: LoadContext) -> list[LoadedSource]: ...


@runtime_checkable
class Loader(Protocol):
    """A source of RDF for ``citykg build``.

    A loader is any object with a ``name``, a one-line ``description``, ``accepts(path)``
    (may it load this path without being asked by name?) and ``load(path, context)``, which
    returns the named graphs it produced and raises :class:`citykg.errors.CitykgError`
    subclasses on bad input. A loader that recognises its files by their exact name (such as
    ``wikidata-cache.ttl``) may set ``specific = True`` to be asked before the others.

    The build loads sources in an order of its own, never the order they were given in, so
    that every order gives the same graph:

    1. loaders without the two optional members below (RDF files), by path;
    2. loaders with ``prepare(path, context)``, which returns a :class:`PreparedSource`: every
       such source is read and declares its IDs first, then each is loaded with all of them
       known, so that they refer to each other freely;
    3. loaders with ``reads_graph = True`` (they match names against what the others loaded:
       member lists, texts, the Wikidata cache): each reads the graph of steps 1 and 2, never
       another of its kind, so that their order does not matter either.
    """

    name: str
    description: str

    def accepts(self, path: Path) -> bool: ...

    def load(self, path: Path, context: LoadContext) -> list[LoadedSource]: ...


_registered: dict[str, Loader] = {}
_entry_points_read = False


def register(loader: Loader) -> None:
    """Register ``loader`` under its name (a later one with the same name replaces it)."""
    if not isinstance(loader, Loader):
        raise LoaderError(
            f"{loader!r} is not a loader", "Give it name, description, accepts and load."
        )
    _registered[loader.name] = loader


def _registry() -> dict[str, Loader]:
    # Entry points are read on first use, not at import, so importing citykg stays cheap.
    global _entry_points_read
    if not _entry_points_read:
        _entry_points_read = True
        for entry in sorted(entry_points(group="citykg.loaders"), key=lambda e: e.name):
            if entry.name in _registered:
                continue
            factory = entry.load()
            register(factory() if isinstance(factory, type) else factory)
    return _registered


def loader_names() -> list[str]:
    """The names of all registered loaders, sorted."""
    return sorted(_registry())


def get_loader(name: str) -> Loader:
    """The loader registered as ``name``; :class:`LoaderError` with suggestions if none is."""
    registry = _registry()
    if name not in registry:
        raise LoaderError(
            f"no loader called '{name}'",
            did_you_mean(name, registry) or "Known loaders: " + ", ".join(sorted(registry)) + ".",
        )
    return registry[name]


def find_loader(path: Path) -> Loader:
    """The first loader that accepts ``path``: specific loaders first, then by name."""
    if not path.exists():
        raise LoaderError("no such file or folder", "Check the path.", file=path)
    registry = _registry()
    for name in sorted(registry, key=lambda n: (not getattr(registry[n], "specific", False), n)):
        loader = registry[name]
        if loader.accepts(path):
            return loader
    raise LoaderError(
        "no loader reads this kind of source",
        "Give a dataset folder, or an RDF file (.ttl, .nt, .jsonld, .rdf, .trig).",
        file=path,
    )


def source_graph_iri(slug: str) -> URIRef:
    """The IRI of the named graph that holds the source called ``slug``."""
    return GRAPH["source/" + slug]
