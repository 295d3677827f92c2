"""``citykg push``: replace one named graph of a remote store with the built graph.

One ``PUT`` of N-Triples (SPARQL 1.1 Graph Store HTTP Protocol) replaces the graph; pushing
twice leaves the same graph, and an unchanged graph is not sent again. Whether other readers
can see the graph half-replaced depends on the engine: Oxigraph applies the PUT in one
transaction, Virtuoso was seen not to (docs/sharing.md).

What the remote graph holds is compared as parsed triples (engines write N-Triples
differently). Where the store's query endpoint is known (``endpoint``, or remembered from an
earlier push to the same graph store), it counts the remote graph with ``SELECT (COUNT(*) ...)``
and reads it page by page when the graph store's download is cut (Virtuoso cuts it at
``ResultSetMaxRows`` + 1 triples), and it checks the count after the PUT. Without one, a
download that may have been cut is an error that asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from citykg.errors import EndpointError
from citykg.graph.export import export_rdf
from citykg.graph.store import open_dataset
from citykg.ontology.namespaces import GRAPH
from citykg.progress import SILENT, Progress
from citykg.queries.endpoint import (
    CAP_FIX,
    DEFAULT_TIMEOUT,
    EndpointSource,
    maybe_cut,
    ox_term,
    parse_triples,
    read_password,
)
from citykg.queries.http import Auth, Budget, HttpClient, check_url, redact
from citykg.queries.remembered import Pushed, recall_store, remember

__all__ = ["DEFAULT_GRAPH", "PUSH_STEPS", "PushResult", "push"]

#: The named graph ``citykg push`` replaces unless told otherwise.
DEFAULT_GRAPH = str(GRAPH["citykg"])

#: Step names passed to :func:`push`'s progress callback, in order.
PUSH_STEPS = ("export", "compare", "send")


@dataclass(frozen=True)
class PushResult:
    """What ``citykg push`` did, or would do with ``dry_run``."""

    url: str
    graph: str
    before: int  # triples in the remote graph before
    after: int  # triples it holds after (the built graph)
    added: int
    removed: int
    dry_run: bool
    sent: bool  # False when nothing was sent: a dry run, or the remote graph was the same
    endpoint: str | None  # the query endpoint that counted (None: the download alone)


def _remote_by_query(source: EndpointSource, graph: str) -> set[ox.Triple]:
    # exact_select pages a cut answer and proves it whole (a graph's triples are distinct).
    # The graph is named by a checked IRI, never as raw text.
    iri = str(ox.NamedNode(graph))
    result = source.exact_select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}", term=ox_term
    )
    triples: set[ox.Triple] = set()
    for row in result.rows:
        subject, predicate, obj = row["s"], row["p"], row["o"]
        if (
            not isinstance(subject, ox.NamedNode | ox.BlankNode)
            or not isinstance(predicate, ox.NamedNode)
            or not isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
        ):
            raise EndpointError(
                "the endpoint's answer holds a triple that is not RDF (a literal subject, or "
                "a missing term)",
                "Check that --endpoint is the store's SPARQL query endpoint.",
                file=source.name,
            )
        triples.add(ox.Triple(subject, predicate, _canonical(obj)))
    return triples


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def _canonical(
    term: ox.NamedNode | ox.BlankNode | ox.Literal,
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A boolean in its canonical form: Virtuoso answers a query with "1" for the "true" it
    was sent (its graph download keeps "true"), and the two are the same value."""
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    return term


def _count(source: EndpointSource, graph: str) -> int:
    iri = str(ox.NamedNode(graph))
    rows = source.exact_select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}"
    ).rows
    try:
        return int(str(rows[0]["n"]))
    except (IndexError, KeyError, ValueError):
        raise EndpointError(
            "the endpoint's count of the graph is not a number",
            "Check that --endpoint is the store's SPARQL query endpoint.",
            file=source.name,
        ) from None


