"""Remote SPARQL endpoints: exact answers from any SPARQL 1.1 engine, or a loud error.

:class:`EndpointSource` is the remote twin of :class:`~citykg.queries.sparql.LocalSource`:
everything that reads the graph through a :class:`SparqlSource` runs unchanged against any
endpoint. HTTP (deadlines, size limit, no redirects, Basic and Digest) is
:mod:`citykg.queries.http`.

**Exact reads.** Engines cap results: Virtuoso returns at most ``ResultSetMaxRows`` (10,000 by
default) rows and says so only in an ``X-SPARQL-MaxRows`` header. :meth:`EndpointSource.select`
notices a cap (that header, or a row count equal to a usual cap), counts the rows with
``SELECT (COUNT(*) ...)`` over the query and pages (``LIMIT``/``OFFSET`` around the query as a
subquery, pages no larger than the cap) until it has them all. A result is returned only when it
is provably whole: the pages add up to the count and hold no row twice (a row set of ``count``
distinct true rows is the answer), or, for results with repeated rows, were read in one total
order (the query's own ``ORDER BY``, then every variable). Otherwise :class:`EndpointError`
names the cap and how to raise it.

**Which graph.** Given a graph (``--graph``, or the one ``citykg push`` remembered for this
endpoint) it is sent as ``default-graph-uri`` and must hold citykg entities. Without one, the
endpoint's default graph is read only when it cannot mix datasets: see
:meth:`EndpointSource.dataset`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from citykg.defaults import DEFAULT_TIMEOUT, PASSWORD_ENV
from citykg.errors import EndpointError, QueryError
from citykg.ontology.namespaces import CKG, GRAPH
from citykg.queries.http import (
    Auth,
    Budget,
    HttpClient,
    Response,
    check_url,
    readable_reason,
    redact,
)
from citykg.queries.sparql import (
    SelectResult,
    SparqlSyntaxError,
    _from_ox,
    bind_values,
    plain,
    syntax_error,
)

__all__ = [
    "CAP_FIX",
    "DEFAULT_TIMEOUT",
    "KNOWN_CAPS",
    "PAGE_SIZE",
    "PASSWORD_ENV",
    "EndpointSource",
    "maybe_cut",
    "ox_term",
    "parse_triples",
    "read_password",
]

#: Row limits engines ship with (Virtuoso: 10,000; public mirrors 1,000 to 100,000): a result
#: of exactly this many rows, or one more (Virtuoso's graph downloads), may have been cut.
KNOWN_CAPS = frozenset({1000, 10000, 50000, 100000, 1000000})
#: The largest page asked for: under the usual caps, and few requests for large results.
PAGE_SIZE = 10000

_RESULTS_JSON = "application/sparql-results+json"
_KIND = f"<{CKG.kind}>"
_GRAPH_NS = str(GRAPH)


def maybe_cut(count: int, cap: int | None = None) -> bool:
    """True if a result of ``count`` rows may have been cut by a cap.

    Examples
    --------
    >>> maybe_cut(10000), maybe_cut(10001), maybe_cut(9999), maybe_cut(500, cap=500)
    (True, True, False, True)
    """
    if cap is not None and count >= cap:
        return True
    return count in KNOWN_CAPS or count - 1 in KNOWN_CAPS


_RAISE_CAP = (
    "raise the server's row limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of "
    "virtuoso.ini; see docs/sharing.md)."
)
#: The fix of every error about a result that could not be made whole.
CAP_FIX = "R" + _RAISE_CAP[1:]


# --- query text: where the parts of a SELECT are, to wrap it without moving its lines -------

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][^\s(){},;.|/^*+!=<>"'#\[\]]+)
    |(?P<word>[A-Za-z_][\w.:-]*|:[\w.:-]*)
    |(?P<punct>[{}()])
    |(?P<other>\S)""",
    re.X,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    start: int
    end: int
    text: str
    depth: int  # braces open before it


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "comment":
            continue
        value = match.group()
        if value == "}":
            depth -= 1
        found.append(_Token(kind, match.start(), match.end(), value, depth))
        if value == "{":
            depth += 1
    return found


