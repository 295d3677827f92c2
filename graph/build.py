"""Assemble a citykg graph from sources: load, add the ontology, materialise, validate, persist.

:func:`build` writes a persistent store; :func:`assemble` does the same work into an
in-memory store and is what ``citykg validate`` runs.
"""

from __future__ import annotations

import errno
import gc
import shutil
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from citykg.errors import CitykgError, LoaderError, StoreError, StoreVersionError
from citykg.fold import fold
from citykg.graph.oxquery import solutions
from citykg.graph.store import (
    INFO_FILE,
    build_lock,
    is_store_part,
    new_data_folder,
    publish,
    read_info,
)
from citykg.graph.validate import ValidationReport, raise_for_violations, validate_graph
from citykg.graph.validate_sparql import validate_store
from citykg.loaders.base import LoadContext, LoadedSource, Location, find_loader, get_loader
from citykg.loaders.dataset import builtin_dataset_path
from citykg.loaders.rdf import QUADS_FORMATS, ox_format, parse_error
from citykg.ontology import ONTOLOGY_FILES, bind_prefixes, ontology_text
from citykg.ontology.namespaces import CKG, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SCHEMA
from citykg.progress import SILENT, Progress

T = TypeVar("T")

__all__ = [
    "MATERIALISE",
    "NAME_PREDICATES",
    "SPARQL_VALIDATION_ABOVE",
    "Assembled",
    "BuildResult",
    "SourceOptions",
    "assemble",
    "build",
    "materialise",
    "materialise_oxigraph",
    "search_keys",
    "union_graph",
]

#: Above this many statements, validation runs as SPARQL on the store
#: (:mod:`citykg.graph.validate_sparql`, same violations) instead of pySHACL, whose time grows
#: much faster than the graph: 1.5 s for the built-in 7k statements, 16 s for a synthetic 13k
#: (0.14 s as SPARQL), minutes at 100k.
SPARQL_VALIDATION_ABOVE = 10_000

#: The build's steps, in order, as it names them to its :class:`~citykg.progress.Progress`
#: (``load`` once per source, with the source's path as detail).
STEPS = ("load", "ontology", "materialise", "validate", "persist")

#: Loader options per source, keyed by the source's path as given (``str(path)``).
SourceOptions = Mapping[str, Mapping[str, object]]

# Shortcuts the contract promises: the class hierarchy closed over rdf:type, org:memberOf /
# org:hasMember from each org:Membership, and the inverses of the links the dataset states one
# way. Each is a WHERE pattern and the triples it implies; MATERIALISE spells them as CONSTRUCT
# queries (run by rdflib on stores other than Oxigraph, and the reference for tests).
_TYPE_CLOSURE = """CONSTRUCT { ?x a ?super } WHERE {
        ?x a ?class . ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) }"""
_SHORTCUTS: tuple[tuple[str, tuple[tuple[str, URIRef, str], ...]], ...] = (
    (
        "?m a org:Membership ; org:member ?member ; org:organization ?org",
        (("member", ORG.memberOf, "org"), ("org", ORG.hasMember, "member")),
    ),
    ("?unit org:unitOf ?city", (("city", ORG.hasUnit, "unit"),)),
    ("?narrow skos:broader ?broad", (("broad", SKOS.narrower, "narrow"),)),
    ("?event schema:superEvent ?parent", (("parent", SCHEMA.subEvent, "event"),)),
)
MATERIALISE = (
    _TYPE_CLOSURE,
    *(
        "CONSTRUCT { "
        + " . ".join(f"?{s} <{p}> ?{o}" for s, p, o in template)
        + f" }} WHERE {{ {where} }}"
        for where, template in _SHORTCUTS
    ),
)


@dataclass
class Assembled:
    """A graph put together from sources, before it is persisted."""

    dataset: Dataset
    oxigraph: ox.Store
    sources: list[dict[str, object]]
    locations: dict[str, Location]
    report: ValidationReport | None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BuildResult:
    """What ``citykg build`` did."""

    store: Path
    triples: int
    sources: list[dict[str, object]]
    validated: bool
    notes: tuple[str, ...]


