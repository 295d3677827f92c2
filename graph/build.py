"""Assemble a citykg graph from sources: load, add the ontology, materialise, validate, persist.

:func:`build` writes a persistent store; :func:`assemble` does the same work into an
in-memory store and is what ``citykg validate`` runs.
"""

from __future__ import annotations

import gc
import shutil
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph

from citykg.errors import CitykgError, StoreError, StoreVersionError
from citykg.graph.store import (
    INFO_FILE,
    build_lock,
    is_store_part,
    new_data_folder,
    publish,
    read_info,
)
from citykg.graph.validate import ValidationReport, raise_for_violations, validate_graph
from citykg.loaders.base import LoadContext, Location, find_loader, get_loader
from citykg.loaders.dataset import builtin_dataset_path
from citykg.ontology import ONTOLOGY_FILES, bind_prefixes, ontology_text
from citykg.ontology.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = [
    "MATERIALISE",
    "Assembled",
    "BuildResult",
    "SourceOptions",
    "assemble",
    "build",
    "materialise",
    "union_graph",
]

#: Step names passed to a progress callback, in order.
STEPS = ("load", "ontology", "materialise", "validate", "persist")

#: ``progress(step, detail)``: called as the build moves on.
StepCallback = Callable[[str, str], None]

#: Loader options per source, keyed by the source's path as given (``str(path)``).
SourceOptions = Mapping[str, Mapping[str, object]]

# Shortcuts the contract promises, computed by the store's own SPARQL engine so that they
# scale with it: the class hierarchy closed over rdf:type, org:memberOf/org:hasMember from
# each org:Membership, and the inverses of the links the dataset states one way.
MATERIALISE = (
    """CONSTRUCT { ?x a ?super } WHERE {
        ?x a ?class . ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) }""",
    """CONSTRUCT { ?member org:memberOf ?org . ?org org:hasMember ?member } WHERE {
        ?m a org:Membership ; org:member ?member ; org:organization ?org }""",
    """CONSTRUCT { ?city org:hasUnit ?unit } WHERE { ?unit org:unitOf ?city }""",
    """CONSTRUCT { ?broad skos:narrower ?narrow } WHERE { ?narrow skos:broader ?broad }""",
    """CONSTRUCT { ?parent schema:subEvent ?event } WHERE { ?event schema:superEvent ?parent }""",
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
    sources: Sequence[Path],
    notify: StepCallback,
    source_options: SourceOptions | None = None,
) -> tuple[list[dict[str, object]], dict[str, Location], list[str]]:
    context = LoadContext(graph=dataset)
    records: list[dict[str, object]] = []
    locations: dict[str, Location] = {}
    notes: list[str] = []
    for path in sources:
        notify("load", str(path))
        # Each source gets its own options; the store records them so that a rebuild repeats them.
        context.options = dict((source_options or {}).get(str(path), {}))
        # The option "loader" names the loader, for files more than one loader could read.
        named = context.options.get("loader")
        loader = get_loader(str(named)) if named else find_loader(path)
        for loaded in loader.load(path, context):
            target = dataset.graph(loaded.name)
            if len(target):
                raise CitykgError(
                    f"two sources load into the same graph <{loaded.name}>",
                    "Give each dataset its own 'id'.",
                    file=path,
                )
            if loaded.graph is not None:
                target.addN((s, p, o, target) for s, p, o in loaded.graph)
            if loaded.file is not None:
                target.parse(str(loaded.file), format=loaded.rdf_format)
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
                "triples": len(target),
            }
            if context.options:
                record["options"] = dict(context.options)
            records.append(record)
    return records, locations, notes


def materialise(dataset: Dataset) -> int:
    """Add the contract's shortcuts to the inferred graph; return how many triples it holds."""
    inferred = dataset.graph(INFERRED_GRAPH)
    for query in MATERIALISE:
        result = dataset.query(query)
        assert result.graph is not None
        inferred.addN((s, p, o, inferred) for s, p, o in result.graph)
    return len(inferred)


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
    progress: StepCallback | None = None,
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
    progress : callable, optional
        ``progress(step, detail)`` as the work moves on.
    source_options : mapping, optional
        Loader options per source path (``{"members.csv": {"network": "c40"}}``); the option
        ``loader`` names the loader to use instead of the first that accepts the path.

    Examples
    --------
    >>> assembled = assemble()
    >>> assembled.report.conforms
    True
    """
    notify = progress or (lambda step, detail: None)
    paths = list(sources) if sources else _default_sources()
    dataset, inner = _new_dataset(location)
    records, locations, notes = _load_sources(dataset, paths, notify, source_options)
    notify("ontology", "")
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for name in ONTOLOGY_FILES:
        ontology.parse(data=ontology_text(name), format="ox-turtle")
    notify("materialise", "")
    materialise(dataset)
    report = None
    if validate:
        notify("validate", "")
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
    progress: StepCallback | None = None,
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
    notify = progress or (lambda step, detail: None)
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
            notify("persist", str(store))
            triples = len(assembled.dataset)
            sources_done, notes = assembled.sources, tuple(assembled.notes)
            assembled.oxigraph.flush()
            # Drop every handle on the database before it becomes the one readers open.
            assembled = None
            publish(store, data, triples=triples, sources=sources_done, validated=validate)
        except BaseException as exc:
            # Close the half-built database before removing it: while the failed steps'
            # frames still hold it, RocksDB writes its files again when it is closed later.
            assembled = None
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
            shutil.rmtree(data, ignore_errors=True)
            raise
    return BuildResult(store, triples, sources_done, validate, notes)
