"""The SPARQL source a command reads: the built store, or a remote endpoint instead."""

from __future__ import annotations

from pathlib import Path

from citykg.defaults import DEFAULT_TIMEOUT
from citykg.graph.profile import open_profile
from citykg.queries.endpoint import EndpointSource, read_password
from citykg.queries.http import check_url
from citykg.queries.remembered import recall
from citykg.queries.sparql import LocalSource, SparqlSource

__all__ = ["open_source"]


def open_source(
    store: Path,
    endpoint: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    auth: str = "auto",
    default_graph: str | None = None,
    profile: bool = False,
    local_timeout: float | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
) -> SparqlSource:
    """The local store at ``store``, or the endpoint if one is given (password from the env).

    With an endpoint and no ``default_graph``, the graph ``citykg push`` remembered for that
    endpoint is read (see :meth:`EndpointSource.dataset` for an endpoint with none).
    With ``profile`` the local store is seen through its public profile
    (:func:`citykg.graph.profile.open_profile`), as every output that leaves the machine is.
    ``local_timeout``, ``allow_service`` and ``max_rows`` bound the local store's queries
    (:class:`~citykg.queries.sparql.LocalSource`).
    """
    if endpoint:
        check_url(endpoint)
        remembered = False
        if default_graph is None:
            pushed = recall(endpoint)
            if pushed is not None:
                default_graph, remembered = pushed.graph, True
        password = read_password(user, endpoint)
        return EndpointSource(
            endpoint,
            timeout=timeout,
            user=user,
            password=password,
            auth=auth,
            default_graph=default_graph,
            remembered=remembered,
        )
    return LocalSource(
        open_profile(store, include_internal=not profile),
        name=str(store),
        timeout=local_timeout,
        allow_service=allow_service,
        max_rows=max_rows,
    )