def _new_dataset(location: Path | None) -> tuple[Dataset, ox.Store]:
    try:
        inner = ox.Store(str(location)) if location is not None else ox.Store()
    except OSError as exc:
        assert location is not None
        raise StoreError(
            f"cannot create the store's data folder ({exc})",
            "Choose a writable --store.",
            file=location.parent,
        ) from None
    dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
    bind_prefixes(dataset)
    return dataset, inner


def _default_sources() -> list[Path]:
    return [builtin_dataset_path()]


def _load_sources(
    dataset: Dataset,
    inner: ox.Store,
    sources: Sequence[Path],
    progress: Progress,
    source_options: SourceOptions | None = None,
) -> tuple[list[dict[str, object]], dict[str, Location], list[str]]:
    context = LoadContext(graph=dataset)
    records: list[dict[str, object]] = []
    locations: dict[str, Location] = {}
    notes: list[str] = []
    loaded_graphs: dict[str, Path] = {}
    for path in sources:
        progress.step("load", str(path))
        # Each source gets its own options; the store records them so that a rebuild repeats them.
        context.options = dict((source_options or {}).get(str(path), {}))
        # The option "loader" names the loader, for files more than one loader could read.
        named = context.options.get("loader")
        loader = get_loader(str(named)) if named else find_loader(path)
        for loaded in loader.load(path, context):
            if str(loaded.name) in loaded_graphs:
                raise CitykgError(
                    f"two sources load into the same graph <{loaded.name}> "
                    f"(also {loaded_graphs[str(loaded.name)]})",
                    "Give each dataset its own 'id', and each RDF file its own name.",
                    file=path,
                )
            loaded_graphs[str(loaded.name)] = path
            target = dataset.graph(loaded.name)
            # A loader writes only its own, new graph, so the store's growth is its size
            # (len() of the store is an index count: 0.1 s at 1M, a COUNT query is 0.3 s).
            before = len(inner)
            if loaded.graph is not None:
                target.addN((s, p, o, target) for s, p, o in loaded.graph)
            if loaded.file is not None:
                notes.extend(_read_file(dataset, inner, loaded))
                if len(inner) == before:
                    raise LoaderError(
                        "the file holds no triples", "Give a file with data.", file=loaded.file
                    )
            context.known.update(loaded.ids)
            for iri, location in loaded.locations.items():
                identifier = str(iri).rsplit("/id/", 1)[-1]
                locations[identifier] = location
            notes.extend(loaded.report)
            # Absolute, so that 'citykg load' can rebuild the store from any folder.
            where = Path(loaded.path)
            record: dict[str, object] = {
                "graph": str(loaded.name),
                "label": loaded.label,
                "path": str(where.resolve()) if where.exists() else loaded.path,
                "loader": loaded.loader,
                "triples": len(inner) - before,
            }
            if context.options:
                record["options"] = dict(context.options)
            records.append(record)
    return records, locations, notes


def _graph_size(inner: ox.Store, name: URIRef) -> int:
    # A named graph holds no duplicates, so COUNT(*) is exact, and much cheaper than the
    # COUNT(DISTINCT ...) that len() on an rdflib graph over Oxigraph runs.
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
    count = next(iter(solutions(inner, query)))["n"]
    assert isinstance(count, ox.Literal)
    return int(count.value)


