"""``citykg push``: replace one named graph of a remote store with the built graph.

One ``PUT`` of N-Triples (SPARQL 1.1 Graph Store HTTP Protocol) replaces the graph, so the store
never holds half of it and pushing twice leaves the same graph. HTTP errors are reported as
:func:`citykg.queries.endpoint` reports them for queries.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from citykg.errors import EndpointError
from citykg.graph.export import export_rdf
from citykg.graph.store import open_dataset
from citykg.ontology.namespaces import GRAPH
from citykg.progress import SILENT, Progress
from citykg.queries.endpoint import DEFAULT_TIMEOUT, http_error, network_error, read_password

__all__ = ["DEFAULT_GRAPH", "PUSH_STEPS", "PushResult", "push"]

#: The named graph ``citykg push`` replaces unless told otherwise.
DEFAULT_GRAPH = str(GRAPH["citykg"])

#: The steps :func:`push` names to its :class:`~citykg.progress.Progress`, in order.
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


class _Http:
    def __init__(
        self, url: str, graph: str, timeout: float, user: str | None, password: str | None
    ) -> None:
        self.url = url
        self.target = url + ("&" if urlsplit(url).query else "?") + urlencode({"graph": graph})
        self.timeout = timeout
        self.headers: dict[str, str] = {}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"

    def call(
        self, method: str, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if content_type:
            headers["Content-Type"] = content_type
        if method == "GET":
            headers["Accept"] = "application/n-triples"
        request = urllib.request.Request(self.target, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            if method == "GET" and exc.code == 404:
                return 404, b""  # the graph does not exist yet
            raise http_error(
                self.url, exc.code, exc.read().decode("utf-8", "replace"), what="graph store"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise network_error(self.url, exc, self.timeout, what="graph store") from None


def _lines(text: str) -> Iterator[str]:
    return (
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def push(
    store: Path,
    url: str,
    *,
    graph: str = DEFAULT_GRAPH,
    dry_run: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    include_internal: bool = False,
    progress: Progress | None = None,
) -> PushResult:
    """Replace the named graph ``graph`` at the Graph Store ``url`` with the built graph.

    One ``PUT`` of N-Triples replaces the graph as a single request: the store never holds
    half of it, and pushing again gives the same graph (the data has no blank nodes, and a
    replacement cannot duplicate them anyway). When the remote graph already holds exactly
    the built graph nothing is sent. ``dry_run`` only reads the remote graph and counts what
    would change. The graph sent is the public profile (see
    :mod:`citykg.graph.profile`) unless ``include_internal``.

    Parameters
    ----------
    store : Path
        The local store (built with ``citykg build``).
    url : str
        The Graph Store endpoint (Oxigraph: ``http://host:7878/store``).
    progress : Progress, optional
        Told each of :data:`PUSH_STEPS` as it begins.

    Raises
    ------
    EndpointError
        Unreachable, timeout, HTTP errors.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise EndpointError(
            "is not an http(s) URL", "Give the graph store as http://host:port/path.", file=url
        )
    if urlsplit(graph).scheme == "" or any(c in graph for c in ' <>"{}|^`\\'):
        raise EndpointError(
            f"'{graph}' is not an absolute IRI", "Give --graph as https://...", file=url
        )
    password = read_password(user, url)
    # What leaves the machine is the public profile (no persons, contacts, internal entries)
    # unless the caller asks for everything.
    progress = progress or SILENT
    progress.step("export", str(store))
    text = export_rdf(open_dataset(store), "nt", include_internal=include_internal)
    local = set(_lines(text))
    http = _Http(url, graph, timeout, user, password)
    progress.step("compare", url)
    status, body = http.call("GET")
    remote = set() if status == 404 else set(_lines(body.decode("utf-8", "replace")))
    # Sending the same graph again would change nothing, and a server can take minutes to
    # replace a large graph (Oxigraph: 124 s for 1.2M triples, bench/run.py).
    send = not dry_run and (status == 404 or local != remote)
    if send:
        progress.step("send", url)
        http.call("PUT", text.encode("utf-8"), "application/n-triples")
    return PushResult(
        url, graph, len(remote), len(local), len(local - remote), len(remote - local), dry_run, send
    )