def push(
    store: Path,
    url: str,
    *,
    graph: str = DEFAULT_GRAPH,
    endpoint: str | None = None,
    dry_run: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    auth: str = "auto",
    include_internal: bool = False,
    progress: Progress | None = None,
) -> PushResult:
    """Replace the named graph ``graph`` at the Graph Store ``url`` with the built graph.

    One ``PUT`` of N-Triples replaces the graph; when the remote graph already holds exactly
    the built graph (compared as triples) nothing is sent. ``dry_run`` only reads the remote
    graph and counts what would change. The graph sent is the public profile (see
    :mod:`citykg.graph.profile`) unless ``include_internal``. After a push (not a dry run)
    with a query endpoint, citykg remembers the graph for that endpoint
    (:mod:`citykg.queries.remembered`).

    Parameters
    ----------
    store : Path
        The local store (built with ``citykg build``).
    url : str
        The Graph Store endpoint (Oxigraph: ``http://host:7878/store``; Virtuoso:
        ``http://host:8890/sparql-graph-crud-auth``).
    endpoint : str, optional
        The same store's SPARQL query endpoint (default: the one remembered for ``url``).
    timeout : float
        Seconds to wait for the servers, over all requests of the push.
    progress : Progress, optional
        Told each of :data:`PUSH_STEPS` as it begins.

    Raises
    ------
    EndpointError
        Unreachable, out of time, HTTP errors, a cut download without a query endpoint, or a
        count after the PUT that differs from the graph sent.
    """
    check_url(url, what="graph store", example="/store")
    if (
        urlsplit(graph).scheme == ""
        or any(c in graph for c in ' <>"{}|^`\\')
        or any(ord(c) < 32 for c in graph)
    ):
        raise EndpointError(
            f"'{graph}' is not an absolute IRI", "Give --graph as https://...", file=redact(url)
        )
    if endpoint is None:
        known = recall_store(url)
        endpoint = known.endpoint if known else None
    password = read_password(user, url)
    client = HttpClient(Budget(timeout), Auth(user, password, auth))
    source = EndpointSource(endpoint, client=client) if endpoint else None
    # What leaves the machine is the public profile (no persons, contacts, internal entries)
    # unless the caller asks for everything.
    progress = progress or SILENT
    progress.step("export", str(store))
    text = export_rdf(open_dataset(store), "nt", include_internal=include_internal)
    body = text.encode("utf-8")
    local = {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
    target = url + ("&" if urlsplit(url).query else "?") + urlencode({"graph": graph})
    progress.step("compare", redact(url))
    remote = _remote(client, source, url, target, graph)
    # Sending the same graph again would change nothing, and a server can take minutes to
    # replace a large graph (Oxigraph: 124 s for 1.2M triples, bench/run.py).
    send = not dry_run and (remote is None or local != remote)
    if send:
        progress.step("send", redact(url))
        client.request(
            "PUT",
            target,
            body=body,
            headers={"Content-Type": "application/n-triples"},
            what="graph store",
            name=url,
        )
        if source is not None:
            now = _count(source, graph)
            if now != len(local):
                raise EndpointError(
                    f"after the PUT the graph <{graph}> holds {now} triples, not the "
                    f"{len(local)} sent",
                    "Push again; if it persists, ask the store's administrator.",
                    file=redact(url),
                )
    if not dry_run and endpoint:
        remember(Pushed(endpoint, graph, url))
    before = remote or set()
    return PushResult(
        redact(url),
        graph,
        len(before),
        len(local),
        len(local - before),
        len(before - local),
        dry_run,
        send,
        redact(endpoint) if endpoint else None,
    )


def _remote(
    client: HttpClient, source: EndpointSource | None, url: str, target: str, graph: str
) -> set[ox.Triple] | None:
    """The remote graph's triples (None: it does not exist), exactly, or an error."""
    total = _count(source, graph) if source is not None else None
    if total == 0:
        return None
    answer = client.request(
        "GET",
        target,
        headers={"Accept": "application/n-triples"},
        what="graph store",
        ok=(404,),
        name=url,
    )
    if answer.status == 404 and total is None:
        return None
    triples = set() if answer.status == 404 else parse_triples(answer, url, what="graph store")
    if source is not None and total is not None:
        if len(triples) == total:
            return triples
        if answer.status == 404 or len(triples) > total:
            raise EndpointError(
                f"the graph store holds {len(triples)} triples in <{graph}>, but the query "
                f"endpoint counts {total}",
                "Check that --graph-store and --endpoint belong to the same store.",
                file=redact(url),
            )
        # The download was cut (Virtuoso: at ResultSetMaxRows + 1 triples): page it instead.
        triples = _remote_by_query(source, graph)
        if len(triples) != total:
            raise EndpointError(
                f"the graph <{graph}> holds {total} triples by count, but {len(triples)} "
                "could be read",
                CAP_FIX,
                file=source.name,
            )
        return triples
    cap = answer.headers.get("X-SPARQL-MaxRows")
    lines = answer.body.count(b"\n")
    if cap or maybe_cut(len(triples)) or maybe_cut(lines):
        raise EndpointError(
            f"the graph store may have cut its download at {len(triples)} triples, so citykg "
            "cannot compare the graphs",
            "Give --endpoint with the store's SPARQL query endpoint (Virtuoso: /sparql), "
            "which citykg uses to count and page.",
            file=redact(url),
        )
    return triples