def _read_file(dataset: Dataset, inner: ox.Store, loaded: LoadedSource) -> list[str]:
    """Parse ``loaded.file`` into its named graph with Oxigraph's bulk loader; return notes."""
    assert loaded.file is not None and loaded.rdf_format is not None
    fmt = ox_format(loaded.rdf_format)
    if fmt is None:  # a format only rdflib reads (a third-party loader's choice)
        dataset.graph(loaded.name).parse(str(loaded.file), format=loaded.rdf_format)
        return []
    graph = ox.NamedNode(str(loaded.name))
    # Relative IRIs resolve against the file, as rdflib's parsers do.
    base = loaded.file.resolve().as_uri()
    notes: list[str] = []
    try:
        if loaded.rdf_format in QUADS_FORMATS:
            # Every graph of the file goes into the file's graph (see citykg.loaders.rdf).
            names: set[str] = set()

            def merged() -> Iterator[ox.Quad]:
                quads = ox.parse(
                    path=str(loaded.file), format=fmt, base_iri=base, rename_blank_nodes=True
                )
                for quad in quads:
                    if not isinstance(quad.graph_name, ox.DefaultGraph):
                        names.add(str(quad.graph_name))
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)

            inner.bulk_extend(merged())
            if names:
                notes.append(
                    f"{loaded.file}: {len(names)} named graph{'s' if len(names) > 1 else ''} "
                    f"merged into <{loaded.name}>."
                )
        else:
            inner.bulk_load(path=str(loaded.file), format=fmt, to_graph=graph, base_iri=base)
    except SyntaxError as exc:
        raise parse_error(exc, loaded.file, loaded.rdf_format) from None
    except OSError as exc:
        if _disk_full(exc):
            raise  # the store's disk, not the file: build() says so
        raise LoaderError(
            f"cannot be read ({exc.strerror or exc})",
            "Check the path and permissions.",
            file=loaded.file,
        ) from None
    except MemoryError as exc:
        if "buffer maximal size" not in str(exc):
            raise
        # Oxigraph's parsers hold one token (a literal, an IRI) in a buffer of at most 16 MB.
        raise LoaderError(
            "holds a literal or IRI longer than 16 MB, more than the RDF parser reads at once",
            "Shorten the value or leave it out.",
            file=loaded.file,
        ) from None
    return notes


def materialise(dataset: Dataset) -> int:
    """Add the contract's shortcuts to the inferred graph; return how many triples it holds.

    On an Oxigraph store this runs :func:`materialise_oxigraph` (the same shortcuts, computed
    without rdflib in between); on any other store it runs the :data:`MATERIALISE` queries.
    """
    store = dataset.store
    if isinstance(store, OxigraphStore):
        return materialise_oxigraph(store._inner)
    inferred = dataset.graph(INFERRED_GRAPH)
    for query in MATERIALISE:
        result = dataset.query(query)
        assert result.graph is not None
        inferred.addN((s, p, o, inferred) for s, p, o in result.graph if (s, p, o) not in dataset)
    entities = set(dataset.subjects(CKG.kind, None))
    names = (
        (s, str(o))
        for p in NAME_PREDICATES
        for s, o in dataset.subject_objects(p)
        if s in entities and o is not None
    )
    inferred.addN((s, CKG.searchKey, Literal(key), inferred) for s, key in search_keys(names))
    return len(inferred)


#: The names search looks in: each entity's get ``ckg:searchKey`` s (:func:`citykg.fold.fold`).
NAME_PREDICATES = (RDFS.label, SKOS.altLabel)


def search_keys(names: Iterable[tuple[T, str]]) -> list[tuple[T, str]]:
    """The distinct ``(entity, folded name)`` pairs of ``names``, for ``ckg:searchKey``.

    Folding once at build, in Python, makes search the same on every SPARQL engine: a query
    that folded labels itself needs string functions that engines implement differently
    (Virtuoso's ``REPLACE`` ignores non-ASCII character classes).

    Examples
    --------
    >>> search_keys([("x", "København"), ("x", "Kobenhavn"), ("y", "Łódź")])
    [('x', 'kobenhavn'), ('y', 'lodz')]
    """
    return sorted({(entity, fold(name)) for entity, name in names}, key=lambda p: (str(p[0]), p[1]))


_RDF_TYPE = ox.NamedNode(str(RDF.type))


