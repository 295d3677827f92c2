"""Where SPARQL runs: the local store, or (see :mod:`citykg.queries.endpoint`) an endpoint.

Everything that reads the graph with SPARQL (named queries, analyses, exports) goes through a
:class:`SparqlSource`, so that ``--endpoint URL`` works for all of them alike.

Parameters are bound by adding a ``VALUES`` block, built from rdflib terms with ``.n3()``, at
the start of the query's WHERE group. Oxigraph's own binding (rdflib's ``initBindings``) only
accepts variables the query projects, and a query text is never formatted with user input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Variable

from citykg.errors import QueryError

__all__ = [
    "LocalSource",
    "SelectResult",
    "SparqlSource",
    "SparqlSyntaxError",
    "bind_values",
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


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


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
    """

    def __init__(self, dataset: Dataset | Graph, name: str = "the local store") -> None:
        self.dataset = dataset
        self.name = name
        inner = getattr(dataset.store, "_inner", None)  # where oxrdflib keeps the store
        union = isinstance(dataset, Dataset) and dataset.default_union
        self._direct: ox.Store | None = inner if union and isinstance(inner, ox.Store) else None
        self._prefixes = {prefix: str(ns) for prefix, ns in dataset.namespaces() if prefix}

    def _query(self, query: str, bindings: Mapping[str, Identifier] | None) -> object:
        text = bind_values(query, bindings)
        try:
            if self._direct is not None:
                return self._direct.query(
                    text, use_default_graph_as_union=True, prefixes=self._prefixes
                )
            return self.dataset.query(text)
        except SyntaxError as exc:  # Oxigraph reports parse errors as SyntaxError
            raise syntax_error(str(exc)) from None

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        result = self._query(query, bindings)
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            seen: dict[OxTerm, Identifier] = {}
            rows = tuple(
                {
                    name: None if term is None else _from_ox(term, seen)
                    for name, term in zip(names, solution, strict=True)
                }
                for solution in result
            )
            return SelectResult(names, rows)
        variables: Sequence[Variable] = getattr(result, "vars", None) or []
        names = tuple(str(v) for v in variables)
        rows = tuple(
            {name: plain(row[i]) for i, name in enumerate(names)}
            for row in result  # type: ignore[attr-defined]
        )
        return SelectResult(names, rows)

    def select_lexical(
        self, query: str, bindings: Mapping[str, Identifier] | None = None
    ) -> list[tuple[str | None, ...]]:
        """The rows of a SELECT query as tuples (in the order of its variables) of each term's
        lexical form (an IRI, a literal's value) or None: for callers that need only strings.

        Straight from pyoxigraph, without making rdflib terms: the network extraction reads
        tens of thousands of rows (:mod:`citykg.analysis.extract`).

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
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("the query is not a SELECT query", "Use 'citykg query' for it.")
        try:
            return [tuple(None if t is None else t.value for t in row) for row in result]
        except AttributeError:  # an RDF 1.2 triple term has no value: its one-line error
            return [tuple(_lexical(t) for t in row) for row in self._query(query, bindings)]  # type: ignore[attr-defined]

    def construct(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        result = self._query(query, bindings)
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
        result = self._query(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return bool(getattr(result, "askAnswer", False))