@dataclass(frozen=True)
class _Select:
    """A SELECT query cut at its form keyword, with its FROM clauses and ORDER BY."""

    text: str
    form: int  # where SELECT starts
    froms: tuple[tuple[int, int], ...]  # spans of FROM [NAMED] iri
    order: str  # the top-level ORDER BY conditions, or ""
    order_vars: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> _Select | None:
        tokens = _tokens(text)
        form = next(
            (
                i
                for i, t in enumerate(tokens)
                if t.kind == "word"
                and t.depth == 0
                and t.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
            ),
            None,
        )
        if form is None or tokens[form].text.upper() != "SELECT":
            return None
        opening = next(
            (i for i in range(form, len(tokens)) if tokens[i].text == "{" and tokens[i].depth == 0),
            None,
        )
        if opening is None:
            return None
        closing = next(
            (
                i
                for i in range(opening + 1, len(tokens))
                if tokens[i].text == "}" and tokens[i].depth == 0
            ),
            len(tokens),
        )
        froms: list[tuple[int, int]] = []
        i = form
        while i < opening:
            if tokens[i].kind == "word" and tokens[i].text.upper() == "FROM":
                j = i + 1
                if j < opening and tokens[j].text.upper() == "NAMED":
                    j += 1
                if j < opening:
                    froms.append((tokens[i].start, tokens[j].end))
                i = j
            i += 1
        order, names = "", frozenset[str]()
        tail = tokens[closing + 1 :]
        for k, token in enumerate(tail[:-1]):
            if token.text.upper() == "ORDER" and tail[k + 1].text.upper() == "BY":
                end = next(
                    (
                        t.start
                        for t in tail[k + 2 :]
                        if t.kind == "word" and t.text.upper() in ("LIMIT", "OFFSET", "VALUES")
                    ),
                    len(text),
                )
                order = text[tail[k + 1].end : end].strip()
                names = frozenset(t.text[1:] for t in tail[k + 2 :] if t.kind == "var")
                break
        return cls(text, tokens[form].start, tuple(froms), order, names)

    def wrap(self, head: str, tail: str) -> str:
        """The query inside ``head`` ... ``tail``, its FROM clauses moved to the outer query.

        Nothing before the form keyword moves and no line break is added before the end, so
        an error's line number is the query's own.
        """
        inner = self.text[self.form :]
        clauses: list[str] = []
        for start, end in reversed(self.froms):
            a, b = start - self.form, end - self.form
            clauses.insert(0, inner[a:b])
            inner = inner[:a] + re.sub(r"[^\n]", " ", inner[a:b]) + inner[b:]
        datasets = (" " + " ".join(clauses)) if clauses else ""
        return self.text[: self.form] + head.replace("{datasets}", datasets) + inner + "\n" + tail


# --- SPARQL results ---------------------------------------------------------------------------


def _not_results(url: str, why: str, *, kind: str = "SPARQL JSON results") -> EndpointError:
    return EndpointError(
        f"the endpoint's answer is not {kind} ({why})",
        "Check that the URL is a SPARQL query endpoint.",
        file=redact(url),
    )


def _json(response: Response, url: str) -> Any:
    if response.content_type not in (_RESULTS_JSON, "application/json"):
        shown = response.content_type or "no content type"
        raise _not_results(url, f"it is {shown}")
    try:
        return json.loads(response.body)
    except RecursionError:
        raise _not_results(url, "nested too deeply") from None
    except ValueError as exc:
        raise _not_results(url, f"malformed JSON: {str(exc)[:120]}") from None


def _term(value: Any) -> Identifier:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("a value without a string 'value'")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind not in ("literal", "typed-literal"):  # typed-literal: SPARQL JSON's draft, Virtuoso
        raise ValueError(f"unknown term type {str(kind)[:40]!r}")
    lang, datatype = value.get("xml:lang"), value.get("datatype")
    if lang is not None and not isinstance(lang, str):
        raise ValueError("a language tag that is not a string")
    if datatype is not None and not isinstance(datatype, str):
        raise ValueError("a datatype that is not a string")
    literal = Literal(text, lang=lang or None, datatype=URIRef(datatype) if datatype else None)
    return plain(literal) or literal


