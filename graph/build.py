"""Assemble a citykg graph from sources: load, add the ontology, materialise, validate, persist.

:func:`build` writes a persistent store; :func:`assemble` does the same work into an
in-memory store and is what ``citykg validate`` runs.
"""

from __future__ import annotations

import errno
import gc
import shutil
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from citykg.errors import CitykgError, DataError, LoaderError, StoreError, StoreVersionError
from citykg.fold import fold
from citykg.graph.merge import (
    conflicts,
    final_kinds,
    homeless,
    report_order,
    unnamed,
    unresolved,
)
from citykg.graph.oxquery import distinct_triples, graph_size, solutions
from citykg.graph.quotes import check_quotes
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
from citykg.loaders.base import (
    LoadContext,
    LoadedSource,
    Loader,
    Location,
    PreparedSource,
    find_loader,
    get_loader,
    source_graph_iri,
)
from citykg.loaders.dataset import builtin_dataset_path, vocabulary_path
from citykg.loaders.rdf import QUADS_FORMATS, ox_format, parse_error
from citykg.loaders.reading import Problems
from citykg.ontology import ONTOLOGY_FILES, bind_prefixes, ontology_text
from citykg.ontology.namespaces import CKG, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SCHEMA
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
    "with_vocabulary",
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


def with_vocabulary(sources: Sequence[Path]) -> list[Path]:
    """``sources`` with the shared vocabulary, which every build includes, once."""
    vocabulary = vocabulary_path()
    given = [p for p in sources if p.expanduser().resolve() != vocabulary.resolve()]
    return [vocabulary, *given]


@dataclass
class _Planned:
    """A source with its loader, in the build's own order (see :class:`Loader`)."""

    path: Path
    loader: Loader
    options: dict[str, object]

    @property
    def stage(self) -> int:
        if getattr(self.loader, "reads_graph", False):
            return 2
        return 1 if callable(getattr(self.loader, "prepare", None)) else 0

    @property
    def order(self) -> tuple[int, str, str]:
        return (self.stage, self.loader.name if self.stage == 2 else "", str(self.path.resolve()))


class _Loading:
    """The state of one build's loading: the store, the context, what each source produced."""

    def __init__(self, dataset: Dataset, inner: ox.Store, progress: Progress) -> None:
        self.dataset = dataset
        self.inner = inner
        self.progress = progress
        self.context = LoadContext(graph=dataset)
        self.records: list[dict[str, object]] = []
        self.locations: dict[str, Location] = {}
        self.notes: list[str] = []
        self.loaded: list[LoadedSource] = []
        self.graphs: dict[str, Path] = {}
        self.problems = Problems()

    def add(self, planned: _Planned, loaded: LoadedSource) -> None:
        if str(loaded.name) in self.graphs:
            raise CitykgError(
                f"two sources load into the same graph <{loaded.name}> "
                f"(also {self.graphs[str(loaded.name)]})",
                "Give each dataset its own 'id', and each RDF file its own name.",
                file=planned.path,
            )
        self.graphs[str(loaded.name)] = planned.path
        target = self.dataset.graph(loaded.name)
        # A loader writes only its own, new graph, so the store's growth is its size
        # (len() of the store is an index count: 0.1 s at 1M, a COUNT query is 0.3 s).
        before = len(self.inner)
        if loaded.graph is not None:
            target.addN((s, p, o, target) for s, p, o in loaded.graph)
        if loaded.file is not None:
            self.notes.extend(_read_file(self.dataset, self.inner, loaded))
            if len(self.inner) == before:
                raise LoaderError(
                    "the file holds no triples", "Give a file with data.", file=loaded.file
                )
        self.context.known.update(loaded.ids)
        self.loaded.append(loaded)
        for iri, location in {**loaded.additions, **loaded.locations}.items():
            identifier = str(iri).rsplit("/id/", 1)[-1]
            # Where an entity is defined, rather than where another source adds to it.
            if identifier not in self.locations or iri in loaded.locations:
                self.locations[identifier] = location
        self.notes.extend(loaded.report)
        # Absolute, so that 'citykg load' can rebuild the store from any folder.
        where = Path(loaded.path)
        record: dict[str, object] = {
            "graph": str(loaded.name),
            "label": loaded.label,
            "path": str(where.resolve()) if where.exists() else loaded.path,
            "loader": loaded.loader,
            "triples": len(self.inner) - before,
        }
        if planned.options:
            record["options"] = dict(planned.options)
        self.records.append(record)

    def load(
        self, planned: _Planned, run: Callable[[], list[LoadedSource]], *, announce: bool = True
    ) -> list[LoadedSource]:
        """Run one source's loader and add what it made; its problem is kept, not raised."""
        if announce:
            self.progress.step("load", str(planned.path))
        self.context.options = planned.options
        added: list[LoadedSource] = []
        with self.problems.collect():
            for loaded in run():
                self.add(planned, loaded)
                added.append(loaded)
        return added


