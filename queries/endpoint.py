"""Remote SPARQL endpoints, queried through SPARQLWrapper.

:class:`EndpointSource` is the remote twin of :class:`~citykg.queries.sparql.LocalSource`:
everything that reads the graph through a :class:`SparqlSource` runs unchanged against any
SPARQL 1.1 endpoint. Uploads (``citykg push``) live in :mod:`citykg.graph.push` and report
HTTP failures with the same :func:`http_error` and :func:`network_error`.

Every failure becomes one :class:`~citykg.errors.EndpointError` line: unreachable, timeout,
HTTP 401/403/404/500, or (for queries) a syntax error with the line and column the server gave.
"""

from __future__ import annotations

import ast
import json
import os
import socket
import urllib.error
import urllib.request
import warnings
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from citykg.defaults import DEFAULT_TIMEOUT, PASSWORD_ENV
from citykg.errors import EndpointError
from citykg.queries.sparql import (
    SelectResult,
    bind_values,
    plain,
    syntax_error,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "PASSWORD_ENV",
    "EndpointSource",
    "http_error",
    "network_error",
    "read_password",
]


def _body(exc: SPARQLWrapperException) -> str:
    # SPARQLWrapper keeps the server's answer only inside its message, as a bytes repr.
    text = str(exc)
    marker = "\n\nResponse:\n"
    if marker not in text:
        return ""
    try:
        raw = ast.literal_eval(text.split(marker, 1)[1])
    except (ValueError, SyntaxError):
        return ""
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


