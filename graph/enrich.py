"""``citykg enrich``: ask Wikidata about the store's entities, keep the answers, rebuild.

The answers go to a cache file (``wikidata-cache.ttl``) beside the dataset, so that later
builds are reproducible offline and a refresh shows up as a diff. Items already in a complete
cache are not asked again unless ``refresh`` is given. If the endpoint fails part-way, the
batches answered so far are kept and the cache says which items are missing; the next run
asks only those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from citykg.errors import CitykgError, EndpointError, LoaderError, did_you_mean
from citykg.graph.addsource import add_source, recorded_sources
from citykg.graph.build import STEPS, BuildResult
from citykg.graph.profile import public_profile
from citykg.graph.store import open_dataset, read_info
from citykg.loaders.dataset import builtin_dataset_path, vocabulary_path
from citykg.loaders.wikidata import (
    CACHE_NAME,
    PS,
    WIKIDATA_ENDPOINT,
    CacheInfo,
    Linked,
    fetch,
    linked_entities,
    read_cache,
    today,
    write_cache,
)
from citykg.ontology.namespaces import WD
from citykg.progress import SILENT, Progress

__all__ = [
    "ENRICH_STEPS",
    "EnrichResult",
    "default_cache_path",
    "enrich",
    "public_links",
    "unanswered",
]

NETWORK_KINDS = ("network", "project", "programme", "organisation")
#: citykg's own data folders, which never hold a cache.
_BUILT_IN = {builtin_dataset_path().resolve(), vocabulary_path().resolve()}

#: The steps :func:`enrich` names to its :class:`~citykg.progress.Progress`: ``ask`` (counting
#: the batches answered), then the rebuild's.
ENRICH_STEPS = ("ask", *STEPS)


@dataclass(frozen=True)
class EnrichResult:
    """What ``citykg enrich`` did."""

    cache: Path
    items: int
    asked: int
    networks: int
    build: BuildResult | None


def default_cache_path(store: Path) -> Path:
    """Where the cache goes: where the store loaded it before, else beside the store's one
    dataset of your own, else (only citykg's own data) in the current folder.

    citykg's own data folders (the vocabulary, the built-in dataset) are part of the
    installation and never hold a cache. With several datasets of your own the cache could go
    beside any of them: :class:`CitykgError` asks for ``--cache``.
    """
    paths, options = recorded_sources(store)
    for path in paths:
        if options.get(str(path), {}).get("loader") == "wikidata" or path.name.startswith(
            "wikidata-cache"
        ):
            return path
    own = sorted(
        {
            Path(str(record["path"]))
            for record in read_info(store).sources
            if record.get("loader") == "dataset"
            and Path(str(record["path"])).is_dir()
            and Path(str(record["path"])).resolve() not in _BUILT_IN
        }
    )
    if len(own) > 1:
        listed = ", ".join(str(p) for p in own)
        raise CitykgError(
            f"the store holds several datasets of your own ({listed}): the cache could go "
            "beside any of them",
            "Give --cache FILE.",
            file=store,
        )
    return own[0] / CACHE_NAME if own else Path.cwd() / CACHE_NAME


def public_links(graph: Graph) -> dict[str, list[Linked]]:
    """:func:`linked_entities` without internal entities (as the public profile decides):
    enrichment never sends an internal entity's Wikidata ID to an endpoint."""
    internal = public_profile(graph).internal
    links = {
        qid: [link for link in entities if link.entity not in internal]
        for qid, entities in linked_entities(graph).items()
    }
    return {qid: entities for qid, entities in links.items() if entities}


def _network_items(
    graph: Graph, networks: Sequence[str], links: dict[str, list[Linked]]
) -> list[str]:
    by_id: dict[str, str] = {}
    for qid, entities in links.items():
        for link in entities:
            if link.kind in NETWORK_KINDS:
                by_id[str(link.entity).rsplit("/", 1)[-1]] = qid
    query = (
        'SELECT ?id WHERE { ?e <https://w3id.org/citykg/ontology#kind> "network" ; '
        "<http://purl.org/dc/terms/identifier> ?id }"
    )
    known = sorted(str(row[0]) for row in graph.query(query))  # type: ignore[index]
    internal = {
        str(link.entity).rsplit("/", 1)[-1]
        for entities in linked_entities(graph).values()
        for link in entities
        if link.kind in NETWORK_KINDS
    } - set(by_id)
    items = []
    for network in networks:
        if network in by_id:
            items.append(by_id[network])
        elif network in internal:
            raise LoaderError(
                f"the network '{network}' is internal",
                "Enrichment never asks an endpoint about internal entities; "
                "leave it out of --network.",
            )
        elif network in known:
            raise LoaderError(
                f"the network '{network}' has no Wikidata ID",
                "Add 'wikidata: Q...' to it in the dataset (only a verified ID), then build again.",
            )
        else:
            raise LoaderError(
                f"unknown network '{network}'",
                did_you_mean(network, known) or "Give a network's ID.",
            )
    return items


def unanswered(graph: Graph, items: Sequence[str], networks: Sequence[str]) -> list[str]:
    """The ``items`` the answers in ``graph`` say nothing about, and the ``networks`` with no
    member statement, in the order asked.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from rdflib.namespace import RDFS
    >>> g = Graph()
    >>> _ = g.add((WD["Q35"], RDFS.label, Literal("Denmark")))
    >>> unanswered(g, ["Q35", "Q183"], ["Q7"])
    ['Q183', 'Q7']
    """
    missing = [q for q in items if (WD[q], None, None) not in graph]
    return missing + [q for q in networks if (None, PS.P463, WD[q]) not in graph]


def enrich(
    store: Path,
    *,
    cache: Path | None = None,
    endpoint: str = WIKIDATA_ENDPOINT,
    refresh: bool = False,
    networks: Sequence[str] = (),
    timeout: float = 60,
    batch_size: int = 50,
    load: bool = True,
    progress: Progress | None = None,
) -> EnrichResult:
    """Ask ``endpoint`` about every entity of ``store`` that has a Wikidata ID; cache; rebuild.

    Parameters
    ----------
    store : Path
        A built store; its entities' Wikidata IDs (a city's place ``skos:exactMatch``, others'
        ``owl:sameAs``) are what is asked about, except internal entities' (see
        :func:`public_links`).
    cache : Path, optional
        The cache file (default: :func:`default_cache_path`).
    refresh : bool
        Ask about every item again, not only those the cache lacks.
    networks : sequence of str
        IDs of networks whose members (P463) to ask for; each needs a Wikidata ID.
    load : bool
        Rebuild the store with the cache as a source afterwards.
    progress : Progress, optional
        Told each of :data:`ENRICH_STEPS` as it begins, and the batches answered.

    Raises
    ------
    EndpointError
        One line for rate limits, timeouts, HTTP errors and unreachable endpoints; batches
        answered before the failure are kept in a cache marked incomplete.
    """
    progress = progress or SILENT
    dataset = open_dataset(store)
    links = public_links(dataset)
    items = sorted(links, key=lambda q: int(q[1:]))
    network_items = _network_items(dataset, networks, links)
    del dataset
    path = (cache or default_cache_path(store)).expanduser().resolve()
    graph, info = read_cache(path) if path.exists() and not refresh else (Graph(), CacheInfo())
    done = set() if refresh else set(info.items) - set(info.missing)
    done_networks = set() if refresh else set(info.networks) - set(info.missing)
    to_ask = [q for q in items if q not in done]
    nets_to_ask = [q for q in network_items if q not in done_networks]
    if refresh:
        graph = Graph()
    if to_ask or nets_to_ask:
        info = CacheInfo(
            endpoint=endpoint,
            retrieved=today(),
            items=sorted(done | set(items)),
            networks=sorted(done_networks | set(network_items)),
            missing=[*to_ask, *nets_to_ask],
        )
        batches: list[tuple[Sequence[str], Sequence[str]]] = [
            (to_ask[i : i + batch_size], ()) for i in range(0, len(to_ask), batch_size)
        ]
        batches += [
            ((), nets_to_ask[i : i + batch_size]) for i in range(0, len(nets_to_ask), batch_size)
        ]
        progress.step("ask", endpoint)
        for number, (batch, nets) in enumerate(batches, 1):
            try:
                fetch(
                    list(batch),
                    list(nets),
                    endpoint=endpoint,
                    timeout=timeout,
                    batch_size=batch_size,
                    into=graph,
                )
            except EndpointError as exc:
                if number > 1:
                    info.missing = unanswered(graph, to_ask, nets_to_ask)
                    write_cache(path, graph, info)
                    exc.fix += f" {number - 1} of {len(batches)} batches are kept in {path}."
                raise
            progress.count(number, len(batches))
        # An item counts as answered only if the answer says something about it: an endpoint
        # that answers nothing (the wrong URL, an empty store) never makes the cache complete.
        info.missing = unanswered(graph, to_ask, nets_to_ask)
        write_cache(path, graph, info)
        if info.missing:
            shown = " ".join(info.missing[:10]) + (" ..." if len(info.missing) > 10 else "")
            raise EndpointError(
                f"the endpoint answered nothing about {len(info.missing)} of "
                f"{len(to_ask) + len(nets_to_ask)} items ({shown})",
                "Check that it is a Wikidata endpoint; the answers are kept in "
                f"{path}, marked incomplete, and the store is not rebuilt.",
                file=endpoint,
            )
    elif not path.exists():
        write_cache(path, graph, CacheInfo(endpoint=endpoint, retrieved=today()))
    build = add_source(store, path, {"loader": "wikidata"}, progress=progress) if load else None
    return EnrichResult(path, len(items), len(to_ask), len(network_items), build)
