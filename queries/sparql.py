"""Where SPARQL runs: the local store, or (see :mod:`citykg.queries.endpoint`) an endpoint.

Everything that reads the graph with SPARQL (named queries, analyses, exports) goes through a
:class:`SparqlSource`, so that ``--endpoint URL`` works for all of them alike.

Parameters are bound by adding a ``VALUES`` block, built from rdflib terms with ``.n3()``, at
the start of the query's WHERE group. Oxigraph's own binding (rdflib's ``initBindings``) only
accepts variables the query projects, and a query text is never formatted with user input.

Local queries are bounded (:func:`check_query`, :class:`LocalSource`): Oxigraph evaluates a
query by recursion in Rust, where a query of a few thousand nested groups or chained
operators overflows the stack and kills the process, and it cannot be interrupted. So a query
is checked for its size, nesting and length before it runs, ``SERVICE`` (which would make the
store fetch any address) is refused unless allowed, and the query runs on a worker thread with
a large stack while the calling thread waits: Ctrl-C and the timeout stop the wait at once.
"""

from __future__ import annotations

import re
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Variable

from citykg.errors import QueryError

__all__ = [
    "MAX_NESTING",
    "MAX_QUERY_CHARS",
    "MAX_ROWS",
    "MAX_TOKENS",
    "LocalSource",
    "QueryShapeError",
    "SelectResult",
    "SparqlSource",
    "SparqlSyntaxError",
    "bind_values",
    "check_query",
    "plain",
    "syntax_error",
]


@dataclass(frozen=True)
class SelectResult:
    """The answer to a SELECT query: variable names and rows (unbound values are None)."""

    variables: tuple[str, ...]
    rows: tuple[dict[str, Identifier | None], ...]

    def column(self, name: str) -> list[Identifier | None]:
        return [row.get(name) for row in self.rows]


class SparqlSource(Protocol):
    """Anything citykg can ask SPARQL: the local store or a remote endpoint."""

    #: A short name for messages: the store folder or the endpoint URL.
    name: str

    def select(
        self, query: str, bindings: Mapping[str, Identifier] | None = None
    ) -> SelectResult: ...

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph: ...

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool: ...


class SparqlSyntaxError(QueryError):
    """The query text does not parse; ``line``/``column`` (1-based) are in the text sent.

    Parameters
    ----------
    detail : str
        What the parser expected, in one line.
    line, column : int, optional
        Where, if the parser said.
    """

    def __init__(self, detail: str, line: int | None = None, column: int | None = None) -> None:
        self.detail = detail
        self.column = column
        where = f" at line {line}, column {column}" if line and column else ""
        super().__init__(f"SPARQL syntax error{where}: {detail}", "Correct the query.")
        self.line = line


# Oxigraph says "error at 2:13: expected ..."; Jena/Fuseki "... at line 2, column 13."
_POSITION = (
    re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S),
    re.compile(r"(.*?)\bline (\d+), column (\d+)\.?(.*)", re.S | re.I),
)


def _tidy(detail: str) -> str:
    # Oxigraph lists every character class it would have accepted, over several lines: keep
    # the named expectations (keywords, punctuation) and say "unknown prefix" for its
    # "Prefix not found".
    if "Prefix not found" in detail:
        return "unknown prefix (declare it with PREFIX)"
    if detail.startswith("expected one of "):
        items = [
            i.strip() for i in re.split(r",\s*(?![^\[]*\])", detail[len("expected one of ") :])
        ]
        named = [i for i in items if i and not i.startswith("[")]
        if named:
            if len(named) <= 4:
                return "expected " + " or ".join(named)
            return f"expected one of {', '.join(named[:4])} (or {len(named) - 4} more)"
    return " ".join(detail.split())[:200]


def syntax_error(message: str) -> SparqlSyntaxError:
    """A :class:`SparqlSyntaxError` from a parser's message, with the line and column if given.

    Examples
    --------
    >>> e = syntax_error("error at 3:2: expected OPTIONAL")
    >>> (e.line, e.column, e.detail)
    (3, 2, 'expected OPTIONAL')
    """
    text = message.strip()
    match = _POSITION[0].search(text)
    if match:
        return SparqlSyntaxError(
            _tidy(match.group(3).strip()), int(match.group(1)), int(match.group(2))
        )
    match = _POSITION[1].search(text)
    if match:
        detail = re.sub(r"\s+at\s*$", "", match.group(1).strip()).strip(" .:")
        return SparqlSyntaxError(
            _tidy(detail) or "unexpected input", int(match.group(2)), int(match.group(3))
        )
    return SparqlSyntaxError(_tidy(text.splitlines()[0] if text else "the query does not parse"))