def ox_term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term for a SPARQL JSON value (see :func:`_term` for the rdflib one).

    Examples
    --------
    >>> ox_term({"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"})
    <Literal value=7 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise ValueError("a value without a string 'value'")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"unknown term type {str(kind)[:40]!r}")
    lang, datatype = value.get("xml:lang"), value.get("datatype")
    if lang:
        return ox.Literal(text, language=str(lang))
    return ox.Literal(text, datatype=ox.NamedNode(str(datatype)) if datatype else None)


def _parse_select(
    response: Response, url: str, term: Callable[[Any], Any] | None = None
) -> tuple[tuple[str, ...], list[Row]]:
    convert = term or _term
    data = _json(response, url)
    try:
        names = data["head"]["vars"]
        bindings = data["results"]["bindings"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("'head.vars' is not a list of names")
        if not isinstance(bindings, list):
            raise ValueError("'results.bindings' is not a list")
        rows: list[Row] = []
        for binding in bindings:
            if not isinstance(binding, dict):
                raise ValueError("a binding that is not an object")
            rows.append(
                {name: (convert(binding[name]) if name in binding else None) for name in names}
            )
    except (KeyError, TypeError):
        raise _not_results(url, "no 'head.vars' and 'results.bindings'") from None
    except ValueError as exc:
        raise _not_results(url, str(exc)) from None
    return tuple(names), rows


Row = dict[str, Identifier | None]


@dataclass(frozen=True)
class _Answer:
    names: tuple[str, ...]
    rows: list[Row]
    cap: int | None  # the X-SPARQL-MaxRows header, if sent


def _cap(response: Response) -> int | None:
    raw = (response.headers.get("X-SPARQL-MaxRows") or "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _iri(value: str) -> str:
    # A graph name the server gave goes into a query only as a checked IRI.
    try:
        return str(ox.NamedNode(value))
    except ValueError:
        raise EndpointError(
            f"the endpoint names a graph that is not a valid IRI ({value[:80]!r})",
            "Give --graph with the graph to read.",
        ) from None


def _key(row: Row, names: Sequence[str]) -> tuple[Identifier | None, ...]:
    return tuple(row[name] for name in names)


# Virtuoso: "Virtuoso 37000 Error SP030: SPARQL compiler, line 4: syntax error at 'x' before '}'"
_VIRTUOSO_SYNTAX = re.compile(r"SPARQL compiler, line (\d+):\s*(?:syntax error\s*)?(.*)", re.S)


def _rejected(response: Response, url: str) -> QueryError:
    """The error for a query the endpoint refused with HTTP 400."""
    body = response.text()
    virtuoso = _VIRTUOSO_SYNTAX.search(body)
    if virtuoso:
        detail = virtuoso.group(2).splitlines()[0].strip() if virtuoso.group(2).strip() else ""
        detail = re.sub(r"^at\b", "unexpected", detail) or "the query does not parse"
        return SparqlSyntaxError(detail, int(virtuoso.group(1)), None)
    error = syntax_error(body)
    if error.line:
        return error
    reason = readable_reason(body, response.content_type)
    return _Rejected(f"HTTP 400{': ' + reason if reason else ''}", redact(url))


class _Rejected(QueryError):
    """The endpoint refused a query (HTTP 400) without saying where in it."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(
            f"the endpoint rejected the query ({reason})", "Correct the query.", file=url
        )
        self.reason = reason


class EndpointSource:
    """A remote SPARQL 1.1 query endpoint (JSON results, POST), read exactly.

    Parameters
    ----------
    url : str
        The query endpoint (Oxigraph: ``http://host:7878/query``; Virtuoso: ``/sparql``).
    timeout : float
        Seconds this source may wait for the server, over all its requests.
    user, password : str, optional
        HTTP credentials (never sent unless the server asks, with ``auth="auto"``).
    auth : str
        ``auto``, ``basic`` or ``digest`` (see :mod:`citykg.queries.http`).
    default_graph : str, optional
        Sent as ``default-graph-uri``: read this named graph (the one ``citykg push`` wrote).
    remembered : bool
        ``default_graph`` came from what push remembered (said in its errors).
    client : HttpClient, optional
        Share a client (budget and credentials) with other requests, as push does.

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
        auth: str = "auto",
        default_graph: str | None = None,
        remembered: bool = False,
        client: HttpClient | None = None,
    ) -> None:
        check_url(url, example="/sparql")
        self.url = url
        self.name = redact(url)
        self.timeout = timeout
        self.default_graph = default_graph
        self.remembered = remembered
        self.client = client or HttpClient(Budget(timeout), Auth(user, password, auth))
        self._dataset: tuple[str, ...] | None = None

    # --- one request --------------------------------------------------------------------

    def _post(self, query: str, accept: str, graphs: Sequence[str]) -> Response:
        form = [("query", query)] + [("default-graph-uri", g) for g in graphs]
        response = self.client.request(
            "POST",
            self.url,
            body=urlencode(form).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": accept,
            },
            ok=(400,),
        )
        if response.status == 400:
            raise _rejected(response, self.url)
        state = (response.headers.get("X-SQL-State") or "").strip()
        if state == "S1TAT":  # Virtuoso's "anytime" answer: part of the result, status 200
            raise EndpointError(
                "the endpoint stopped the query at its time limit and sent only part of the result",
                "Raise the server's limit (Virtuoso: MaxQueryExecutionTime in [SPARQL]).",
                file=self.name,
            )
        return response

    def _select_once(
        self, query: str, graphs: Sequence[str], term: Callable[[Any], Any] | None = None
    ) -> _Answer:
        response = self._post(query, _RESULTS_JSON, graphs)
        names, rows = _parse_select(response, self.url, term)
        return _Answer(names, rows, _cap(response))

    def _ask_once(self, query: str, graphs: Sequence[str]) -> bool:
        data = _json(self._post(query, _RESULTS_JSON, graphs), self.url)
        answer = data.get("boolean") if isinstance(data, dict) else None
        if not isinstance(answer, bool):
            raise _not_results(self.url, "no boolean", kind="an ASK result")
        return answer

    # --- exact SELECT -------------------------------------------------------------------

    def _count(self, query: _Select, graphs: Sequence[str]) -> int:
        text = query.wrap("SELECT (COUNT(*) AS ?citykg__rows){datasets} WHERE { { ", "} }")
        rows = self._select_once(text, graphs).rows
        value = rows[0].get("citykg__rows") if len(rows) == 1 else None
        try:
            return int(str(value))
        except ValueError:
            raise _not_results(self.url, "the row count is not a number") from None

    def _pages(
        self,
        wrap: Callable[[int, int], str],
        graphs: Sequence[str],
        total: int,
        page: int,
        term: Callable[[Any], Any] | None,
    ) -> Iterator[Row]:
        offset = 0
        while offset < total:
            rows = self._select_once(wrap(page, offset), graphs, term).rows
            if not rows:
                return
            yield from rows
            offset += len(rows)
            if len(rows) < page:  # a cap below the page size: page by it from now on
                page = len(rows)

    def exact_select(
        self, query: str, graphs: Sequence[str] = (), term: Callable[[Any], Any] | None = None
    ) -> SelectResult:
        """Every row of the SELECT ``query`` over ``graphs`` (no graph resolution), or an error.

        See the module docstring for how a cut result is noticed and paged. ``term`` turns a
        SPARQL JSON value into a term (default: rdflib's; push takes pyoxigraph's, faster).
        """
        first = self._select_once(query, graphs, term)
        names, seen = first.names, len(first.rows)
        if not maybe_cut(seen, first.cap):
            return SelectResult(names, tuple(first.rows))
        cap = first.cap or seen
        where = f"{cap} rows" + (" (X-SPARQL-MaxRows)" if first.cap else "")
        parsed = _Select.parse(query)
        if parsed is None:
            raise EndpointError(
                f"the endpoint may have cut the result at {where}, and citykg pages only "
                "SELECT queries",
                CAP_FIX,
                file=self.name,
            )
        total = self._count(parsed, graphs)
        if total == seen:
            return SelectResult(names, tuple(first.rows))
        page = min(cap, PAGE_SIZE)

        def unordered(size: int, offset: int) -> str:
            return parsed.wrap(
                "SELECT *{datasets} WHERE { { ", f"}} }} LIMIT {size} OFFSET {offset}"
            )

        def whole(rows: list[Row]) -> bool:
            # `total` distinct rows, each a true answer, are the answer (the count is exact).
            return len(rows) == total and len({_key(r, names) for r in rows}) == total

        # In the engine's own order (the query's ORDER BY kept): first what was already read,
        # then the rest; failing that, every page again.
        rows = first.rows + list(
            self._pages(
                lambda size, offset: unordered(size, offset + seen),
                graphs,
                total - seen,
                page,
                term,
            )
        )
        if whole(rows):
            return SelectResult(names, tuple(rows))
        rows = list(self._pages(unordered, graphs, total, page, term))
        if whole(rows):
            return SelectResult(names, tuple(rows))
        # Repeated rows (or an engine whose order changed between pages): one total order.
        if not parsed.order_vars <= set(names):
            raise EndpointError(
                f"the endpoint cut the result at {where}, and citykg cannot page it in order: "
                "its ORDER BY uses variables it does not select",
                "Select them too, or " + _RAISE_CAP,
                file=self.name,
            )
        order = " ".join([parsed.order, *(f"?{n}" for n in names)]).strip()
        rows = list(
            self._pages(
                lambda size, offset: parsed.wrap(
                    "SELECT *{datasets} WHERE { { SELECT * WHERE { { ",
                    f"}} }} ORDER BY {order} }} }} LIMIT {size} OFFSET {offset}",
                ),
                graphs,
                total,
                page,
                term,
            )
        )
        if len(rows) != total:
            raise EndpointError(
                f"the endpoint cut the result at {where}, and its pages gave {len(rows)} of "
                f"the {total} rows its count gives",
                CAP_FIX,
                file=self.name,
            )
        return SelectResult(names, tuple(rows))

    # --- which graph ----------------------------------------------------------------------

    def dataset(self) -> tuple[str, ...]:
        """The graphs sent as ``default-graph-uri`` (empty: the endpoint's default graph).

        A graph given (or remembered) must hold citykg entities. Without one, the answer may
        never mix datasets, so citykg reads:

        - the default graph, when no named graph holds citykg entities;
        - the one named graph that does, when the default graph holds none, or when the
          default graph is a union of graphs that also holds other data (Virtuoso's);
        - the default graph, when it is the union of one citykg dataset's graphs and nothing
          else (``citykg serve``).

        Anything else (two citykg graphs, or citykg entities in the default graph besides a
        named graph) is an error that lists the graphs.
        """
        if self._dataset is None:
            try:
                self._dataset = self._resolve()
            except QueryError as exc:  # a refusal of citykg's own query, not of the user's
                reason = (
                    exc.reason
                    if isinstance(exc, _Rejected)
                    else exc.detail
                    if isinstance(exc, SparqlSyntaxError)
                    else exc.problem
                )
                raise EndpointError(
                    f"the endpoint rejected citykg's query for its graphs ({reason})",
                    "Check that the URL is a SPARQL 1.1 query endpoint.",
                    file=self.name,
                ) from None
        return self._dataset

    def _graphs_with_entities(self) -> list[str]:
        text = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?e {_KIND} ?k }} }} ORDER BY ?g LIMIT 11"
        return [str(r["g"]) for r in self._select_once(text, ()).rows if r.get("g") is not None]

    def _no_entities(self, where: str, found: Sequence[str]) -> EndpointError:
        listed = ", ".join(f"<{g}>" for g in found[:10]) + (", ..." if len(found) > 10 else "")
        fix = "Give --graph with the graph 'citykg push' wrote"
        fix += f" (graphs there with citykg entities: {listed})." if found else "."
        return EndpointError(f"{self.name} holds no citykg entities in {where}", fix)

    def _resolve(self) -> tuple[str, ...]:
        has = f"ASK {{ ?e {_KIND} ?k }}"
        if self.default_graph:
            if self._ask_once(has, (self.default_graph,)):
                return (self.default_graph,)
            origin = " (remembered from citykg push)" if self.remembered else ""
            raise self._no_entities(
                f"the graph <{self.default_graph}>{origin}", self._graphs_with_entities()
            )
        named = self._graphs_with_entities()
        in_default = self._ask_once(has, ())
        if not named:
            if in_default:
                return ()
            raise self._no_entities("its default graph", named)
        if not in_default:
            if len(named) == 1:
                return (named[0],)
            raise self._no_entities("its default graph", named)
        # The default graph holds citykg entities, and named graphs do: a union of graphs
        # (Virtuoso, GraphDB, citykg serve), or a dataset of its own besides them.
        own = self._ask_once(
            f"ASK {{ ?e {_KIND} ?k FILTER NOT EXISTS {{ GRAPH ?g {{ ?e {_KIND} ?k }} }} }}", ()
        )
        others = "".join(f" && ?g != {_iri(g)}" for g in named)
        foreign = not own and self._ask_once(
            f'ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{_GRAPH_NS}"){others}) }}',
            (),
        )
        sources = all(g.startswith(_GRAPH_NS + "source/") for g in named)
        if not own and not foreign and (len(named) == 1 or sources):
            return ()  # the union of one citykg dataset's graphs and nothing else
        if not own and len(named) == 1:
            return (named[0],)  # a union with other data: the citykg graph alone is exact
        listed_graphs = ", ".join(f"<{g}>" for g in named[:10])
        raise EndpointError(
            f"{self.name}'s default graph mixes citykg data with other data "
            f"(graphs with citykg entities: {listed_graphs})",
            "Give --graph with the graph to read.",
        )

    # --- SparqlSource -----------------------------------------------------------------------

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        return self.exact_select(bind_values(query, bindings), self.dataset())

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        return self._ask_once(bind_values(query, bindings), self.dataset())

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        response = self._post(
            bind_values(query, bindings),
            "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
            self.dataset(),
        )
        triples = parse_triples(response, self.url)
        if maybe_cut(len(triples), _cap(response)):
            raise EndpointError(
                f"the endpoint may have cut the result at {len(triples)} triples, and citykg "
                "pages only SELECT queries",
                "Write the query as SELECT ?s ?p ?o, or " + _RAISE_CAP,
                file=self.name,
            )
        graph = Graph()
        seen: dict[Any, Identifier] = {}
        graph.addN(
            (
                _from_ox(t.subject, seen),
                _from_ox(t.predicate, seen),
                _from_ox(t.object, seen),
                graph,
            )
            for t in triples
        )
        return graph


def parse_triples(response: Response, url: str, *, what: str = "endpoint") -> set[ox.Triple]:
    """The triples of an RDF answer (N-Triples, Turtle or RDF/XML, by its content type)."""
    media = response.content_type or "application/n-triples"
    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None or rdf_format not in (
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.RDF_XML,
    ):
        raise EndpointError(
            f"the {what}'s answer is not RDF (it is {media})",
            "Check the URL.",
            file=redact(url),
        )
    try:
        return {q.triple for q in ox.parse(response.body, format=rdf_format)}
    except (SyntaxError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise EndpointError(
            f"the {what}'s answer is not valid {rdf_format.name} ({reason})",
            "Check the URL.",
            file=redact(url),
        ) from None


def read_password(user: str | None, url: str) -> str | None:
    """The password for ``user`` from the environment (never from the command line)."""
    password = os.environ.get(PASSWORD_ENV)
    if user is not None and password is None:
        raise EndpointError(
            f"--user is set but ${PASSWORD_ENV} is not",
            f"Set the password in ${PASSWORD_ENV}.",
            file=redact(url),
        )
    return password