def _type_closure(inner: ox.Store) -> Iterator[ox.Quad]:
    """``?x a ?super`` for every stated ``?x a ?class`` with ``?class rdfs:subClassOf+ ?super``.

    The class hierarchy is small: it is closed in Python, and each class's instances are read
    with one index scan. That is several times faster than the SPARQL property path, which
    re-walks the hierarchy for every typed node.
    """
    supers: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for quad in inner.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            supers.setdefault(quad.subject, set()).add(quad.object)
    closure: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for cls in supers:
        found: set[ox.NamedNode] = set()
        stack = [cls]
        while stack:
            for parent in supers.get(stack.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        closure[cls] = found
    # Only instances of classes in the hierarchy are read (not the many memberships, periods
    # and instants), with what they state of the classes above.
    involved = set(closure).union(*closure.values()) if closure else set()
    stated: dict[ox.NamedNode | ox.BlankNode, set[ox.NamedNode]] = {}
    for cls in involved:
        for quad in inner.quads_for_pattern(None, _RDF_TYPE, cls, None):
            stated.setdefault(quad.subject, set()).add(cls)  # type: ignore[arg-type]
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    for node, types in stated.items():
        implied: set[ox.NamedNode] = set()
        for cls in types:
            implied |= closure.get(cls, set())
        for parent in implied - types:
            yield ox.Quad(node, _RDF_TYPE, parent, graph)


def materialise_oxigraph(inner: ox.Store) -> int:
    """:data:`MATERIALISE` on an Oxigraph store, written with its bulk loader.

    Only triples that no graph states yet go into the inferred graph, so that a triple is
    counted once. Returns the number of triples the inferred graph holds.
    """
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    quads = list(_type_closure(inner))
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items())
    for where, template in _SHORTCUTS:
        variables = sorted({v for s, _, o in template for v in (s, o)})
        select = (
            prefixes + "SELECT " + " ".join("?" + v for v in variables) + f" WHERE {{ {where} }}"
        )
        rows = [tuple(row[v] for v in variables) for row in solutions(inner, select, union=True)]
        for s_var, predicate, o_var in template:
            p = ox.NamedNode(str(predicate))
            s_at, o_at = variables.index(s_var), variables.index(o_var)
            found = [
                ox.Quad(subject, p, obj, graph)
                for row in rows
                if isinstance(subject := row[s_at], (ox.NamedNode, ox.BlankNode))
                and (obj := row[o_at]) is not None
            ]
            # Sources rarely state a shortcut themselves; look each one up only if one does.
            if next(iter(inner.quads_for_pattern(None, p, None, None)), None) is not None:
                found = [q for q in found if not _stated(inner, q)]
            quads.extend(found)
    # Entities (what has a ckg:kind) are what search finds; vocabulary terms are not.
    kind = ox.NamedNode(str(CKG.kind))
    entities = {q.subject for q in inner.quads_for_pattern(None, kind, None, None)}
    names = (
        (quad.subject, quad.object.value)
        for p in NAME_PREDICATES
        for quad in inner.quads_for_pattern(None, ox.NamedNode(str(p)), None, None)
        if quad.subject in entities and isinstance(quad.object, ox.Literal)
    )
    key = ox.NamedNode(str(CKG.searchKey))
    quads.extend(ox.Quad(s, key, ox.Literal(k), graph) for s, k in search_keys(names))
    # One bulk write: each bulk_extend call on a RocksDB store has a large fixed cost.
    inner.bulk_extend(quads)
    return _graph_size(inner, INFERRED_GRAPH)


def _stated(inner: ox.Store, quad: ox.Quad) -> bool:
    """Does any graph state ``quad``'s triple already?"""
    pattern = inner.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
    return next(iter(pattern), None) is not None


def union_graph(dataset: Dataset) -> Graph:
    """Copy every triple of ``dataset`` into one in-memory rdflib Graph (for pySHACL)."""
    graph = bind_prefixes(Graph())
    result = dataset.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert result.graph is not None
    for triple in result.graph:
        graph.add(triple)
    return graph