def _is_timeout(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(exc, TimeoutError | socket.timeout) or isinstance(
        reason, TimeoutError | socket.timeout
    )


def http_error(url: str, code: int, body: str, *, what: str = "endpoint") -> EndpointError:
    detail = _first_line(body)
    if code == 401:
        return EndpointError(
            f"the {what} refused the credentials (HTTP 401)",
            f"Give --user and set the password in ${PASSWORD_ENV}.",
            file=url,
        )
    if code == 403:
        return EndpointError(
            f"the {what} forbids this request (HTTP 403)",
            "Ask its administrator for access.",
            file=url,
        )
    if code == 404:
        return EndpointError(
            f"the {what} was not found (HTTP 404)",
            "Check the URL (an Oxigraph server answers at /query and /store).",
            file=url,
        )
    if code == 405:
        return EndpointError(
            f"the {what} does not accept this request (HTTP 405)",
            "Check the URL; the store may be read-only.",
            file=url,
        )
    if code >= 500:
        reason = f": {detail}" if detail else ""
        return EndpointError(
            f"the {what} failed (HTTP {code}{reason})",
            "Try again later, or ask its administrator.",
            file=url,
        )
    reason = f": {detail}" if detail else ""
    return EndpointError(
        f"the {what} answered HTTP {code}{reason}", "Check the URL and the request.", file=url
    )


def network_error(
    url: str, exc: BaseException, timeout: float, *, what: str = "endpoint"
) -> EndpointError:
    if _is_timeout(exc):
        return EndpointError(
            f"the {what} did not answer within {timeout:g} s",
            "Raise --timeout, or try again later.",
            file=url,
        )
    reason = getattr(exc, "reason", exc)
    text = getattr(reason, "strerror", None) or str(reason)
    return EndpointError(
        f"cannot reach the {what} ({text})",
        "Check the URL and that the server is running.",
        file=url,
    )


def _term(value: Mapping[str, str]) -> Identifier:
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    datatype = value.get("datatype")
    literal = Literal(
        value["value"], lang=value.get("xml:lang"), datatype=URIRef(datatype) if datatype else None
    )
    return plain(literal) or literal


class EndpointSource:
    """A remote SPARQL 1.1 endpoint, queried through SPARQLWrapper (JSON results, POST).

    Parameters
    ----------
    url : str
        The query endpoint (Oxigraph: ``http://host:7878/query``).
    timeout : float
        Seconds to wait for an answer.
    user, password : str, optional
        HTTP basic authentication.
    default_graph : str, optional
        Sent as ``default-graph-uri``: query this named graph as the default graph (for data
        pushed with ``citykg push --graph``).

    Examples
    --------
    >>> source = EndpointSource("http://127.0.0.1:9/query", timeout=1)
    >>> source.select("SELECT * WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citykg.errors.EndpointError: http://127.0.0.1:9/query: cannot reach the endpoint (...
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        user: str | None = None,
        password: str | None = None,
        default_graph: str | None = None,
    ) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise EndpointError(
                "is not an http(s) URL", "Give the endpoint as http://host:port/path.", file=url
            )
        self.name = url
        self.url = url
        self.timeout = timeout
        self.user = user
        self.password = password
        self.default_graph = default_graph

    def _request(self, query: str, fmt: str) -> Any:
        wrapper = SPARQLWrapper(self.url)
        wrapper.setQuery(query)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(fmt)
        # setTimeout() truncates to whole seconds; the attribute takes a float.
        wrapper.timeout = self.timeout  # type: ignore[assignment]
        if self.user is not None:
            wrapper.setCredentials(self.user, self.password or "")
        if self.default_graph:
            wrapper.addDefaultGraph(self.default_graph)
        try:
            with warnings.catch_warnings():
                # SPARQLWrapper warns (and returns the raw answer) for a content type it does
                # not know; the caller turns that into an EndpointError.
                warnings.simplefilter("ignore")
                return wrapper.query().convert()
        except QueryBadFormed as exc:
            raise syntax_error(_body(exc) or "the endpoint rejected the query (HTTP 400)") from None
        except Unauthorized as exc:
            raise http_error(self.url, 401, _body(exc)) from None
        except EndPointNotFound as exc:
            raise http_error(self.url, 404, _body(exc)) from None
        except EndPointInternalError as exc:
            raise http_error(self.url, 500, _body(exc)) from None
        except SPARQLWrapperException as exc:
            raise EndpointError(
                f"the endpoint failed ({_first_line(str(exc))})",
                "Check the URL and the query.",
                file=self.url,
            ) from None
        except urllib.error.HTTPError as exc:
            raise http_error(self.url, exc.code, exc.read().decode("utf-8", "replace")) from None
        except (urllib.error.URLError, OSError) as exc:
            raise network_error(self.url, exc, self.timeout) from None
        except (ValueError, json.JSONDecodeError) as exc:
            raise EndpointError(
                f"the endpoint's answer is not SPARQL results ({exc})",
                "Check that the URL is a SPARQL query endpoint.",
                file=self.url,
            ) from None

    def _json(self, query: str) -> dict[str, Any]:
        answer = self._request(query, JSON)
        if not isinstance(answer, dict):
            raise EndpointError(
                "the endpoint's answer is not SPARQL JSON results",
                "Check that the URL is a SPARQL query endpoint.",
                file=self.url,
            )
        return answer

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        answer = self._json(bind_values(query, bindings))
        try:
            names = tuple(answer["head"]["vars"])
            rows = tuple(
                {name: (_term(b[name]) if name in b else None) for name in names}
                for b in answer["results"]["bindings"]
            )
        except (KeyError, TypeError):
            raise EndpointError(
                "the endpoint's answer is not SELECT results",
                "Check the query and the URL.",
                file=self.url,
            ) from None
        return SelectResult(names, rows)

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        answer = self._json(bind_values(query, bindings))
        if not isinstance(answer.get("boolean"), bool):
            raise EndpointError(
                "the endpoint's answer is not an ASK result",
                "Check the query and the URL.",
                file=self.url,
            )
        return bool(answer["boolean"])

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        answer = self._request(bind_values(query, bindings), TURTLE)
        if isinstance(answer, Graph):
            return answer
        graph = Graph()
        try:
            graph.parse(
                data=answer if isinstance(answer, str | bytes) else str(answer), format="turtle"
            )
        except Exception as exc:  # rdflib raises parser-specific types
            raise EndpointError(
                f"the endpoint's answer is not Turtle ({exc})",
                "Check the query and the URL.",
                file=self.url,
            ) from None
        return graph


def read_password(user: str | None, url: str) -> str | None:
    """The password for ``user`` from the environment (never from the command line)."""
    password = os.environ.get(PASSWORD_ENV)
    if user is not None and password is None:
        raise EndpointError(
            f"--user is set but ${PASSWORD_ENV} is not",
            f"Set the password in ${PASSWORD_ENV}.",
            file=url,
        )
    return password