def _declare(loading: _Loading, prepared: list[tuple[_Planned, PreparedSource]]) -> None:
    """Merge what every prepared source declares; two kinds for one ID is a conflict."""
    kinds = loading.context.kinds
    first: dict[str, Location] = {}
    for _, source in sorted(prepared, key=lambda p: str(p[0].path.resolve())):
        for identifier, declared in sorted(source.declared.items()):
            known = kinds.get(identifier)
            if known is not None and known != declared.kind:
                other = first.get(identifier)
                places = sorted([declared.location, *([other] if other else [])], key=report_order)
                here, there = places[0], places[-1]
                kind_here = declared.kind if here == declared.location else known
                kind_there = known if here == declared.location else declared.kind
                where = f"{there.file}:{there.line}" if there.line else there.file
                loading.problems.add(
                    DataError(
                        f"'kind' of '{identifier}' is '{kind_here}', but {where} says "
                        f"'{kind_there}'",
                        "Make them agree or drop one.",
                        file=here.file,
                        line=here.line,
                    )
                )
                continue
            kinds[identifier] = declared.kind
            loading.context.known.setdefault(identifier, ID[identifier])
            first.setdefault(identifier, declared.location)


def _load_sources(
    dataset: Dataset,
    inner: ox.Store,
    sources: Sequence[Path],
    progress: Progress,
    source_options: SourceOptions | None = None,
) -> tuple[list[dict[str, object]], dict[str, Location], list[str]]:
    loading = _Loading(dataset, inner, progress)
    planned: list[_Planned] = []
    for path in sources:
        # Each source gets its own options; the store records them so that a rebuild repeats them.
        options = dict((source_options or {}).get(str(path), {}))
        # The option "loader" names the loader, for files more than one loader could read.
        named = options.get("loader")
        with loading.problems.collect():
            loader = get_loader(str(named)) if named else find_loader(path)
            planned.append(_Planned(path, loader, options))
    loading.problems.raise_all()
    # The build's own order, never the order given: every order gives the same graph.
    planned.sort(key=lambda p: p.order)
    # RDF files first: a dataset's reference to an ID one of them defines is checked with the
    # others that no dataset declares, once everything is loaded (_check_merged).
    for item in (p for p in planned if p.stage == 0):
        loading.load(item, partial(item.loader.load, item.path, loading.context))
    prepared: list[tuple[_Planned, PreparedSource]] = []
    for item in (p for p in planned if p.stage == 1):
        progress.step("load", str(item.path))
        with loading.problems.collect():
            prepared.append((item, item.loader.prepare(item.path, loading.context)))  # type: ignore[attr-defined]
    _declare(loading, prepared)
    loading.problems.raise_all()
    for item, source in prepared:
        loading.load(item, partial(source.load, loading.context), announce=False)
    loading.problems.raise_all()
    # Sources that match names read what the datasets and RDF files define, not each other:
    # each runs on the graph as it is now, and what they make is added after, so that no
    # order among them changes what any of them makes.
    made: list[tuple[_Planned, list[LoadedSource]]] = []
    for item in (p for p in planned if p.stage == 2):
        progress.step("load", str(item.path))
        loading.context.options = item.options
        with loading.problems.collect():
            made.append((item, item.loader.load(item.path, loading.context)))
    for item, outputs in made:
        with loading.problems.collect():
            for output in outputs:
                loading.add(item, output)
    loading.problems.raise_all()
    _check_merged(loading)
    return sorted(loading.records, key=lambda r: str(r["label"])), loading.locations, loading.notes


def _check_merged(loading: _Loading) -> None:
    """Every problem merging the sources leaves: unresolved references, unnamed entities,
    conflicting single values, principles no home owns (:mod:`citykg.graph.merge`), quotes
    not in the loaded text of their section (:mod:`citykg.graph.quotes`)."""
    inner = loading.inner
    problems = loading.problems
    for mismatch in check_quotes(loading.loaded):
        problems.add(mismatch)
    pending = [r for s in loading.loaded for r in s.pending]
    if pending:  # reading every ID's kind costs 0.2 s at a million statements
        for error in unresolved(pending, final_kinds(inner)):
            problems.add(error)
    for error in unnamed(inner, loading.loaded):
        problems.add(error)
    problems.raise_all()
    for error in conflicts(inner, loading.loaded, _sizes(loading.records)):
        problems.add(error)
    for error in homeless(inner, loading.locations):
        problems.add(error)
    problems.raise_all()


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
    return graph_size(inner, ox.NamedNode(str(INFERRED_GRAPH)))


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
    paths = with_vocabulary(list(sources) if sources else _default_sources())
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
            report = validate_store(inner, sizes=_sizes(records))
        else:
            report = validate_graph(union_graph(dataset))
    return Assembled(dataset, inner, records, locations, report, notes)


def _sizes(records: Sequence[Mapping[str, object]]) -> dict[str, int]:
    """Statements per source graph, as the build recorded them."""
    return {str(r["graph"]): int(str(r["triples"])) for r in records}


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
                # Where an entity of unknown place may come from: the vocabulary's are known.
                vocabulary = str(source_graph_iri("vocabulary"))
                where = ", ".join(
                    str(s["path"]) for s in assembled.sources if s["graph"] != vocabulary
                )
                raise_for_violations(assembled.report, assembled.locations, where)
            progress.step("persist", str(store))
            triples = distinct_triples(assembled.oxigraph, _sizes(assembled.sources))
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