def assemble(
    sources: Sequence[Path] | None = None,
    *,
    location: Path | None = None,
    validate: bool = True,
    progress: Progress | None = None,
    source_options: SourceOptions | None = None,
) -> Assembled:
    """Load ``sources`` (default: the built-in dataset), add the ontology, materialise shortcuts
    and validate.

    Parameters
    ----------
    sources : sequence of Path, optional
        Dataset folders and files; each goes to the loader that accepts it.
    location : Path, optional
        Where to put the Oxigraph database; in memory if not given.
    validate : bool
        Run the SHACL shapes (the report is in the result; nothing is raised for violations).
    progress : Progress, optional
        Told each of :data:`STEPS` as it begins.
    source_options : mapping, optional
        Loader options per source path (``{"members.csv": {"network": "c40"}}``); the option
        ``loader`` names the loader to use instead of the first that accepts the path.

    Examples
    --------
    >>> assembled = assemble()
    >>> assembled.report.conforms
    True
    """
    progress = progress or SILENT
    paths = list(sources) if sources else _default_sources()
    dataset, inner = _new_dataset(location)
    records, locations, notes = _load_sources(dataset, inner, paths, progress, source_options)
    progress.step("ontology")
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for name in ONTOLOGY_FILES:
        ontology.parse(data=ontology_text(name), format="ox-turtle")
    progress.step("materialise")
    materialise(dataset)
    report = None
    if validate:
        progress.step("validate")
        # pySHACL copies the graph into rdflib and walks it node by node: fine for a city's own
        # data, far too slow at scale, where the same rules run as SPARQL on the store.
        if len(inner) > SPARQL_VALIDATION_ABOVE:
            report = validate_store(inner)
        else:
            report = validate_graph(union_graph(dataset))
    return Assembled(dataset, inner, records, locations, report, notes)


def _check_replaceable(store: Path) -> None:
    # Refuse folders that are not citykg stores and stores of another layout version; a
    # store whose citykg-store.json is damaged is still citykg's, and the build replaces it.
    try:
        read_info(store)
    except StoreVersionError:
        raise
    except StoreError:
        if not (store / INFO_FILE).is_file() and not all(is_store_part(p) for p in store.iterdir()):
            raise


def build(
    store: Path,
    sources: Sequence[Path] | None = None,
    *,
    validate: bool = True,
    wait: bool = False,
    progress: Progress | None = None,
    source_options: SourceOptions | None = None,
) -> BuildResult:
    """Build the graph from ``sources`` into the persistent store at ``store``, atomically.

    The new graph replaces the store's previous one only after it loaded and validated; on
    any error the previous store stays as it was.

    Raises
    ------
    CitykgError
        A subclass naming the file, line and fix for bad input; :class:`ValidationError` for a
        SHACL violation; :class:`BuildLockedError` if another build is writing the store.
    """
    progress = progress or SILENT
    if store.exists() and not store.is_dir():
        raise StoreError(
            "is a file, not a store folder", "Choose a folder for --store.", file=store
        )
    if store.is_dir() and any(p.name != "build.lock" for p in store.iterdir()):
        _check_replaceable(store)
    with build_lock(store, wait=wait):
        data = new_data_folder(store)
        assembled: Assembled | None = None
        try:
            assembled = assemble(
                sources,
                location=data,
                validate=validate,
                progress=progress,
                source_options=source_options,
            )
            if assembled.report is not None:
                where = ", ".join(str(s["path"]) for s in assembled.sources)
                raise_for_violations(assembled.report, assembled.locations, where)
            progress.step("persist", str(store))
            # Statements in all graphs; the inferred graph repeats none, so unless two sources
            # state the same triple this is the number of distinct triples, at a fraction of
            # the cost of counting those (COUNT DISTINCT: 7 s at 1M triples).
            triples = len(assembled.oxigraph)
            sources_done, notes = assembled.sources, tuple(assembled.notes)
            assembled.oxigraph.flush()
            # Drop every handle on the database before it becomes the one readers open. rdflib's
            # Dataset sits in reference cycles, so the writer would live on until the next
            # garbage collection and compact (deleting files) under readers: collect now.
            assembled = None
            gc.collect()
            publish(store, data, triples=triples, sources=sources_done, validated=validate)
        except BaseException as exc:
            # Close the half-built database before removing it: while the failed steps'
            # frames still hold it, RocksDB writes its files again when it is closed later.
            assembled = None
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
            shutil.rmtree(data, ignore_errors=True)
            if _disk_full(exc):
                raise StoreError(
                    "the disk filled up while the new graph was written; the store is as it "
                    "was before",
                    "Free some space and build again.",
                    file=store,
                ) from None
            raise
    return BuildResult(store, triples, sources_done, validate, notes)


def _disk_full(exc: BaseException) -> bool:
    # Oxigraph reports RocksDB's write errors as OSError with the text only, no errno.
    if isinstance(exc, StoreError | LoaderError):
        return "No space left on device" in exc.problem
    return isinstance(exc, OSError) and (
        exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc)
    )