def plain(term: Identifier | None) -> Identifier | None:
    """``term`` with an ``xsd:string`` datatype dropped (Oxigraph types every simple literal)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _where_brace(query: str) -> int:
    """The index of the ``{`` that opens the query's WHERE group.

    Written by hand because neither rdflib nor Oxigraph rewrites a query's text: it skips
    comments, strings and IRIs, and for CONSTRUCT/DESCRIBE waits for the WHERE keyword.
    """
    text = query
    upper = text.upper()
    i, n = 0, len(text)
    needs_where = False
    seen_where = False
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and text[j : j + len(quote)] != quote:
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            end = text.find(">", i)
            if end > 0 and not any(ch.isspace() for ch in text[i + 1 : end]):
                i = end + 1
                continue
        if c.isalpha():
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = upper[i:j]
            if word in ("CONSTRUCT", "DESCRIBE"):
                needs_where = True
            elif word == "WHERE":
                seen_where = True
            i = j
            continue
        if c == "{" and (not needs_where or seen_where):
            return i
        i += 1
    raise QueryError(
        "the query has no WHERE group to bind parameters in",
        "Write the query as 'SELECT ... WHERE { ... }'.",
    )


def _n3(name: str, term: Identifier) -> str:
    # rdflib writes any URIRef between <...> (only some characters make it raise a bare
    # Exception), so an IRI from user text is checked with Oxigraph's RFC 3987 parser first.
    if isinstance(term, URIRef):
        try:
            ox.NamedNode(str(term))
        except ValueError as exc:
            raise QueryError(
                f"the value of '{name}' is not a valid IRI ({exc})",
                "Give a full IRI such as https://w3id.org/citykg/id/c40.",
            ) from None
    if isinstance(term, Literal):
        # rdflib leaves a tab raw inside the quotes; rdflib's own SPARQL parser then misses
        # the value (Oxigraph does not), so write it as the \t escape every engine reads.
        return term.n3().replace("\t", "\\t")
    return term.n3()


def bind_values(query: str, bindings: Mapping[str, Identifier] | None) -> str:
    """Return ``query`` with a ``VALUES`` block for ``bindings`` at the start of its WHERE group.

    Each value is serialised by rdflib (``.n3()``), which escapes quotes, so a value can never
    change the query's structure.

    Examples
    --------
    >>> from rdflib import Literal
    >>> bind_values('SELECT ?s WHERE { ?s ?p ?name }', {"name": Literal('x" } DROP ALL #')})
    'SELECT ?s WHERE { VALUES (?name) { ("x\\\\" } DROP ALL #") }  ?s ?p ?name }'
    """
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not name.isidentifier():
            raise QueryError(
                f"'{name}' is not a valid parameter name", "Use letters, digits and '_'."
            )
    brace = _where_brace(query)
    variables = " ".join(Variable(name).n3() for name in names)
    values = " ".join(_n3(name, bindings[name]) for name in names)
    # No newline in the block: the query's line numbers stay those of its file.
    block = f" VALUES ({variables}) {{ ({values}) }} "
    return query[: brace + 1] + block + query[brace + 1 :]


#: The longest query citykg runs or serves, in characters.
MAX_QUERY_CHARS = 256 * 1024
#: How deep ``()``, ``[]`` and ``{}`` may nest in a query.
MAX_NESTING = 64
#: How many terms, keywords and operators a query may have outside its VALUES data. Oxigraph
#: builds and evaluates a query by recursion: 3,000 BINDs, 10,000 triple patterns, FILTERs or
#: ``!`` in a row overflowed an 8 MB stack (the Oxigraph server's threads, a default thread);
#: citykg's own queries have a few hundred.
MAX_TOKENS = 4000
#: The most rows a local SELECT hands back by default (a million rows of three terms is about
#: 1 GB of Python objects; export the graph instead of selecting all of it).
MAX_ROWS = 1_000_000

_STRING = "|".join(
    (
        r'"""(?:[^"\\]|\\.|"(?!""))*"""',
        r"'''(?:[^'\\]|\\.|'(?!''))*'''",
        r'"(?:[^"\\\n]|\\.)*"',
        r"'(?:[^'\\\n]|\\.)*'",
    )
)
_TOKENS = re.compile(
    r"(?P<skip>\s+|\#[^\n]*)"
    rf"|(?P<string>{_STRING})"
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r"|(?P<open>[({\[])"
    r"|(?P<close>[)}\]])"
    r"|(?P<name>[?$]?[\w:](?:[\w.:%-]*[\w:%-])?)"
    r"|(?P<other>\S)"
)


@dataclass(frozen=True)
class QueryShape:
    """What :func:`check_query` measured: nesting depth, tokens outside VALUES, and whether
    the ``SERVICE`` or ``LOAD`` keywords (which fetch from an address) are there."""

    depth: int
    tokens: int
    service: bool
    load: bool = False


def query_shape(query: str) -> QueryShape:
    """Measure ``query`` (or an update) without parsing it: how deep its brackets nest, how
    many tokens it has outside VALUES data blocks, and whether it has the ``SERVICE`` or
    ``LOAD`` keywords.

    Written by hand because the parser is what must not see an unbounded query.

    Examples
    --------
    >>> query_shape("SELECT * WHERE { ?s ?service 'SERVICE' FILTER(!(?s)) }")
    QueryShape(depth=3, tokens=15, service=False, load=False)
    >>> query_shape("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }").service
    True
    """
    depth = deepest = tokens = 0
    service = load = False
    values_open = False  # after VALUES, until its data block opens
    values_depth = 0  # the depth of the VALUES data block being read, 0 outside one
    declaring = 0  # tokens left of a PREFIX or BASE declaration (flat: not counted)
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if values_open and match.group() == "{":
                values_open, values_depth = False, depth
                continue
        elif kind == "close":
            if values_depth and depth == values_depth:
                values_depth = 0
                depth -= 1
                continue
            depth = max(0, depth - 1)
        elif kind == "name":
            word = match.group().upper()
            service = service or word == "SERVICE"
            load = load or word == "LOAD"
            values_open = values_open or (word == "VALUES" and not values_depth)
            if word in ("PREFIX", "BASE") and not declaring:
                declaring = 3 if word == "PREFIX" else 2
        if declaring:
            declaring -= 1
        elif not values_depth:
            tokens += 1
    return QueryShape(deepest, tokens, service, load)


class QueryShapeError(QueryError):
    """A query over citykg's bounds, or with SERVICE or LOAD (see :func:`check_query`)."""


def check_query(query: str, *, allow_service: bool = False, fix: str = "") -> None:
    """Refuse a query (or update) over citykg's bounds (:data:`MAX_QUERY_CHARS`,
    :data:`MAX_NESTING`, :data:`MAX_TOKENS`) or, unless ``allow_service``, one with
    ``SERVICE`` or ``LOAD``.

    ``fix`` replaces the advice on SERVICE (the served endpoint says how to allow it).

    Examples
    --------
    >>> try:
    ...     check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
    ... except QueryShapeError as exc:
    ...     print(exc)
    the query nests groups or brackets 100 deep, more than 64. Flatten it.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryShapeError(
            f"the query is {len(query)} characters long, more than {MAX_QUERY_CHARS}",
            "Split it into smaller queries.",
        )
    shape = query_shape(query)
    if shape.depth > MAX_NESTING:
        raise QueryShapeError(
            f"the query nests groups or brackets {shape.depth} deep, more than {MAX_NESTING}",
            "Flatten it.",
        )
    if shape.tokens > MAX_TOKENS:
        raise QueryShapeError(
            f"the query has {shape.tokens} terms, keywords and operators outside VALUES data, "
            f"more than {MAX_TOKENS}",
            "Split it, or give long lists of values in a VALUES block.",
        )
    if shape.service and not allow_service:
        raise QueryShapeError(
            "the query calls another endpoint with SERVICE, which would make citykg fetch "
            "whatever address it names",
            fix or "Run it with --allow-service if you trust the query and that endpoint.",
        )
    if shape.load and not allow_service:
        raise QueryShapeError(
            "the update loads a document with LOAD, which would make citykg fetch whatever "
            "address it names",
            fix or "Load files with 'citykg build' instead.",
        )


T = TypeVar("T")

#: The worker thread's stack: Oxigraph recurses per level of a query (see MAX_TOKENS); 256 MB
#: of address space (only what is used is ever touched) held 260,000 nested "!" in a row.
_STACK_BYTES = 256 * 1024 * 1024


def run_interruptibly(task: Callable[[], T], timeout: float | None, what: str = "query") -> T:
    """Run ``task`` on a worker thread with a large stack and wait for it at most ``timeout``
    seconds (None: no limit); raise what it raised.

    Oxigraph runs a query in Rust, which a signal cannot interrupt: the calling thread waits
    instead, so Ctrl-C and the timeout stop the wait at once. The worker is a daemon left to
    finish on its own (Oxigraph has no way to cancel a query): the command ends, and the
    process with it. A ``MemoryError`` becomes a :class:`QueryError`.
    """
    outcome: list[tuple[bool, object]] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append((True, task()))
        except BaseException as exc:  # handed to the waiting thread
            # pyoxigraph's results must be dropped on the thread that made them: the
            # traceback keeps its frames (and their locals) alive, so clear them here.
            cause: BaseException | None = exc
            seen: set[int] = set()
            while cause is not None and id(cause) not in seen:
                seen.add(id(cause))
                if cause.__traceback__ is not None:
                    traceback.clear_frames(cause.__traceback__)
                cause = cause.__cause__ or cause.__context__
            outcome.append((False, exc))
        finally:
            done.set()

    try:
        previous = threading.stack_size(_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform that does not let the stack size be set
        previous = None
    try:
        worker = threading.Thread(target=work, name="citykg-query", daemon=True)
        worker.start()
    finally:
        if previous is not None:
            threading.stack_size(previous)
    if not done.wait(timeout):
        raise QueryError(
            f"the {what} did not finish within {timeout:g} s",
            "Narrow it, or give a longer --timeout.",
        )
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[return-value]
    if isinstance(value, MemoryError):
        raise QueryError(
            f"the {what}'s result does not fit in memory",
            "Narrow it with LIMIT or filters, or use 'citykg export' for the whole graph.",
        ) from None
    assert isinstance(value, BaseException)
    raise value


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = dict[str, Identifier | None]


def _from_ox(term: OxTerm, seen: dict[OxTerm, Identifier]) -> Identifier:
    """An rdflib term for a pyoxigraph term, remembered in ``seen`` (results repeat terms).

    Written by hand because oxrdflib's converter types every simple literal ``xsd:string`` and
    goes through rdflib's generic Result: at a million triples that conversion took longer
    than the query (``bench/run.py``, named queries).
    """
    known = seen.get(term)
    if known is not None:
        return known
    value: Identifier
    if isinstance(term, ox.NamedNode):
        value = URIRef(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            value = Literal(term.value, lang=term.language)
        elif term.datatype == _XSD_STRING:
            value = Literal(term.value)
        else:
            value = Literal(term.value, datatype=URIRef(term.datatype.value))
    elif isinstance(term, ox.BlankNode):
        value = BNode(term.value)
    else:
        raise QueryError(
            "the result holds an RDF 1.2 triple term, which rdflib cannot represent",
            "Select the triple's subject, predicate and object instead.",
        )
    seen[term] = value
    return value


_XSD_STRING = ox.NamedNode(str(XSD.string))


def _lexical(term: OxTerm | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(_from_ox(term, {}))  # an RDF 1.2 triple term: raises its one-line error


class LocalSource:
    """SPARQL over a local rdflib Dataset (the embedded Oxigraph store).

    When the Dataset is rdflib over Oxigraph reading the union of its graphs (as the store
    opens it), queries go to pyoxigraph directly, with the Dataset's prefixes; any other
    rdflib graph is asked through rdflib.

    Examples
    --------
    >>> from rdflib import Dataset, Literal, URIRef
    >>> data = Dataset()
    >>> data.add((URIRef("urn:a"), URIRef("urn:name"), Literal("a")))  # doctest: +ELLIPSIS
    <Graph identifier=... (<class 'rdflib.graph.Dataset'>)>
    >>> LocalSource(data).select("SELECT ?s WHERE { ?s ?p ?o }").rows[0]["s"]
    rdflib.term.URIRef('urn:a')

    Parameters
    ----------
    dataset : rdflib.Dataset or rdflib.Graph
        The graph to ask.
    name : str
        What messages call it (the store folder).
    timeout : float, optional
        Seconds a query may run (None: no limit); see :func:`run_interruptibly`.
    allow_service : bool
        Run queries with ``SERVICE`` (which fetch from other endpoints); refused by default.
    max_rows : int, optional
        The most rows a SELECT may give (None: no limit); more is a :class:`QueryError`.
    """

    def __init__(
        self,
        dataset: Dataset | Graph,
        name: str = "the local store",
        *,
        timeout: float | None = None,
        allow_service: bool = False,
        max_rows: int | None = None,
    ) -> None:
        self.dataset = dataset
        self.name = name
        self.timeout = timeout
        self.allow_service = allow_service
        self.max_rows = max_rows
        inner = getattr(dataset.store, "_inner", None)  # where oxrdflib keeps the store
        union = isinstance(dataset, Dataset) and dataset.default_union
        self._direct: ox.Store | None = inner if union and isinstance(inner, ox.Store) else None
        self._prefixes = {prefix: str(ns) for prefix, ns in dataset.namespaces() if prefix}

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None,
        read: Callable[[object], T],
    ) -> T:
        """Check the query, run it and ``read`` its result on a worker thread."""
        text = bind_values(query, bindings)
        check_query(text, allow_service=self.allow_service)

        def task() -> T:
            try:
                if self._direct is not None:
                    result: object = self._direct.query(
                        text, use_default_graph_as_union=True, prefixes=self._prefixes
                    )
                else:
                    result = self.dataset.query(text)
                return read(result)
            except SyntaxError as exc:  # Oxigraph reports parse errors as SyntaxError
                raise syntax_error(str(exc)) from None
            except OSError as exc:  # a SERVICE call (only with allow_service) that failed
                raise QueryError(
                    f"the query could not be run ({' '.join(str(exc).split())[:200]})",
                    "Check the endpoints its SERVICE clauses call.",
                ) from None

        return run_interruptibly(task, self.timeout)

    def _rows(self, rows: Iterator[Row]) -> tuple[Row, ...]:
        if self.max_rows is None:
            return tuple(rows)
        kept: list[Row] = []
        for row in rows:
            if len(kept) == self.max_rows:
                raise self._too_many_rows()
            kept.append(row)
        return tuple(kept)

    def _too_many_rows(self) -> QueryError:
        return QueryError(
            f"the result has more than {self.max_rows} rows",
            "Narrow the query (LIMIT, filters), or use 'citykg export' for the whole graph.",
        )

    def _select_result(self, result: object) -> SelectResult:
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            seen: dict[OxTerm, Identifier] = {}
            rows = self._rows(
                {
                    name: None if term is None else _from_ox(term, seen)
                    for name, term in zip(names, solution, strict=True)
                }
                for solution in result
            )
            return SelectResult(names, rows)
        variables: Sequence[Variable] = getattr(result, "vars", None) or []
        names = tuple(str(v) for v in variables)
        rows = self._rows(
            {name: plain(row[i]) for i, name in enumerate(names)}
            for row in result  # type: ignore[attr-defined]
        )
        return SelectResult(names, rows)

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        return self._run(query, bindings, self._select_result)

    def select_lexical(
        self, query: str, bindings: Mapping[str, Identifier] | None = None
    ) -> list[tuple[str | None, ...]]:
        """The rows of a SELECT query as tuples (in the order of its variables) of each term's
        lexical form (an IRI, a literal's value) or None: for callers that need only strings.

        Straight from pyoxigraph, without making rdflib terms: the network extraction reads
        tens of thousands of rows (:mod:`citykg.analysis.extract`). The same checks, time
        limit and row limit as :meth:`select`.

        Examples
        --------
        >>> from rdflib import Dataset, Literal, URIRef
        >>> data = Dataset()
        >>> _ = data.add((URIRef("urn:a"), URIRef("urn:name"), Literal("a")))
        >>> LocalSource(data).select_lexical("SELECT ?s ?o ?x WHERE { ?s ?p ?o }")
        [('urn:a', 'a', None)]
        """
        if self._direct is None:
            answer = self.select(query, bindings)
            return [
                tuple(None if row.get(v) is None else str(row[v]) for v in answer.variables)
                for row in answer.rows
            ]
        return self._run(query, bindings, self._lexical_rows)

    def _lexical_rows(self, result: object) -> list[tuple[str | None, ...]]:
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("the query is not a SELECT query", "Use 'citykg query' for it.")
        rows: list[tuple[str | None, ...]] = []
        for solution in result:
            if self.max_rows is not None and len(rows) == self.max_rows:
                raise self._too_many_rows()
            try:
                rows.append(tuple(None if t is None else t.value for t in solution))
            except AttributeError:  # an RDF 1.2 triple term has no value
                rows.append(tuple(_lexical(t) for t in solution))  # raises its one-line error
        return rows

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        return self._run(query, bindings, self._construct_result)

    @staticmethod
    def _construct_result(result: object) -> Graph:
        if isinstance(result, ox.QueryTriples):
            seen: dict[OxTerm, Identifier] = {}
            triples = Graph()
            triples.addN(
                (
                    _from_ox(t.subject, seen),
                    _from_ox(t.predicate, seen),
                    _from_ox(t.object, seen),
                    triples,
                )
                for t in result
            )
            return triples
        graph = getattr(result, "graph", None)
        if not isinstance(graph, Graph):
            raise QueryError(
                "the query is not a CONSTRUCT or DESCRIBE query",
                "Use 'citykg query' for SELECT queries.",
            )
        return graph

    def ask(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> bool:
        return self._run(query, bindings, self._ask_result)

    @staticmethod
    def _ask_result(result: object) -> bool:
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return bool(getattr(result, "askAnswer", False))
